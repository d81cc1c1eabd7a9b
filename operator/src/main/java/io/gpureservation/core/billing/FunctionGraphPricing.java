package io.gpureservation.core.billing;

import io.gpureservation.core.catalog.CatalogModel.FunctionGraphCatalog;
import io.gpureservation.core.catalog.CatalogModel.FunctionGraphPrices;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Huawei Cloud FunctionGraph monthly bill ({@code functiongraph-billing.txt}).
 *
 * <ul>
 *   <li>Requests: the first 1,000,000 a month are free; the rest × price per 1,000,000 (exact:
 *       division by 10^6 terminates).
 *   <li>On-demand execution: each execution rounded up to a whole second (under 1 s → 1 s); memory
 *       GB × seconds.
 *   <li>Reserved instance: lifetime under 1 minute → 1 minute; otherwise rounded up to a whole
 *       second. Without idle mode: memory × lifetime at the execution price. With idle mode: memory
 *       × execution seconds (rounded up to 1 s) at the execution price and memory × (lifetime −
 *       execution) at the idle price.
 *   <li>The 400,000 GB-s free quota is deducted from execution-price GB-s only; idle-mode idle time
 *       is outside the free quota.
 * </ul>
 *
 * Memory MB ÷ 1024 is exact. Amounts are exact products; the payable total is rounded to cents. The
 * page gives no unit prices: the catalog's default prices are EXAMPLES.
 */
public final class FunctionGraphPricing {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final BigDecimal MB_PER_GB = BigDecimal.valueOf(1024);

  /** {@code count} on-demand executions of a function, each lasting {@code durationMillis}. */
  public record OnDemand(String function, int memoryMB, long executions, long durationMillis) {
    public OnDemand {
      requireNonNegative(memoryMB, function + ".memoryMB");
      requireNonNegative(executions, function + ".executions");
      requireNonNegative(durationMillis, function + ".durationMillis");
    }
  }

  /** One reserved instance: how long it lived and how long requests ran on it. */
  public record Reserved(
      String function, int memoryMB, long lifetimeMillis, long executionMillis, boolean idleMode) {
    public Reserved {
      requireNonNegative(memoryMB, function + ".memoryMB");
      requireNonNegative(lifetimeMillis, function + ".lifetimeMillis");
      requireNonNegative(executionMillis, function + ".executionMillis");
      if (executionMillis > lifetimeMillis) {
        throw new IllegalArgumentException(function + ".executionSeconds exceeds lifetimeSeconds");
      }
    }
  }

  private final FunctionGraphCatalog catalog;

  public FunctionGraphPricing(FunctionGraphCatalog catalog) {
    this.catalog = catalog;
  }

  /** Billed seconds of one on-demand execution: rounded up to 1 s, at least 1 s. */
  public static long billedExecutionSeconds(long durationMillis) {
    return Math.max(1, ceilSeconds(durationMillis));
  }

  /** Billed seconds of a reserved instance's lifetime: 1 minute minimum, then rounded up to 1 s. */
  public long billedReservedSeconds(long lifetimeMillis) {
    return Math.max(catalog.reservedMinimumSeconds(), ceilSeconds(lifetimeMillis));
  }

  /** The month's bill. */
  public Bill bill(long requests, List<OnDemand> onDemand, List<Reserved> reserved) {
    requireNonNegative(requests, "requests");
    FunctionGraphPrices prices = catalog.examplePrices();
    List<LineItem> usage = new ArrayList<>();
    BigDecimal activeGBs = BigDecimal.ZERO;
    BigDecimal idleGBs = BigDecimal.ZERO;
    for (OnDemand run : onDemand) {
      long seconds =
          Math.multiplyExact(run.executions(), billedExecutionSeconds(run.durationMillis()));
      LineItem line =
          gbSeconds(
              run.function() + ": on demand, " + run.executions() + " executions",
              run.memoryMB(),
              seconds);
      usage.add(line);
      activeGBs = activeGBs.add(line.amount());
    }
    for (Reserved instance : reserved) {
      long lifetime = billedReservedSeconds(instance.lifetimeMillis());
      long execution =
          instance.idleMode()
              ? Math.min(lifetime, ceilSeconds(instance.executionMillis()))
              : lifetime;
      LineItem active =
          gbSeconds(instance.function() + ": reserved, executing", instance.memoryMB(), execution);
      usage.add(active);
      activeGBs = activeGBs.add(active.amount());
      if (instance.idleMode()) {
        LineItem idle =
            gbSeconds(
                instance.function() + ": reserved, idle",
                instance.memoryMB(),
                lifetime - execution);
        usage.add(idle);
        idleGBs = idleGBs.add(idle.amount());
      }
    }
    BigDecimal billableRequests =
        BigDecimal.valueOf(Math.max(0, requests - catalog.freeRequestsPerMonth()));
    BigDecimal billableActive =
        activeGBs.subtract(catalog.freeGBSecondsPerMonth()).max(BigDecimal.ZERO);
    List<LineItem> charges = new ArrayList<>();
    charges.add(
        LineItem.of(
            String.format(
                Locale.ROOT, "Requests beyond the free %,d", catalog.freeRequestsPerMonth()),
            billableRequests.divide(MILLION),
            "million requests",
            prices.perMillionRequests()));
    charges.add(
        LineItem.of(
            String.format(
                Locale.ROOT,
                "Execution beyond the free %,.0f GB-s",
                catalog.freeGBSecondsPerMonth()),
            billableActive,
            "GB-s",
            prices.perGBSecond()));
    charges.add(
        LineItem.of(
            "Idle mode idle time (no free quota)", idleGBs, "GB-s", prices.idlePerGBSecond()));
    return new Bill(
        "FunctionGraph",
        catalog.currency(),
        usage,
        charges,
        List.of(
            "Requests: "
                + requests
                + "; execution GB-s: "
                + activeGBs.toPlainString()
                + "; idle GB-s: "
                + idleGBs.toPlainString(),
            "Unit prices from the catalog (the defaults are EXAMPLE prices: the page gives none)"));
  }

  private static LineItem gbSeconds(String description, int memoryMB, long seconds) {
    BigDecimal gb = BigDecimal.valueOf(memoryMB).divide(MB_PER_GB);
    return LineItem.of(
        description + " (" + memoryMB + " MB)", BigDecimal.valueOf(seconds), "s", gb);
  }

  private static long ceilSeconds(long millis) {
    return (millis + 999) / 1000;
  }

  private static void requireNonNegative(long value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must not be negative: " + value);
    }
  }
}
