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

/** Reservation lifecycle Events: Expired, ScaledDown, Released (docs/capacity-reservation.md). */
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
  void loweringTheQuantityIsAScaledDownEvent() {
    List<ObjectEvent> events =
        ReservationEvents.between(withStatus(3, "Active", 2), withStatus(1, "Active", 2));

    assertThat(events).extracting(ObjectEvent::reason).containsExactly("ScaledDown");
    assertThat(events.get(0).message()).startsWith("quantity 3 -> 1");
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
