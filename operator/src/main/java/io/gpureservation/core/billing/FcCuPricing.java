package io.gpureservation.core.billing;

import io.gpureservation.core.catalog.CatalogModel.ActiveIdle;
import io.gpureservation.core.catalog.CatalogModel.CuFactors;
import io.gpureservation.core.catalog.CatalogModel.FunctionComputeCatalog;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Function Compute CU billing ({@code fc-cu-billing.zh.txt} / {@code .en.md}).
 *
 * <ol>
 *   <li>Each usage item × its CU factor = CU (exact; invocations use 75 CU per 10,000 calls, i.e.
 *       exactly 0.0075 CU per call).
 *   <li>Per hourly billing cycle, each function's CU is rounded up to a whole CU (CEILING); the
 *       functions' CU are added.
 *   <li>The sum is priced on the cumulative monthly tiers ({@link CuTiers}), exact products.
 *   <li>The payable amount is the exact total rounded to cents, HALF_UP (USD 0.672 → 0.67).
 * </ol>
 */
public final class FcCuPricing {
  /** One function's usage in one hourly billing cycle. */
  public record FunctionCycle(String function, FcUsage usage) {}

  private static final BigDecimal CALLS_PER_FACTOR_UNIT = BigDecimal.valueOf(10_000);

  private final FunctionComputeCatalog catalog;
  private final CuTiers tiers;

  public FcCuPricing(FunctionComputeCatalog catalog) {
    this.catalog = catalog;
    this.tiers = new CuTiers(catalog.tiers());
  }

  /** The usage table: one line per usage item with its factor and exact CU. */
  public List<LineItem> toCu(FcUsage usage) {
    CuFactors f = catalog.cuFactors();
    List<LineItem> lines = new ArrayList<>();
    lines.add(LineItem.of("Active vCPU", usage.activeVcpuSeconds(), "vCPU·s", f.activeVcpu()));
    lines.add(LineItem.of("Idle vCPU", usage.idleVcpuSeconds(), "vCPU·s", f.idleVcpu()));
    lines.add(LineItem.of("Memory", usage.memoryGBSeconds(), "GB·s", f.memory()));
    lines.add(LineItem.of("Disk", usage.diskGBSeconds(), "GB·s", f.disk()));
    if (usage.gpuSeries() != null) {
      Map.Entry<String, ActiveIdle> gpu =
          CatalogKeys.find(catalog.cuFactors().gpu(), usage.gpuSeries(), "gpuSeries");
      String series = gpu.getKey();
      lines.add(
          LineItem.of(
              series + " active GPU", usage.activeGpuGBSeconds(), "GB·s", gpu.getValue().active()));
      lines.add(
          LineItem.of(
              series + " idle GPU", usage.idleGpuGBSeconds(), "GB·s", gpu.getValue().idle()));
    }
    BigDecimal perCall = f.invocationsPer10k().divide(CALLS_PER_FACTOR_UNIT);
    lines.add(LineItem.of("Invocations", usage.invocations(), "call", perCall));
    return lines;
  }

  /** A function's CU in one cycle: the exact CU rounded up to a whole CU. */
  public BigDecimal cycleCu(FcUsage usage) {
    return Money.ceilWhole(Money.sum(toCu(usage)));
  }

  /**
   * Bills function cycles: usage table (prefixed with the function name when there are several),
   * then tier lines for the rounded CU, less what a resource plan covers ({@code resourcePlanCu},
   * at most the rounded CU), placed after {@code monthToDateCu} on the monthly tiers.
   */
  public Bill bill(
      List<FunctionCycle> cycles,
      BigDecimal monthToDateCu,
      BigDecimal resourcePlanCu,
      CuTiers.PriceList priceList) {
    Money.requireNonNegative(resourcePlanCu, "resourcePlanCu");
    List<LineItem> usageLines = new ArrayList<>();
    BigDecimal exactCu = BigDecimal.ZERO;
    BigDecimal roundedCu = BigDecimal.ZERO;
    for (FunctionCycle cycle : cycles) {
      String prefix = cycles.size() > 1 ? cycle.function() + ": " : "";
      List<LineItem> lines = toCu(cycle.usage());
      for (LineItem line : lines) {
        usageLines.add(
            new LineItem(
                prefix + line.description(),
                line.quantity(),
                line.unit(),
                line.unitPrice(),
                line.amount()));
      }
      BigDecimal cu = Money.sum(lines);
      exactCu = exactCu.add(cu);
      roundedCu = roundedCu.add(Money.ceilWhole(cu));
    }
    BigDecimal covered = resourcePlanCu.min(roundedCu);
    List<String> notes = new ArrayList<>();
    notes.add(
        "CU total: " + grouped(roundedCu) + " CU (each function's CU per hourly cycle rounded up)");
    if (roundedCu.compareTo(exactCu) != 0) {
      notes.add(
          "Rounding up added "
              + exactCu.negate().add(roundedCu).stripTrailingZeros().toPlainString()
              + " CU");
    }
    if (covered.signum() > 0) {
      notes.add("Resource plan covered " + grouped(covered) + " CU");
    }
    notes.add(
        priceList == CuTiers.PriceList.LIST
            ? "List prices"
            : "Promotional prices ("
                + catalog.promotionalFrom()
                + " to "
                + catalog.promotionalTo()
                + ")");
    return new Bill(
        "Function Compute CU",
        catalog.currency(),
        usageLines,
        tiers.price(monthToDateCu, roundedCu.subtract(covered), priceList),
        notes);
  }

  private static String grouped(BigDecimal wholeCu) {
    return String.format(Locale.ROOT, "%,d", wholeCu.toBigIntegerExact());
  }
}
