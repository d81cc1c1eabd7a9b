package io.gpureservation.it;

import static io.gpureservation.pool.Pools.annotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.cluster.OperatorApp;
import io.gpureservation.cluster.OperatorConfig;
import io.gpureservation.pool.Pools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ResidentPool on a real API server: the operator's own mutating webhook (HTTPS, PEM from a
 * directory, objectSelector on the pool label, failurePolicy Fail) gates pool pods at creation, the
 * operator lifts the gate within capacity, kube-scheduler binds only what was lifted, and {@code
 * kubectl get rpool} prints the columns. CEL rules are covered by CrdValidationIT's cases.
 */
class ResidentPoolIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String GATE = "gpureservation.io/resident-pool";

  private static OperatorApp app;

  @BeforeAll
  static void startOperatorWithWebhook() throws IOException {
    Path tls = RealCluster.loopbackTls(Files.createTempDirectory("pool-webhook-"));
    int port = LoopbackPorts.claim();
    app =
        OperatorApp.start(
            cluster.admin(),
            OperatorConfig.defaults().withHttpPort(-1).withWebhook(port, tls),
            Clock.systemUTC());
    String caBundle =
        Base64.getEncoder().encodeToString(Files.readAllBytes(tls.resolve("tls.crt")));
    registerWebhook(
        "resident-pool-gate", "https://127.0.0.1:" + port + "/mutate-pods", caBundle, null);
  }

  /**
   * A MutatingWebhookConfiguration as the Helm chart declares it (pool pods only, CREATE,
   * failurePolicy Fail), at {@code url}; limited to {@code namespace} when not null.
   */
  private static void registerWebhook(String name, String url, String caBundle, String namespace) {
    var webhook =
        new MutatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .addNewWebhook()
            .withName(name + ".gpureservation.io")
            .withAdmissionReviewVersions("v1")
            .withSideEffects("None")
            .withFailurePolicy("Fail")
            .withTimeoutSeconds(10)
            .withNewObjectSelector()
            .addNewMatchExpression()
            .withKey(GATE)
            .withOperator("Exists")
            .endMatchExpression()
            .endObjectSelector()
            .addNewRule()
            .withApiGroups("")
            .withApiVersions("v1")
            .withOperations("CREATE")
            .withResources("pods")
            .endRule()
            .withNewClientConfig()
            .withUrl(url)
            .withCaBundle(caBundle)
            .endClientConfig();
    if (namespace != null) {
      webhook
          .withNewNamespaceSelector()
          .addToMatchLabels("kubernetes.io/metadata.name", namespace)
          .endNamespaceSelector();
    }
    cluster
        .admin()
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(webhook.endWebhook().build())
        .create();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static void pool(String name, int cards) {
    ResidentPool pool = Pools.pool(name, cards, 10);
    pool.getMetadata().setNamespace(cluster.namespace());
    pool.getMetadata().setUid(null);
    cluster.admin().resource(pool).create();
  }

  /** A one-card pool pod as its author writes it: labels, no gate (the webhook adds it). */
  private static Pod create(String name, Map<String, String> labels) {
    Pod pod =
        Pools.pod(name, "unused", "unused", 1, "10Gi")
            .editMetadata()
            .withNamespace(cluster.namespace())
            .withUid(null)
            .withLabels(labels)
            .endMetadata()
            .editSpec()
            .withSchedulingGates()
            .endSpec()
            .build();
    return cluster.admin().pods().inNamespace(cluster.namespace()).resource(pod).create();
  }

  private static Pod get(String name) {
    return cluster.admin().pods().inNamespace(cluster.namespace()).withName(name).get();
  }

  private static boolean gated(Pod pod) {
    return pod.getSpec().getSchedulingGates().stream().anyMatch(g -> GATE.equals(g.getName()));
  }

  @Test
  void theWebhookGatesPoolPodsAndTheOperatorAdmitsThemWithinCapacity() {
    pool("one-card", 1);
    Map<String, String> labels = Map.of(GATE, "one-card", "gpureservation.io/function", "chat");

    assertThat(gated(create("first", labels))).isTrue();
    assertThat(gated(create("second", labels))).isTrue();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod first = get("first");
              assertThat(gated(first)).isFalse();
              assertThat(annotation(first, "gpureservation.io/billing-mode")).isEqualTo("resident");
              assertThat(first.getSpec().getNodeName()).isNotNull();
              assertThat(first.getStatus().getPhase()).isEqualTo("Running");
              Pod second = get("second");
              assertThat(gated(second)).isTrue();
              assertThat(annotation(second, "gpureservation.io/reason"))
                  .isEqualTo("PoolCapacityExceeded");
              assertThat(second.getSpec().getNodeName()).isNull();
            });
  }

  @Test
  void podsWithoutThePoolLabelNeverGetTheGate() {
    Pod plain = create("plain", Map.of("app", "web"));

    assertThat(plain.getSpec().getSchedulingGates()).isEmpty();
  }

  @Test
  void kubectlGetRpoolShowsCardsDiskPhaseAndExpiry() {
    pool("shown", 2);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              String out = cluster.kubectlOk("get", "rpool", "shown", "-n", cluster.namespace());
              assertThat(out)
                  .contains("CARD TYPE", "CARDS", "DISK", "PHASE", "EXPIRES", "AGE")
                  .contains("Ada", "0/2", "0Gi/20Gi", "Active");
            });
  }

  @Test
  void whileTheWebhookIsUnreachablePoolPodsAreRefusedAndOtherPodsAreNot() throws IOException {
    int closed = LoopbackPorts.claim();
    Path tls = RealCluster.loopbackTls(Files.createTempDirectory("dead-webhook-"));
    String name = "dead-" + cluster.namespace();
    registerWebhook(
        name,
        "https://127.0.0.1:" + closed + "/mutate-pods",
        Base64.getEncoder().encodeToString(Files.readAllBytes(tls.resolve("tls.crt"))),
        cluster.namespace());
    try {
      assertThatThrownBy(() -> create("refused", Map.of(GATE, "any")))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("failed calling webhook");
      assertThat(create("unaffected", Map.of("app", "web")).getMetadata().getUid()).isNotNull();
    } finally {
      cluster
          .admin()
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName(name)
          .delete();
    }
  }
}
