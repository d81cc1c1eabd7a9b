package io.gpureservation.it;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The project's local cluster for one test class — etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and KWOK GPU nodes, started by {@code scripts/cluster.sh} from the binaries {@code
 * scripts/controlplane.sh} builds (docs/testing.md "The test cluster") — and a fresh namespace for
 * each test. Pods are scheduled onto the nodes of {@code controlplane/gpu-nodes.conf}, run,
 * complete (Jobs) and are deleted as on a real cluster; RBAC and the default admission plugins are
 * on (so a namespace has its {@code default} ServiceAccount before a test starts). The API server
 * can call admission webhooks at loopback URLs ({@code https://127.0.0.1:<port>/...} with a {@code
 * caBundle}).
 *
 * <pre>{@code
 * @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
 *
 * @Test void example() {
 *   cluster.admin().pods().inNamespace(cluster.namespace()).resource(pod).create();
 *   KubernetesClient asOperator = cluster.impersonating(cluster.namespace(), "operator");
 *   cluster.kubectlOk("get", "gcr", "-n", cluster.namespace());
 * }
 * }</pre>
 *
 * <p>{@link #admin()} is a {@code system:masters} client; {@link #impersonating} gives a client
 * that acts as a ServiceAccount, with exactly the RBAC granted to it. {@link #kubectl} and {@link
 * #helm} run the pinned binaries against this cluster (the kubeconfig is {@link #kubeconfig()}).
 * The cluster stops after the class, and by itself if the test JVM dies.
 */
public final class RealCluster implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  /** The region of every node in controlplane/gpu-nodes.conf. */
  public static final String DECLARED_REGION = "cn-hangzhou";

  private static final Pattern KUBE_VERSION =
      Pattern.compile("(?m)^require k8s\\.io/kubernetes v(\\S+)");

  private final boolean withCrds;
  private KubernetesClient admin;
  private Path workDir;
  private Path kubeconfig;
  private String namespace;

  private RealCluster(boolean withCrds) {
    this.withCrds = withCrds;
  }

  /** A cluster with only the built-in APIs. */
  public static RealCluster plain() {
    return new RealCluster(false);
  }

  /** A cluster with the committed {@code crds/} applied and established before the tests. */
  public static RealCluster withCrds() {
    return new RealCluster(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    workDir = Spare.take();
    kubeconfig = workDir.resolve("kubeconfig");
    admin =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
            .build();
    if (withCrds) {
      installCrds();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (admin != null) {
      admin.close();
    }
    if (workDir != null) {
      cluster("down");
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    namespace = createNamespace("it-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /**
   * Creates a namespace and waits for its {@code default} ServiceAccount: the ServiceAccount
   * admission plugin refuses pods until the controller-manager has made it.
   */
  public String createNamespace(String name) {
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    admin
        .serviceAccounts()
        .inNamespace(name)
        .withName("default")
        .waitUntilCondition(Objects::nonNull, 60, TimeUnit.SECONDS);
    return name;
  }

  /** Adds a KWOK GPU node (a line of {@code controlplane/gpu-nodes.conf}) and waits until Ready. */
  public void addNode(
      String name, String cardType, String zone, int gpus, String cpu, String memory) {
    addNode(name, cardType, zone, DECLARED_REGION, gpus, cpu, memory);
  }

  /**
   * Adds a GPU node in a region of its own (the declared nodes are all in {@value
   * DECLARED_REGION}).
   */
  public void addNode(
      String name,
      String cardType,
      String zone,
      String region,
      int gpus,
      String cpu,
      String memory) {
    cluster(
        "add-node",
        name,
        cardType,
        "NVIDIA-" + cardType,
        zone,
        region,
        String.valueOf(gpus),
        cpu,
        memory);
  }

  /** Deletes a node; the pod garbage collector then deletes the pods bound to it. */
  public void removeNode(String name) {
    cluster("remove-node", name);
  }

  private void cluster(String command, String... args) {
    List<String> line =
        new ArrayList<>(
            List.of(
                "bash",
                repoRoot().resolve("scripts/cluster.sh").toString(),
                command,
                workDir.toString()));
    line.addAll(List.of(args));
    run(line).requireSuccess();
  }

  /** A {@code system:masters} client. */
  public KubernetesClient admin() {
    return admin;
  }

  /** The namespace created for the current test. */
  public String namespace() {
    return namespace;
  }

  /**
   * A new client acting as ServiceAccount {@code namespace/name} (user {@code
   * system:serviceaccount:<ns>:<name>} with the ServiceAccount groups); close it when done.
   */
  public KubernetesClient impersonating(String namespace, String serviceAccount) {
    Config config =
        new ConfigBuilder(admin.getConfiguration())
            .withImpersonateUsername("system:serviceaccount:" + namespace + ":" + serviceAccount)
            .withImpersonateGroups(
                "system:serviceaccounts",
                "system:serviceaccounts:" + namespace,
                "system:authenticated")
            .withNamespace(namespace)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A bound token of the ServiceAccount, valid for an hour, as a pod gets it. */
  public String serviceAccountToken(String namespace, String serviceAccount) {
    return admin
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(serviceAccount)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  /**
   * A kubeconfig file that authenticates with a bound token of the ServiceAccount, as in a pod: a
   * child process using it has exactly that ServiceAccount's RBAC.
   */
  public Path serviceAccountKubeconfig(String namespace, String serviceAccount) {
    String token = serviceAccountToken(namespace, serviceAccount);
    Config config = admin.getConfiguration();
    try {
      Path file = Files.createTempFile("sa-kubeconfig-", ".yaml");
      file.toFile().deleteOnExit();
      Files.writeString(
          file,
          String.join(
              "\n",
              "apiVersion: v1",
              "kind: Config",
              "clusters:",
              "- name: it",
              "  cluster:",
              "    server: " + config.getMasterUrl(),
              "    certificate-authority-data: " + config.getCaCertData(),
              "users:",
              "- name: sa",
              "  user:",
              "    token: " + token,
              "contexts:",
              "- name: sa",
              "  context: {cluster: it, user: sa, namespace: " + namespace + "}",
              "current-context: sa",
              ""));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The admin kubeconfig file of this API server, for kubectl, helm and child processes. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The repository root (system property {@code gpureservation.repoRoot}, set by failsafe). */
  public static Path repoRoot() {
    String property = System.getProperty("gpureservation.repoRoot");
    Path start = Path.of(property != null ? property : "").toAbsolutePath().normalize();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("controlplane/kubernetes/go.mod"))) {
        return p;
      }
    }
    throw new IllegalStateException("repository root not found from " + start);
  }

  /** The pinned Kubernetes version, e.g. {@code 1.34.4}. */
  public static String kubernetesVersion() {
    try {
      Matcher m =
          KUBE_VERSION.matcher(
              Files.readString(repoRoot().resolve("controlplane/kubernetes/go.mod")));
      if (!m.find()) {
        throw new IllegalStateException("no k8s.io/kubernetes requirement in go.mod");
      }
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code $KUBE_API_TEST_DIR}, as scripts/controlplane.sh and scripts/test.sh use it. */
  public static Path testDir() {
    String dir = System.getenv("KUBE_API_TEST_DIR");
    return dir != null && !dir.isEmpty()
        ? Path.of(dir)
        : Path.of(System.getProperty("user.home"), ".cache/gpu-reservation-operator/kube-api-test");
  }

  /** The pinned kubectl binary. */
  public static Path kubectlBinary() {
    return testDir().resolve("k8s").resolve(kubernetesVersion() + "-linux-amd64/kubectl");
  }

  /** The pinned helm binary. */
  public static Path helmBinary() {
    return testDir().resolve("bin/helm");
  }

  /** Runs kubectl against this API server; never throws on a non-zero exit. */
  public Result kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of(kubectlBinary().toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs kubectl and fails unless it exits 0. */
  public String kubectlOk(String... args) {
    return kubectl(args).requireSuccess();
  }

  /** Runs helm against this API server, with its caches in a private directory. */
  public Result helm(String... args) {
    List<String> command = new ArrayList<>(List.of(helmBinary().toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  /**
   * Applies (server-side) and waits until every CRD in {@code crds/} is established; applies the
   * placeholders' PriorityClass as the chart installs it (docs/capacity-holding.md).
   */
  public void installCrds() {
    String crds = repoRoot().resolve("crds").toString();
    kubectlOk("apply", "--server-side", "--field-manager=realcluster", "-f", crds);
    kubectlOk("wait", "--for=condition=Established", "--timeout=60s", "-f", crds);
    String priorityClass =
        helm(
                "template",
                "realcluster",
                repoRoot().resolve("helm/gpu-reservation-operator").toString(),
                "--show-only",
                "templates/priorityclass.yaml")
            .requireSuccess();
    admin
        .resourceList(
            admin
                .load(
                    new java.io.ByteArrayInputStream(
                        priorityClass.getBytes(StandardCharsets.UTF_8)))
                .items())
        .forceConflicts()
        .serverSideApply();
  }

  /**
   * Writes a self-signed serving certificate for {@code 127.0.0.1} as {@code tls.crt} and {@code
   * tls.key} (PEM) into {@code dir}, for a webhook the API server calls at a loopback URL; the
   * certificate is also its own CA, i.e. the webhook's {@code caBundle}. Made with openssl, as
   * scripts/cluster.sh makes the cluster's.
   */
  public static Path loopbackTls(Path dir) {
    try {
      Files.createDirectories(dir);
      List<String> command =
          List.of(
              "openssl",
              "req",
              "-x509",
              "-newkey",
              "rsa:2048",
              "-nodes",
              "-days",
              "2",
              "-subj",
              "/CN=127.0.0.1",
              "-addext",
              "subjectAltName=IP:127.0.0.1",
              "-keyout",
              dir.resolve("tls.key").toString(),
              "-out",
              dir.resolve("tls.crt").toString());
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("openssl failed: " + out);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command with this API server's kubeconfig in its environment. */
  public Result run(List<String> command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      if (kubeconfig != null) {
        env.put("KUBECONFIG", kubeconfig.toString());
      }
      if (workDir != null) {
        env.put("HELM_CACHE_HOME", workDir.resolve("helm/cache").toString());
        env.put("HELM_CONFIG_HOME", workDir.resolve("helm/config").toString());
        env.put("HELM_DATA_HOME", workDir.resolve("helm/data").toString());
      }
      Process process = pb.start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
      return new Result(command, process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The next test class's cluster, started in the background while the current class runs: a class
   * then finds its cluster up instead of waiting for it (docs/testing.md "Where the time goes").
   * Each class still gets a cluster of its own; the one left over when the JVM ends is stopped by a
   * shutdown hook (and by its {@code --owner} watchdog, however the JVM ends).
   */
  private static final class Spare {
    private static final ExecutorService STARTER =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "spare-cluster");
              t.setDaemon(true);
              return t;
            });
    private static CompletableFuture<Path> next;

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(Spare::stopLeftOver, "spare-cluster-stop"));
    }

    /** A started cluster's directory; starts the one for the next class. */
    static synchronized Path take() {
      CompletableFuture<Path> mine = next != null ? next : startInBackground();
      next = startInBackground();
      return mine.join();
    }

    private static CompletableFuture<Path> startInBackground() {
      return CompletableFuture.supplyAsync(Spare::start, STARTER);
    }

    private static Path start() {
      try {
        Path dir = Files.createTempDirectory("realcluster-");
        Result up =
            new RealCluster(false)
                .run(
                    List.of(
                        "bash",
                        repoRoot().resolve("scripts/cluster.sh").toString(),
                        "up",
                        dir.toString(),
                        "--owner",
                        String.valueOf(ProcessHandle.current().pid())));
        if (up.exitCode() != 0) {
          throw new IllegalStateException("the test cluster did not start:\n" + up.output());
        }
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static synchronized void stopLeftOver() {
      if (next == null) {
        return;
      }
      try {
        Path dir = next.get(2, TimeUnit.MINUTES);
        new ProcessBuilder(
                "bash", repoRoot().resolve("scripts/cluster.sh").toString(), "down", dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // The JVM is ending; the cluster's --owner watchdog stops it within a second anyway.
      }
    }
  }

  /** Exit code and combined stdout/stderr of a command. */
  public record Result(List<String> command, int exitCode, String output) {
    /** The output; throws with the output in the message unless the exit code is 0. */
    public String requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited " + exitCode + ":\n" + output);
      }
      return output;
    }
  }
}
