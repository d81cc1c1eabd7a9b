package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_MODE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.FINALIZER;
import static io.gpureservation.api.v1alpha1.GpuReservation.REASON_ANNOTATION;
import static io.gpureservation.pool.Pools.NS;
import static io.gpureservation.pool.Pools.annotation;
import static io.gpureservation.pool.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.ResidentPool;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ResidentPool controller end to end on the fabric8 mock server: gates, annotations, FIFO
 * release, eviction at expiry and the finalizer.
 */
class ResidentPoolReconcilerTest extends MockPoolOperatorTest {

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
  void aPodLabelledForAPoolThatDoesNotExistWaitsWithPoolNotFoundUntilItIsCreated() {
    createPods("missing", "lost");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod lost = get("lost");
              assertThat(PoolPods.isGated(lost)).isTrue();
              assertThat(annotation(lost, REASON_ANNOTATION)).isEqualTo("PoolNotFound");
              assertThat(eventsWithReason("PoolNotFound"))
                  .extracting(e -> e.getInvolvedObject().getName())
                  .containsExactly("lost");
            });

    client.resource(pool("missing", 1, 10)).create();

    await().atMost(WAIT).untilAsserted(() -> assertThat(admitted(get("lost"))).isTrue());
    assertThat(annotation(get("lost"), REASON_ANNOTATION)).isNull();
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
