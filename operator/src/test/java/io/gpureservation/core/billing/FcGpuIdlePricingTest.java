package io.gpureservation.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Golden tests from fc-gpu-idle-billing.txt, "Billing example": Stable Diffusion on a 16 GB Tesla
 * card, provisioned 1 hour, 1,800 invocations of 1 s each.
 */
class FcGpuIdlePricingTest {
  private static final BigDecimal GPU_GB = new BigDecimal("16");
  private static final long HOUR_MS = 3_600_000L;
  private static final long ACTIVE_MS = 1800 * 1000L;
  private final FcGpuIdlePricing pricing =
      new FcGpuIdlePricing(Catalog.defaults().functionCompute().gpuIdle2024());

  @Test
  void fcGpuIdle_idleModeOff_57_600CU_is_USD1_0368() {
    Bill bill = pricing.bill("Tesla", GPU_GB, HOUR_MS, ACTIVE_MS, false, "USD");
    assertThat(bill.charge("Active GPU fee").quantity()).isEqualByComparingTo("57600");
    assertThat(bill.charge("Active GPU fee").amount()).isEqualByComparingTo("1.0368");
    assertThat(bill.charges()).hasSize(1);
    assertThat(bill.total()).isEqualByComparingTo("1.0368");
  }

  @Test
  void fcGpuIdle_idleModeOn_28_800CUActive_28_800CUIdle_is_USD0_72() {
    Bill bill = pricing.bill("Tesla", GPU_GB, HOUR_MS, ACTIVE_MS, true, "USD");
    assertThat(bill.charge("Active GPU fee").quantity()).isEqualByComparingTo("28800");
    assertThat(bill.charge("Active GPU fee").amount()).isEqualByComparingTo("0.5184");
    assertThat(bill.charge("Idle GPU fee").quantity()).isEqualByComparingTo("28800");
    assertThat(bill.charge("Idle GPU fee").amount()).isEqualByComparingTo("0.2016");
    assertThat(bill.total()).isEqualByComparingTo("0.72");
  }

  @Test
  void fcGpuIdle_savingsAbout30_6Percent() {
    Bill off = pricing.bill("Tesla", GPU_GB, HOUR_MS, ACTIVE_MS, false, "USD");
    Bill on = pricing.bill("Tesla", GPU_GB, HOUR_MS, ACTIVE_MS, true, "USD");
    assertThat(FcGpuIdlePricing.savingsPercent(off, on)).isEqualByComparingTo("30.6");
  }

  @Test
  void fcGpuIdle_cnyLines_6_336_and_4_32() {
    Bill off = pricing.bill("Tesla", GPU_GB, HOUR_MS, ACTIVE_MS, false, "CNY");
    Bill on = pricing.bill("tesla", GPU_GB, HOUR_MS, ACTIVE_MS, true, "cny");
    assertThat(off.total()).isEqualByComparingTo("6.336"); // 0.00011 × 57,600
    assertThat(on.total()).isEqualByComparingTo("4.32"); // 0.00011 × 28,800 + 0.00004 × 28,800
    assertThat(on.currency()).isEqualTo("CNY");
  }

  @Test
  void fcGpuIdle_ampereSeriesUsesOneCuPerGBSecond() {
    Bill bill = pricing.bill("Ampere", new BigDecimal("24"), 1000, 1000, false, "USD");
    assertThat(bill.charge("Active GPU fee").quantity()).isEqualByComparingTo("24");
  }

  @Test
  void fcGpuIdle_activeTimeBeyondProvisionedTimeIsRefused() {
    assertThatThrownBy(() -> pricing.bill("Tesla", GPU_GB, 1000, 2000, true, "USD"))
        .hasMessageContaining("activeSeconds");
    assertThatThrownBy(() -> pricing.bill("Tesla", GPU_GB, 1000, 0, true, "EUR"))
        .hasMessageStartingWith("currency");
  }
}
