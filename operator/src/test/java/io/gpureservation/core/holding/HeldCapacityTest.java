package io.gpureservation.core.holding;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.core.matching.SlotShape;
import org.junit.jupiter.api.Test;

/** docs/capacity-holding.md "Held or not": the CapacityHeld message. */
class HeldCapacityTest {
  private static final SlotShape L20 = new SlotShape("L20", 1, 16_000, 128L << 30);

  @Test
  void namesTheCountsAndTheShapeNoNodeCouldTake() {
    assertThat(HeldCapacity.message(2, 3, L20, "cn-hangzhou-b", null))
        .isEqualTo(
            "2 of 3 idle slots held; no node with 1 × L20, 16 vCPU, 128Gi free in zone cn-hangzhou-b");
  }

  @Test
  void withoutAZoneSaysNoZone() {
    assertThat(HeldCapacity.message(0, 1, L20, null, null))
        .isEqualTo("0 of 1 idle slot held; no node with 1 × L20, 16 vCPU, 128Gi free");
  }

  @Test
  void aRegionalReservationNamesItsRegion_andItsZoneWhenPinnedToBoth() {
    assertThat(HeldCapacity.message(0, 2, L20, null, "cn-shanghai"))
        .isEqualTo(
            "0 of 2 idle slots held; no node with 1 × L20, 16 vCPU, 128Gi free in region cn-shanghai");
    assertThat(HeldCapacity.message(1, 2, L20, "cn-shanghai-b", "cn-shanghai"))
        .endsWith("free in zone cn-shanghai-b of region cn-shanghai");
  }

  @Test
  void allHeldSaysOnlyTheCounts() {
    assertThat(HeldCapacity.message(3, 3, L20, "zone-a", null)).isEqualTo("3 of 3 idle slots held");
  }

  @Test
  void fractionalCpuAndMebibytes() {
    assertThat(HeldCapacity.cpu(500)).isEqualTo("0.5");
    assertThat(HeldCapacity.memory(512L << 20)).isEqualTo("512Mi");
    assertThat(HeldCapacity.memory(1000)).isEqualTo("1000");
  }
}
