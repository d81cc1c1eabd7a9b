package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationSpec;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.SlotHolding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A full ledger of the largest quantity the CRD accepts fits the object limit of etcd (1.5 MiB, its
 * default --max-request-bytes) with room to spare (docs/capacity-reservation.md, "How large a
 * reservation can be").
 */
class LedgerSizeTest {
  static final int ETCD_OBJECT_LIMIT = 1_572_864; // 1.5 MiB

  static int storedBytes(int slots, int podNameLength) {
    CapacityReservation r = reservation("team-a", "r").quantity(slots).build();
    CapacityReservationStatus status = new CapacityReservationStatus();
    List<SlotHolding> ledger = new ArrayList<>();
    for (int i = 0; i < slots; i++) {
      String suffix = "-" + i;
      String name = "p".repeat(podNameLength - suffix.length()) + suffix;
      ledger.add(
          new SlotHolding(i, name, UUID.randomUUID().toString(), "2026-06-01T00:00:00.123Z"));
    }
    status.setLedger(ledger);
    status.setActive(slots);
    status.setIdle(0);
    r.setStatus(status);
    return Serialization.asJson(r).getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void fullLedgerOfTheMaximumQuantityWithTypicalPodNamesUsesUnderSixtyPercentOfEtcdsLimit() {
    // 63 characters: the longest name a Deployment's or a Job's pods get.
    assertThat(storedBytes(CapacityReservationSpec.MAX_QUANTITY, 63))
        .isLessThan(ETCD_OBJECT_LIMIT * 6 / 10);
  }

  @Test
  void fullLedgerOfTheMaximumQuantityFitsWithPodNamesUpTo200Characters() {
    // The API server accepts pod names up to 253 characters; a full ledger of those would not fit.
    assertThat(storedBytes(CapacityReservationSpec.MAX_QUANTITY, 200))
        .isLessThan(ETCD_OBJECT_LIMIT);
    assertThat(storedBytes(CapacityReservationSpec.MAX_QUANTITY, 253))
        .isGreaterThan(ETCD_OBJECT_LIMIT);
  }
}
