package io.gpureservation.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.cluster.OperatorApp;
import io.gpureservation.cluster.OperatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator as the Helm chart deploys it, minus the container: the chart's ServiceAccount and
 * RBAC (rendered by {@code helm template}, optionally edited) applied to the real API server, and
 * {@link OperatorApp} started in this JVM with a client <b>impersonating that ServiceAccount</b>
 * and the webhook on a loopback port with its own certificate. Leader election is off here: the
 * operator exits the JVM when it stops leading, so {@code LeaderElectionIT} runs it in child
 * processes instead. The release is named after the test namespace, so each test has its own
 * cluster-scoped RBAC objects.
 */
final class ChartOperator implements AutoCloseable {
  final String namespace;
  final String serviceAccount;
  final int webhookPort;
  final Path tlsDir;
  private final KubernetesClient client;
  private final OperatorApp app;

  private ChartOperator(RealCluster cluster, String namespace, Map<String, String> env)
      throws IOException {
    this.namespace = namespace;
    this.serviceAccount = namespace + "-gpu-reservation-operator";
    this.tlsDir = RealCluster.loopbackTls(Files.createTempDirectory("webhook-tls-"));
    this.webhookPort = LoopbackPorts.claim();
    this.client = cluster.impersonating(namespace, serviceAccount);
    Map<String, String> settings = new HashMap<>(Map.of("METRICS_PORT", "0"));
    settings.putAll(env);
    OperatorConfig config =
        OperatorConfig.fromEnvironment(settings)
            .withHttpPort(0)
            .withLeaderElection(false, namespace)
            .withWebhook(webhookPort, tlsDir);
    OperatorApp started;
    try {
      started = OperatorApp.start(client, config);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    this.app = started;
  }

  /** The ServiceAccount and RBAC objects the chart grants, for release = the test namespace. */
  static List<HasMetadata> chartRbac(RealCluster cluster) {
    return HelmChart.render(
        cluster,
        cluster.namespace(),
        cluster.namespace(),
        "--show-only",
        "templates/serviceaccount.yaml",
        "--show-only",
        "templates/rbac.yaml");
  }

  /**
   * Applies {@code rbac} (see {@link #chartRbac}) and starts the operator as its ServiceAccount.
   */
  static ChartOperator start(RealCluster cluster, List<HasMetadata> rbac) {
    return start(cluster, rbac, Map.of());
  }

  /** The same with the operator's environment settings {@code env} (e.g. the accrual interval). */
  static ChartOperator start(RealCluster cluster, List<HasMetadata> rbac, Map<String, String> env) {
    cluster.admin().resourceList(rbac).create();
    try {
      return new ChartOperator(cluster, cluster.namespace(), env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The operator with the chart's RBAC and its webhook configuration registered (pointing at this
   * operator); {@link #closeAndUnregisterWebhooks} undoes both.
   */
  static ChartOperator startWithWebhook(RealCluster cluster) {
    return startWithWebhook(cluster, Map.of());
  }

  /** The same with the operator's environment settings {@code env}. */
  static ChartOperator startWithWebhook(RealCluster cluster, Map<String, String> env) {
    ChartOperator operator = start(cluster, chartRbac(cluster), env);
    operator.registerLoopbackWebhook(cluster);
    return operator;
  }

  /**
   * Registers the chart's MutatingWebhookConfiguration with its Service reference replaced by this
   * operator's loopback URL, so the API server calls the in-JVM webhook exactly as configured.
   */
  void registerLoopbackWebhook(RealCluster cluster) {
    MutatingWebhookConfiguration mwc =
        HelmChart.render(
                cluster,
                namespace,
                namespace,
                "--show-only",
                "templates/webhook.yaml",
                "--set",
                "webhook.certificate.source=secret",
                "--set",
                "webhook.certificate.existingSecret=unused",
                "--set",
                "webhook.certificate.caBundle=unused")
            .stream()
            .filter(MutatingWebhookConfiguration.class::isInstance)
            .map(MutatingWebhookConfiguration.class::cast)
            .findFirst()
            .orElseThrow();
    String caBundle;
    try {
      caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(tlsDir.resolve("tls.crt")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    mwc.getWebhooks()
        .forEach(
            w -> {
              String path = w.getClientConfig().getService().getPath();
              w.getClientConfig().setService(null);
              w.getClientConfig().setUrl("https://127.0.0.1:" + webhookPort + path);
              w.getClientConfig().setCaBundle(caBundle);
            });
    cluster.admin().resource(mwc).create();
    cluster.admin().resourceList(handOverTolerationPolicy(cluster, namespace)).createOrReplace();
  }

  /**
   * The chart's MutatingAdmissionPolicy and binding that give every pod-owned ResourceClaim the
   * toleration of its pod's DRA hand-over (docs/capacity-holding.md, "GPUs claimed through DRA").
   */
  static List<HasMetadata> handOverTolerationPolicy(RealCluster cluster, String release) {
    return HelmChart.render(
        cluster,
        release,
        release,
        "--show-only",
        "templates/claim-toleration-policy.yaml",
        "--api-versions",
        "admissionregistration.k8s.io/v1/MutatingAdmissionPolicy");
  }

  /**
   * An operator restart: stops this one (and its webhook configuration) and starts another with the
   * same RBAC, its webhook registered; it rebuilds everything from the cluster.
   */
  ChartOperator restartWithWebhook(RealCluster cluster) {
    closeAndUnregisterWebhooks(cluster);
    try {
      ChartOperator next = new ChartOperator(cluster, namespace, Map.of());
      next.registerLoopbackWebhook(cluster);
      return next;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops the operator and deletes the webhook configurations {@link #registerLoopbackWebhook}
   * made.
   */
  void closeAndUnregisterWebhooks(RealCluster cluster) {
    close();
    cluster
        .admin()
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .list()
        .getItems()
        .forEach(w -> cluster.admin().resource(w).delete());
    cluster.admin().resourceList(handOverTolerationPolicy(cluster, namespace)).delete();
  }

  /** The port of its health and metrics server ({@code /metrics}) on loopback. */
  int httpPort() {
    return app.httpPort();
  }

  /** What {@code /metrics} says, served plain on the health port ({@code METRICS_SECURE=false}). */
  String metrics() throws IOException, InterruptedException {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + httpPort() + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      client.close();
    }
  }
}
