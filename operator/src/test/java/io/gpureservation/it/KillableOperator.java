package io.gpureservation.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The operator in a process of its own ({@link OperatorProcess}) with its webhook and its HTTPS
 * metrics server on loopback ports (both with the certificate {@link #tls}), for the crash tests
 * and the metrics tests: killed with SIGKILL and started again, each start waiting until the
 * webhook, the health server and the metrics server accept connections. {@link #close} kills it and
 * removes the webhook configuration it registered.
 */
final class KillableOperator implements AutoCloseable {
  private final RealCluster cluster;
  private final String logName;
  private final Path kubeconfig;
  private final Path tls;
  private final int webhookPort;
  private final int httpPort;
  private final int metricsPort;
  private String webhookConfiguration;
  private Process process;

  /** The operator as the cluster's admin. */
  KillableOperator(RealCluster cluster, String logName) throws IOException {
    this(cluster, logName, cluster.kubeconfig());
  }

  /** The operator as the identity of {@code kubeconfig}. */
  KillableOperator(RealCluster cluster, String logName, Path kubeconfig) throws IOException {
    this.cluster = cluster;
    this.logName = logName;
    this.kubeconfig = kubeconfig;
    this.tls = RealCluster.loopbackTls(Files.createTempDirectory(logName + "-tls-"));
    this.webhookPort = LoopbackPorts.claim();
    this.httpPort = LoopbackPorts.claim();
    this.metricsPort = LoopbackPorts.claim();
  }

  /** The plain-HTTP health port (/healthz, /readyz). */
  int httpPort() {
    return httpPort;
  }

  /** The HTTPS metrics port. */
  int metricsPort() {
    return metricsPort;
  }

  /** The webhook's and the metrics server's certificate (for 127.0.0.1), PEM. */
  Path certificate() {
    return tls.resolve("tls.crt");
  }

  /**
   * Registers one of the chart's webhooks (by name and failure policy) for pod CREATE in the test
   * namespace, at this operator's loopback port; {@code objectSelector} may be null.
   */
  void registerWebhook(
      String configuration, String webhook, String failurePolicy, LabelSelector objectSelector)
      throws IOException {
    registerWebhook(
        configuration, webhook, failurePolicy, objectSelector, List.of(cluster.namespace()));
  }

  /** As above, for pod CREATE in each of {@code namespaces}. */
  void registerWebhook(
      String configuration,
      String webhook,
      String failurePolicy,
      LabelSelector objectSelector,
      List<String> namespaces)
      throws IOException {
    String caBundle =
        Base64.getEncoder().encodeToString(Files.readAllBytes(tls.resolve("tls.crt")));
    cluster
        .admin()
        .resource(
            new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(configuration)
                .endMetadata()
                .addNewWebhook()
                .withName(webhook)
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withFailurePolicy(failurePolicy)
                .withTimeoutSeconds(10)
                .withObjectSelector(objectSelector)
                .withNewNamespaceSelector()
                .addNewMatchExpression()
                .withKey("kubernetes.io/metadata.name")
                .withOperator("In")
                .withValues(namespaces)
                .endMatchExpression()
                .endNamespaceSelector()
                .addNewRule()
                .withApiGroups("")
                .withApiVersions("v1")
                .withOperations("CREATE")
                .withResources("pods")
                .withScope("Namespaced")
                .endRule()
                .withNewClientConfig()
                .withUrl("https://127.0.0.1:" + webhookPort + "/mutate-pods")
                .withCaBundle(caBundle)
                .endClientConfig()
                .endWebhook()
                .build())
        .create();
    this.webhookConfiguration = configuration;
  }

  /**
   * Starts the operator process and waits until its webhook, health and metrics servers accept
   * connections: the health server starts once the informers have listed the cluster, so pods
   * created after this returns meet a webhook that can gate them (on a busy machine a JVM takes
   * seconds to get there, and pods created meanwhile would all pass ungated).
   */
  void start() {
    try {
      process =
          OperatorProcess.start(
              kubeconfig,
              logName,
              Map.of(
                  "WEBHOOK_PORT",
                  String.valueOf(webhookPort),
                  "HTTP_PORT",
                  String.valueOf(httpPort),
                  "METRICS_PORT",
                  String.valueOf(metricsPort),
                  "WEBHOOK_TLS_DIR",
                  tls.toString(),
                  "LEADER_ELECTION",
                  "false",
                  "HANDOVER_TIMEOUT_SECONDS",
                  "30"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> accepts(webhookPort) && accepts(httpPort) && accepts(metricsPort));
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** SIGKILL, wherever the operator is. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
    if (webhookConfiguration != null) {
      cluster
          .admin()
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName(webhookConfiguration)
          .delete();
    }
  }
}
