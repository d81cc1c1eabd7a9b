package io.gpureservation.operator.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_MODE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_SINCE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.FINALIZER;
import static io.gpureservation.api.v1alpha1.GpuReservation.MODE_RESIDENT;
import static io.gpureservation.api.v1alpha1.GpuReservation.REASON_ANNOTATION;
import static io.gpureservation.operator.pool.Pools.NS;
import static io.gpureservation.operator.pool.Pools.annotation;
import static io.gpureservation.operator.pool.Pools.pod;
import static io.gpureservation.operator.pool.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.operator.MutableClock;
import io.gpureservation.operator.OperatorConfig;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ResidentPool controller end to end on the fabric8 mock server (CRUD mode), with the same
 * operator settings as production (no server-side apply). The mock runs no webhook and no
 * scheduler: test pods carry the gate the webhook would add, and the test checks its removal.
 */
@EnableKubernetesMockClient(crud = true)
class ResidentPoolReconcilerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  KubernetesMockServer server;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
  private Operator operator;
  private ResidentPoolFeature feature;

  @BeforeEach
  void startOperator() {
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false));
    feature =
        ResidentPoolFeature.register(
            operator,
            client,
            OperatorConfig.defaults().withWebhook(0, Path.of("/nonexistent")),
            clock,
            Catalog.defaults());
    operator.start();
  }

  @AfterEach
  void stopOperator() {
    feature.close();
    operator.stop();
  }

  /**
   * The mock has no Eviction API: record evictions (the test then deletes the pod, as the API
   * server would with no disruption budget in the way).
   */
  private Set<String> recordEvictions(String pod) {
    Set<String> evicted = ConcurrentHashMap.newKeySet();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + NS + "/pods/" + pod + "/eviction")
        .andReply(
            201,
            request -> {
              evicted.add(pod);
              return new StatusBuilder().withStatus("Success").build();
            })
        .always();
    return evicted;
  }

  private Pod get(String name) {
    return client.pods().inNamespace(NS).withName(name).get();
  }

  private static boolean admitted(Pod pod) {
    return pod != null
        && !PoolPods.isGated(pod)
        && MODE_RESIDENT.equals(annotation(pod, BILLING_MODE_ANNOTATION))
        && annotation(pod, BILLING_SINCE_ANNOTATION) != null;
  }

  private List<Event> eventsWithReason(String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private void createPods(String pool, String... names) {
    for (String name : names) {
      client.resource(pod(name, pool, "infer", 1, "10Gi").build()).create();
    }
  }

  @Test
  void gatesAreRemovedUntilThePoolIsFullAndTheRestWaitWithAReason() {
    client.resource(pool("two", 2, 10)).create();
    createPods("two", "a", "b", "c");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(admitted(get("a"))).isTrue();
              assertThat(admitted(get("b"))).isTrue();
              Pod c = get("c");
              assertThat(PoolPods.isGated(c)).isTrue();
              assertThat(annotation(c, REASON_ANNOTATION)).isEqualTo("PoolCapacityExceeded");
              assertThat(annotation(c, BILLING_MODE_ANNOTATION)).isNull();
              assertThat(eventsWithReason("PoolCapacityExceeded"))
                  .extracting(e -> e.getInvolvedObject().getName())
                  .containsExactly("c");
            });
    ResidentPool pool = client.resources(ResidentPool.class).inNamespace(NS).withName("two").get();
    assertThat(pool.getMetadata().getFinalizers()).contains(FINALIZER);
    assertThat(pool.getStatus().getCardUsage()).isEqualTo("2/2");
    assertThat(pool.getStatus().getWaitingPods()).isEqualTo(1);
  }

  @Test
  void deletingAResidentPodAdmitsTheWaitingOne() {
    client.resource(pool("one", 1, 10)).create();
    createPods("one", "first", "second");
    await().atMost(WAIT).until(() -> admitted(get("first")));

    client.pods().inNamespace(NS).withName("first").delete();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod second = get("second");
              assertThat(admitted(second)).isTrue();
              assertThat(annotation(second, REASON_ANNOTATION)).isNull();
            });
  }

  @Test
  void atExpiryResidentPodsAreEvictedAndReplacementsWaitWithPoolExpired() {
    client.resource(pool("short", 2, 10)).create();
    createPods("short", "resident");
    await().atMost(WAIT).until(() -> admitted(get("resident")));

    Set<String> evicted = recordEvictions("resident");
    clock.advance(Duration.ofDays(32));
    createPods("short", "replacement");
    await().atMost(WAIT).until(() -> evicted.contains("resident"));
    client.pods().inNamespace(NS).withName("resident").delete();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(get("resident")).isNull();
              Pod replacement = get("replacement");
              assertThat(PoolPods.isGated(replacement)).isTrue();
              assertThat(annotation(replacement, REASON_ANNOTATION)).isEqualTo("PoolExpired");
              assertThat(eventsWithReason("Expired")).hasSize(1);
            });
    ResidentPool pool =
        client.resources(ResidentPool.class).inNamespace(NS).withName("short").get();
    assertThat(pool.getStatus().getPhase()).isEqualTo("Expired");
    assertThat(pool.getStatus().getInstances()).isEmpty();
  }

  @Test
  void deletingAPoolWaitsForItsPodsThenRecordsTheRefund() {
    client.resource(pool("gone", 1, 10)).create();
    createPods("gone", "attached");
    await().atMost(WAIT).until(() -> admitted(get("attached")));

    client.resources(ResidentPool.class).inNamespace(NS).withName("gone").delete();
    await().atMost(WAIT).until(() -> !eventsWithReason("UnsubscribeWaiting").isEmpty());
    assertThat(client.resources(ResidentPool.class).inNamespace(NS).withName("gone").get())
        .isNotNull();

    clock.advance(Duration.ofDays(10));
    client.pods().inNamespace(NS).withName("attached").delete();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(
                      client.resources(ResidentPool.class).inNamespace(NS).withName("gone").get())
                  .isNull();
              // 1 Ada card + 10 GB in Hangzhou: 1027.70 paid for 31 days, 33.16 a day;
              // 10 days under 30: 33.16 x 10 x 1.2 = 397.92 consumed.
              assertThat(eventsWithReason("Unsubscribed"))
                  .singleElement()
                  .satisfies(
                      e ->
                          assertThat(e.getMessage()).startsWith("unsubscribed: refund 629.78 USD"));
            });
  }
}
