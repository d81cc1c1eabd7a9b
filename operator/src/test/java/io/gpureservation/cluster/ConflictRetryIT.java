package io.gpureservation.cluster;

import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.SlotHolding;
import io.gpureservation.it.RealCluster;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Writes carry the resourceVersion they were composed from and recompose on conflict. On a real API
 * server: the mock server does not refuse stale resourceVersions on status writes.
 */
class ConflictRetryIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();

  @Test
  void staleObjectIsReReadAndTheStatusComposedAgainOnConflict() {
    KubernetesClient client = cluster.admin();
    String ns = cluster.namespace();
    CapacityReservation stale = client.resource(reservation(ns, "r").build()).create();
    CapacityReservation newer =
        client.resources(CapacityReservation.class).inNamespace(ns).withName("r").get();
    newer.getSpec().setQuantity(3);
    client.resource(newer).update(); // someone else wrote since "stale" was read

    AtomicInteger compositions = new AtomicInteger();
    CapacityReservation stored =
        ConflictRetry.write(
                stale,
                r -> {
                  compositions.incrementAndGet();
                  CapacityReservationStatus s = new CapacityReservationStatus();
                  s.setIdle(r.getSpec().getQuantity()); // derived from what was read
                  s.setActive(0);
                  s.setLedger(List.of(new SlotHolding(0, "p", "uid-p", "2026-01-01T00:00:00Z")));
                  r.setStatus(s);
                  return Optional.of(r);
                },
                r -> client.resource(r).updateStatus(),
                r -> reRead(client, r))
            .orElseThrow();

    assertThat(compositions.get()).isEqualTo(2);
    assertThat(stored.getStatus().getIdle()).isEqualTo(3);
    CapacityReservation read =
        client.resources(CapacityReservation.class).inNamespace(ns).withName("r").get();
    assertThat(read.getStatus().getLedger()).hasSize(1);
    assertThat(read.getSpec().getQuantity()).isEqualTo(3);
  }

  @Test
  void goneReservationIsNotAnError() {
    KubernetesClient client = cluster.admin();
    String ns = cluster.namespace();
    CapacityReservation ghost = reservation(ns, "ghost").build();
    ghost.getMetadata().setResourceVersion("1");

    assertThat(
            ConflictRetry.write(
                ghost,
                r -> Optional.of(r),
                r -> client.resource(r).updateStatus(),
                r -> reRead(client, r)))
        .isEmpty();
  }

  private static CapacityReservation reRead(KubernetesClient client, CapacityReservation r) {
    return client
        .resources(CapacityReservation.class)
        .inNamespace(r.getMetadata().getNamespace())
        .withName(r.getMetadata().getName())
        .get();
  }
}
