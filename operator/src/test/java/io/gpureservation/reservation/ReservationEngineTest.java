package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.cluster.GpuPods;
import io.gpureservation.cluster.MutableClock;
import io.gpureservation.cluster.OperatorConfig;
import io.gpureservation.core.catalog.Catalog;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine alone, fed as the reconcilers feed it, with caches standing in for informers. */
class ReservationEngineTest {
  private static final String NS = "team-a";

  private final ReservationShapes shapes = new ReservationShapes(Catalog.defaults());
  private final ReservationEngine engine =
      new ReservationEngine(
          new GpuPods(OperatorConfig.defaults(), Catalog.defaults()),
          shapes,
          new MutableClock(Instant.parse("2026-06-01T00:00:00Z")));
  private final List<ResourceID> triggered = new ArrayList<>();

  ReservationEngineTest() {
    engine.useCaches(
        new ClusterCaches() {
          @Override
          public List<CapacityReservation> reservations(String namespace) {
            return List.of();
          }

          @Override
          public List<CapacityReservation> allReservations() {
            return List.of();
          }

          @Override
          public List<Pod> pods(String namespace) {
            return List.of();
          }

          @Override
          public Optional<ResidentPool> pool(String namespace, String name) {
            return Optional.empty();
          }

          @Override
          public void awaitSynced() {}
        });
    engine.onReservationChanges(triggered::add);
  }

  private void feed(int quantity, String resourceVersion) {
    CapacityReservation r = reservation(NS, "r").quantity(quantity).build();
    r.getMetadata().setUid("uid-r");
    r.getMetadata().setResourceVersion(resourceVersion);
    engine.reservationChanged(r, shapes.resolve(r.getSpec()));
  }

  @Test
  void whileTheInformersStartTheWebhookAndMetricsDoNotReadTheirCaches() {
    // An informer read before it started throws; the webhook answers from the first second.
    engine.useCaches(
        new ClusterCaches() {
          @Override
          public List<CapacityReservation> reservations(String namespace) {
            throw new NullPointerException("informer not started");
          }

          @Override
          public List<CapacityReservation> allReservations() {
            throw new NullPointerException("informer not started");
          }

          @Override
          public List<Pod> pods(String namespace) {
            throw new NullPointerException("informer not started");
          }

          @Override
          public boolean synced() {
            return false;
          }

          @Override
          public Optional<ResidentPool> pool(String namespace, String name) {
            return Optional.empty();
          }

          @Override
          public void awaitSynced() {}
        });

    assertThat(engine.hasLiveReservations(NS)).isFalse();
    assertThat(engine.reservations()).isEmpty();
  }

  @Test
  void resourceVersionIsOpaque_theObjectDeliveredLastWinsWhateverItsVersionReads() {
    // docs/architecture.md, "Ledger first, annotation second": versions are never compared.
    feed(1, "900");
    feed(3, "1000"); // numerically larger, and newer
    feed(2, "99"); // "smaller" as a number or as text, and newer still

    assertThat(engine.slots(NS, "r").idle()).isEqualTo(2);
  }

  @Test
  void aChangeTriggersTheReconcileOfTheReservationItChanged_andNothingElse() {
    feed(1, "a");
    assertThat(triggered).containsExactly(new ResourceID("r", NS));

    triggered.clear();
    feed(1, "b"); // nothing changed in the matcher

    assertThat(triggered).isEmpty();
  }
}
