package io.gpureservation.it;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.cert.CertManager;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.gpureservation.demo.FakeScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real kube-apiserver and etcd for one test class, from the binaries {@code
 * scripts/controlplane.sh} builds (kube-api-test in offline mode, version read from {@code
 * controlplane/kubernetes/go.mod}), and a fresh namespace for each test. RBAC authorization is on;
 * there is no scheduler, controller-manager or kubelet (see {@code
 * io.gpureservation.demo.FakeScheduler}); the ServiceAccount admission plugin is off, so pods need
 * no ServiceAccount object. The API server can call admission webhooks at loopback URLs ({@code
 * https://127.0.0.1:<port>/...} with a {@code caBundle}).
 *
 * <pre>{@code
 * @RegisterExtension static final RealCluster cluster = RealCluster.withCrds().withFakeScheduler();
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
 * #helm} run the pinned binaries against this server (the kubeconfig is {@link #kubeconfig()}).
 */
public final class RealCluster implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private static final Pattern KUBE_VERSION =
      Pattern.compile("(?m)^require k8s\\.io/kubernetes v(\\S+)");

  private final boolean withCrds;
  private boolean withFakeScheduler;
  private FakeScheduler scheduler;
  private KubeAPIServer server;
  private KubernetesClient admin;
  private Path workDir;
  private Path kubeconfig;
  private String namespace;

  private RealCluster(boolean withCrds) {
    this.withCrds = withCrds;
  }

  /** An API server with only the built-in APIs. */
  public static RealCluster plain() {
    return new RealCluster(false);
  }

  /** An API server with the committed {@code crds/} applied and established before the tests. */
  public static RealCluster withCrds() {
    return new RealCluster(true);
  }

  /**
   * Also runs a {@link FakeScheduler} (as admin, marking bound pods Running) for the test class, so
   * that pods without scheduling gates start.
   */
  public RealCluster withFakeScheduler() {
    this.withFakeScheduler = true;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    String version = kubernetesVersion();
    Path binaries = testDir().resolve("k8s").resolve(version + "-linux-amd64");
    if (!Files.isExecutable(binaries.resolve("kube-apiserver"))
        || !Files.isExecutable(helmBinary())) {
      throw new IllegalStateException(
          "No test control plane in " + binaries + ": run scripts/controlplane.sh first");
    }
    server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(testDir().toString())
                .withApiServerVersion(version)
                .withOfflineMode(true)
                .withStartupTimeout(180_000)
                .build());
    server.start();
    workDir = Files.createTempDirectory("realcluster-");
    kubeconfig = workDir.resolve("kubeconfig");
    Files.writeString(kubeconfig, server.getKubeConfigYaml());
    admin =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
            .build();
    if (withCrds) {
      installCrds();
    }
    if (withFakeScheduler) {
      scheduler = FakeScheduler.start(admin, true);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (scheduler != null) {
      scheduler.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    namespace = "it-" + UUID.randomUUID().toString().substring(0, 8);
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
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

  /** Applies (server-side) and waits until every CRD in {@code crds/} is established. */
  public void installCrds() {
    String crds = repoRoot().resolve("crds").toString();
    kubectlOk("apply", "--server-side", "--field-manager=realcluster", "-f", crds);
    kubectlOk("wait", "--for=condition=Established", "--timeout=60s", "-f", crds);
  }

  /**
   * Writes a self-signed serving certificate for {@code 127.0.0.1} as {@code tls.crt} and {@code
   * tls.key} (PEM) into {@code dir}, for a webhook the API server calls at a loopback URL; the
   * certificate is also its own CA, i.e. the webhook's {@code caBundle}.
   */
  public static Path loopbackTls(Path dir) {
    try {
      Files.createDirectories(dir);
      CertManager.generateKeyAndCertificate(
          "CN=127.0.0.1",
          dir.resolve("tls.key").toFile(),
          dir.resolve("tls.crt").toFile(),
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command with this API server's kubeconfig in its environment. */
  public Result run(List<String> command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("HELM_CACHE_HOME", workDir.resolve("helm/cache").toString());
      env.put("HELM_CONFIG_HOME", workDir.resolve("helm/config").toString());
      env.put("HELM_DATA_HOME", workDir.resolve("helm/data").toString());
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
