package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.SlotHolding;
import io.gpureservation.cluster.ObjectEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reservation lifecycle Events: Expired, Opened, Closed, ScaledDown, Released
 * (docs/capacity-reservation.md).
 */
@EnableKubernetesMockClient(crud = true)
class ReservationEventsTest {
  KubernetesClient client;

  private static CapacityReservation withStatus(int quantity, String phase, int holders) {
    CapacityReservation r = reservation("team-a", "l20").quantity(quantity).build();
    r.getMetadata().setUid("uid-l20");
    r.getMetadata().setGeneration(2L);
    CapacityReservationStatus s = new CapacityReservationStatus();
    s.setPhase(phase);
    s.setExpiredAt(phase.equals("Expired") ? "2026-03-01T00:00:00Z" : null);
    s.setLedger(
        java.util.stream.IntStream.range(0, holders)
            .mapToObj(i -> new SlotHolding(i, "p" + i, "u" + i, "2026-02-01T00:00:00Z"))
            .toList());
    r.setStatus(s);
    return r;
  }

  @Test
  void reachingReleaseAtIsAnExpiredWarning() {
    List<ObjectEvent> events =
        ReservationEvents.between(withStatus(2, "Active", 1), withStatus(2, "Expired", 0));

    assertThat(events).extracting(ObjectEvent::reason).containsExactly("Expired");
    assertThat(events.get(0).type()).isEqualTo("Warning");
    assertThat(events.get(0).message()).contains("1 pod(s) holding one return to pay-as-you-go");
  }

  @Test
  void aWindowOpeningAndClosingAreEventsNamedAfterTheEdge() {
    // docs/time-windows.md: the edge is the one the status before the change named
    CapacityReservation pending = withStatus(2, "Pending", 0);
    pending.getStatus().setNextEdge("2026-03-02T08:00:00Z");
    CapacityReservation active = withStatus(2, "Active", 1);
    active.getStatus().setNextEdge("2026-03-02T20:00:00Z");

    List<ObjectEvent> opened = ReservationEvents.between(pending, active);
    List<ObjectEvent> closed = ReservationEvents.between(active, withStatus(2, "Pending", 0));

    assertThat(opened).extracting(ObjectEvent::reason).containsExactly("Opened");
    assertThat(opened.get(0).key()).isEqualTo("opened-2026-03-02T08:00:00Z");
    assertThat(closed).extracting(ObjectEvent::reason).containsExactly("Closed");
    assertThat(closed.get(0).key()).isEqualTo("closed-2026-03-02T20:00:00Z");
    assertThat(closed.get(0).message())
        .isEqualTo(
            "live period ended at 2026-03-02T20:00:00Z: its slots are released until the next"
                + " window; 1 pod(s) holding one return to pay-as-you-go");
  }

  @Test
  void loweringTheQuantityIsAScaledDownEvent() {
    List<ObjectEvent> events =
        ReservationEvents.between(withStatus(3, "Active", 2), withStatus(1, "Active", 2));

    assertThat(events).extracting(ObjectEvent::reason).containsExactly("ScaledDown");
    assertThat(events.get(0).message()).startsWith("quantity 3 -> 1");
  }

  private static CapacityReservation held(String status, String reason, String at) {
    CapacityReservation r = withStatus(2, "Active", 0);
    r.getStatus()
        .setConditions(
            List.of(
                new io.fabric8.kubernetes.api.model.ConditionBuilder()
                    .withType("CapacityHeld")
                    .withStatus(status)
                    .withReason(reason)
                    .withMessage(
                        reason.equals("AllHeld")
                            ? "2 of 2 idle slots held"
                            : "1 of 2 idle slots held; no node with 1 × L20, 16 vCPU, 128Gi free")
                    .withLastTransitionTime(at)
                    .build()));
    return r;
  }

  // docs/capacity-holding.md "Held or not": an Event on every change of CapacityHeld.
  @Test
  void losingAndRegainingHeldCapacityAreEvents() {
    List<ObjectEvent> lost =
        ReservationEvents.between(
            held("True", "AllHeld", "2026-03-01T00:00:00Z"),
            held("False", "InsufficientCapacity", "2026-03-01T01:00:00Z"));
    assertThat(lost).extracting(ObjectEvent::reason).containsExactly("InsufficientCapacity");
    assertThat(lost.get(0).type()).isEqualTo("Warning");
    assertThat(lost.get(0).message()).contains("no node with 1 × L20");

    List<ObjectEvent> regained =
        ReservationEvents.between(
            held("False", "InsufficientCapacity", "2026-03-01T01:00:00Z"),
            held("True", "AllHeld", "2026-03-01T02:00:00Z"));
    assertThat(regained).extracting(ObjectEvent::reason).containsExactly("CapacityHeld");
    assertThat(regained.get(0).type()).isEqualTo("Normal");

    assertThat(
            ReservationEvents.between(
                held("True", "AllHeld", "2026-03-01T02:00:00Z"),
                held("True", "AllHeld", "2026-03-01T02:00:00Z")))
        .isEmpty();
  }

  @Test
  void deletingIsAReleasedEventAndOtherChangesAreQuiet() {
    assertThat(ReservationEvents.between(withStatus(2, "Active", 1), null))
        .extracting(ObjectEvent::reason)
        .containsExactly("Released");
    assertThat(ReservationEvents.between(withStatus(2, "Active", 1), withStatus(3, "Active", 1)))
        .isEmpty();
  }

  @Test
  void theWatcherRecordsTheEventsOfStoredChanges() {
    CapacityReservation stored =
        client.resource(reservation("team-a", "shrinking").quantity(3).build()).create();
    try (ReservationEvents events = ReservationEvents.start(client, Clock.systemUTC())) {
      stored.getSpec().setQuantity(1);
      client.resource(stored).update();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(client.v1().events().inNamespace("team-a").list().getItems())
                      .extracting(e -> e.getReason())
                      .contains("ScaledDown"));
    }
  }
}
