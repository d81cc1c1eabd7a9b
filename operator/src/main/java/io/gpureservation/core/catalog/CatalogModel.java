package io.gpureservation.core.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The catalog's YAML document bound to plain records (one nested record per YAML mapping). Field
 * names are the YAML keys; {@code docs/billing.md} describes every key and its reference source.
 */
public record CatalogModel(
    String currency,
    Map<String, CardTypeDefinition> cardTypes,
    ResidentPoolCatalog residentPool,
    FunctionComputeCatalog functionCompute,
    FunctionGraphCatalog functionGraph,
    Map<String, SavingsPlanType> savingsPlans) {

  public CatalogModel {
    savingsPlans = savingsPlans == null ? Map.of() : savingsPlans;
  }

  /**
   * One GPU pod card type: aliases, GPU memory per card, reservation shapes, example rates,
   * per-region rates ({@code regionRates.<region>}: either rate may be left out, the example rate
   * is then used — docs/billing.md, "Region rates") and {@code residentSeries}, the resident-pool
   * card series that sells this card (null: none).
   */
  public record CardTypeDefinition(
      List<String> aliases,
      int gpuMemoryGB,
      HourlyRates exampleRates,
      List<CardShape> specs,
      Map<String, HourlyRates> regionRates,
      String residentSeries) {
    public CardTypeDefinition {
      regionRates = regionRates == null ? Map.of() : regionRates;
    }
  }

  /** A row of the reservation specification table: the highest vCPU/memory for a card count. */
  public record CardShape(int cards, BigDecimal vcpu, BigDecimal memoryGiB) {}

  /**
   * Per card-hour rates (EXAMPLE values in the default catalog, see docs/billing.md). {@code
   * lendingPerCardHour} is what a borrower pays for a lent slot (docs/lending.md, "Money"); when
   * left out it is {@link #DEFAULT_LENDING_SHARE} of the pay-as-you-go rate.
   */
  public record HourlyRates(
      BigDecimal reservationPerCardHour,
      BigDecimal payAsYouGoPerCardHour,
      BigDecimal lendingPerCardHour) {
    public HourlyRates(BigDecimal reservationPerCardHour, BigDecimal payAsYouGoPerCardHour) {
      this(reservationPerCardHour, payAsYouGoPerCardHour, null);
    }
  }

  /**
   * A lent slot's rate when the catalog names none: 60 % of the pay-as-you-go rate (a 40 % discount
   * for capacity that may be taken back at any time), an exact product.
   */
  public static final BigDecimal DEFAULT_LENDING_SHARE = new BigDecimal("0.60");

  /** Resident resource pool prices. */
  public record ResidentPoolCatalog(
      String currency,
      int includedDiskPerCardGB,
      Map<String, ResidentCardSeries> series,
      Map<String, ResidentRegion> regions) {}

  /** A resident-pool full-card series (per card: GPU memory, vCPU, memory, disk). */
  public record ResidentCardSeries(int gpuMemoryGB, int vcpu, int memoryGB, int diskGB) {}

  /** A resident-pool price region: display name, disk price per GB-month, card monthly prices. */
  public record ResidentRegion(
      String name, BigDecimal diskPerGBMonth, Map<String, BigDecimal> cardMonthly) {}

  /** Function Compute CU factors, monthly tiers and the 2024-06 GPU idle rates. */
  public record FunctionComputeCatalog(
      String currency,
      CuFactors cuFactors,
      List<CuTier> tiers,
      String promotionalFrom,
      String promotionalTo,
      GpuIdleRates gpuIdle2024) {}

  /** Usage-to-CU factors; {@code gpu} is keyed by GPU series (Tesla, Ada). */
  public record CuFactors(
      BigDecimal invocationsPer10k,
      BigDecimal activeVcpu,
      BigDecimal idleVcpu,
      BigDecimal memory,
      BigDecimal disk,
      BigDecimal diskFreeGB,
      Map<String, ActiveIdle> gpu) {}

  /** A pair of values for the active and the idle state (CU factors or unit prices). */
  public record ActiveIdle(BigDecimal active, BigDecimal idle) {}

  /** A cumulative monthly tier; {@code upToCu} is the inclusive upper bound, null = unbounded. */
  public record CuTier(Long upToCu, BigDecimal list, BigDecimal promotional) {}

  /** GPU idle billing from 2024-06-14: CU per GB-second by series, per-CU rates by currency. */
  public record GpuIdleRates(
      String effectiveFrom, Map<String, BigDecimal> cuPerGBSecond, Map<String, ActiveIdle> perCu) {}

  /** FunctionGraph free quotas, minimum reserved duration and (example) unit prices. */
  public record FunctionGraphCatalog(
      String currency,
      long freeRequestsPerMonth,
      BigDecimal freeGBSecondsPerMonth,
      int reservedMinimumSeconds,
      FunctionGraphPrices examplePrices) {}

  /** FunctionGraph unit prices (the reference gives none: EXAMPLE values by default). */
  public record FunctionGraphPrices(
      BigDecimal perMillionRequests, BigDecimal perGBSecond, BigDecimal idlePerGBSecond) {}

  /**
   * A savings plan type on offer (EXAMPLE values by default): term in months, discount off the list
   * rate (0..1), and the attributes it matches — {@code region} (absent: every region) and {@code
   * cardTypes} (absent or empty: every card type).
   */
  public record SavingsPlanType(
      int termMonths, BigDecimal discount, String region, List<String> cardTypes) {
    public SavingsPlanType {
      cardTypes = cardTypes == null ? List.of() : cardTypes;
    }
  }
}
