package io.gpureservation.core.billing;

import io.gpureservation.core.catalog.CatalogModel.ActiveIdle;
import io.gpureservation.core.catalog.CatalogModel.GpuIdleRates;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Function Compute GPU idle billing of 2024-06-14 ({@code fc-gpu-idle-billing.txt}): a provisioned
 * GPU instance's GPU usage is GPU memory × seconds, 1 CU per GB-second (Tesla and Ampere); with
 * idle mode off the whole provisioned time is active, with idle mode on the time without requests
 * is idle. Fee = active CU × active rate + idle CU × idle rate, per currency, exact products (the
 * page states USD 1.0368 and CNY 6.336 unrounded). The savings percentage is rounded to 1 decimal
 * HALF_UP (~30.6%).
 */
public final class FcGpuIdlePricing {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final GpuIdleRates rates;

  public FcGpuIdlePricing(GpuIdleRates rates) {
    this.rates = rates;
  }

  /**
   * Bills one provisioned GPU instance.
   *
   * @param gpuSeries Tesla or Ampere (ignoring case)
   * @param gpuGB GPU memory of the instance
   * @param provisionedMillis time the instance was provisioned
   * @param activeMillis time requests ran (≤ provisioned)
   */
  public Bill bill(
      String gpuSeries,
      BigDecimal gpuGB,
      long provisionedMillis,
      long activeMillis,
      boolean idleMode,
      String currency) {
    Money.requireNonNegative(gpuGB, "gpuGB");
    if (activeMillis < 0 || provisionedMillis < activeMillis) {
      throw new IllegalArgumentException("activeSeconds must be between 0 and provisionedSeconds");
    }
    Map.Entry<String, BigDecimal> series =
        CatalogKeys.find(rates.cuPerGBSecond(), gpuSeries, "gpuSeries");
    ActiveIdle perCu = CatalogKeys.find(rates.perCu(), currency, "currency").getValue();
    long active = idleMode ? activeMillis : provisionedMillis;
    long idle = provisionedMillis - active;
    BigDecimal cuPerGBs = series.getValue();
    List<LineItem> usage = new ArrayList<>();
    List<LineItem> charges = new ArrayList<>();
    LineItem activeUsage = usageLine("Active", gpuGB, active, cuPerGBs);
    usage.add(activeUsage);
    charges.add(LineItem.of("Active GPU fee", activeUsage.amount(), "CU", perCu.active()));
    if (idleMode) {
      LineItem idleUsage = usageLine("Idle", gpuGB, idle, cuPerGBs);
      usage.add(idleUsage);
      charges.add(LineItem.of("Idle GPU fee", idleUsage.amount(), "CU", perCu.idle()));
    }
    return new Bill(
        "Function Compute GPU (" + series.getKey() + "), idle mode " + (idleMode ? "on" : "off"),
        currency.toUpperCase(Locale.ROOT),
        usage,
        charges,
        List.of(
            "GPU rates since "
                + rates.effectiveFrom()
                + ": 1 CU = "
                + cuPerGBs.toPlainString()
                + " GB-second"));
  }

  /** GPU GB × seconds, converted to CU by the series' CU per GB-second. */
  private static LineItem usageLine(
      String state, BigDecimal gpuGB, long millis, BigDecimal cuPerGBs) {
    BigDecimal seconds = Money.seconds(millis);
    String label =
        state
            + " GPU usage: "
            + gpuGB.toPlainString()
            + " GB x "
            + seconds.stripTrailingZeros().toPlainString()
            + " s";
    return LineItem.of(label, gpuGB.multiply(seconds), "GB·s", cuPerGBs);
  }

  /** Share saved by {@code withIdle} against {@code withoutIdle}, in percent, 1 decimal HALF_UP. */
  public static BigDecimal savingsPercent(Bill withoutIdle, Bill withIdle) {
    BigDecimal off = withoutIdle.total();
    if (off.signum() == 0) {
      return BigDecimal.ZERO.setScale(1);
    }
    return off.subtract(withIdle.total()).multiply(HUNDRED).divide(off, 1, RoundingMode.HALF_UP);
  }
}
