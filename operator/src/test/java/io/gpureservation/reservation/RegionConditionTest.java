package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationConditions;
import io.gpureservation.core.catalog.Catalog;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A reservation in a region no node has says so in CapacityHeld (docs/capacity-reservation.md
 * "Region"); the API server cannot see nodes, so this condition is where the refusal lives.
 */
class RegionConditionTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private final Catalog catalog = Catalog.defaults();
  private final ReservationShapes shapes = new ReservationShapes(catalog);
  private final ReservationStatusComposer composer =
      new ReservationStatusComposer(catalog, Set.of("cn-hangzhou")::contains);

  private Condition capacityHeld(CapacityReservation r, int idle, int held) {
    r.getMetadata().setGeneration(1L);
    return composer
        .compose(r, shapes.resolve(r.getSpec()), new SlotsView(List.of(), idle, held, 0, null), T0)
        .getConditions()
        .stream()
        .filter(c -> CapacityReservationConditions.CAPACITY_HELD.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aRegionNoNodeHasIsNamedInCapacityHeld() {
    Condition held =
        capacityHeld(reservation("ns", "r").quantity(2).region("cn-shanghai").build(), 2, 0);

    assertThat(held.getStatus()).isEqualTo("False");
    assertThat(held.getReason()).isEqualTo(CapacityReservationConditions.REASON_UNKNOWN_REGION);
    assertThat(held.getMessage())
        .isEqualTo(
            "spec.region cn-shanghai: no node has the label"
                + " topology.kubernetes.io/region=cn-shanghai; 0 of 2 idle slots held");
  }

  @Test
  void aRegionWithNodesIsHeldAsUsual() {
    Condition held =
        capacityHeld(reservation("ns", "r").quantity(2).region("cn-hangzhou").build(), 2, 2);

    assertThat(held.getStatus()).isEqualTo("True");
    assertThat(held.getReason()).isEqualTo(CapacityReservationConditions.REASON_ALL_HELD);
  }
}
