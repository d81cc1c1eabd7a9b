package io.gpureservation.core.catalog;

import io.gpureservation.core.catalog.CatalogModel.CardShape;
import io.gpureservation.core.catalog.CatalogModel.CardTypeDefinition;
import io.gpureservation.core.catalog.CatalogModel.FunctionComputeCatalog;
import io.gpureservation.core.catalog.CatalogModel.FunctionGraphCatalog;
import io.gpureservation.core.catalog.CatalogModel.HourlyRates;
import io.gpureservation.core.catalog.CatalogModel.ResidentCardSeries;
import io.gpureservation.core.catalog.CatalogModel.ResidentPoolCatalog;
import io.gpureservation.core.catalog.CatalogModel.ResidentRegion;
import io.gpureservation.core.catalog.CatalogModel.SavingsPlanType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Card specifications, aliases and prices, loaded from YAML. Immutable and thread-safe.
 *
 * <p>{@link #defaults()} reads the bundled {@code default-catalog.yaml}; {@link #load(Path)} merges
 * a user file over it: mappings merge key by key, a scalar or list in the user file replaces the
 * default value (so a file may hold just one changed price). Lookups of card types, card series and
 * regions ignore case.
 */
public final class Catalog {
  private static final BigDecimal MILLIS_PER_CORE = BigDecimal.valueOf(1000);
  private static final BigDecimal BYTES_PER_GIB = BigDecimal.valueOf(1L << 30);
  private static final Catalog DEFAULTS = new Catalog(CatalogLoader.defaults());

  private final CatalogModel model;
  private final Map<String, String> cardTypeByName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final Map<String, String> seriesByName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final Map<String, String> regionById = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  private Catalog(CatalogModel model) {
    this.model = model;
    // canonical names first; CatalogValidator has refused an alias naming two types
    model.cardTypes().keySet().forEach(type -> cardTypeByName.put(type, type));
    model
        .cardTypes()
        .forEach(
            (type, def) -> def.aliases().forEach(alias -> cardTypeByName.putIfAbsent(alias, type)));
    model.residentPool().series().keySet().forEach(s -> seriesByName.put(s, s));
    model.residentPool().regions().keySet().forEach(r -> regionById.put(r, r));
  }

  /** The bundled catalog ({@code io/gpureservation/catalog/default-catalog.yaml}). */
  public static Catalog defaults() {
    return DEFAULTS;
  }

  /**
   * The bundled catalog with {@code file} merged over it (see the class comment).
   *
   * @throws CatalogException naming the file and field when the file is unreadable or invalid
   */
  public static Catalog load(Path file) {
    return new Catalog(CatalogLoader.load(file));
  }

  /** The catalog's default currency (ISO code, e.g. USD). */
  public String currency() {
    return model.currency();
  }

  /** Canonical card types, sorted. */
  public Set<String> cardTypes() {
    return Collections.unmodifiableSet(new TreeSet<>(model.cardTypes().keySet()));
  }

  /** Canonical card type for a type name or alias, ignoring case; empty when unknown. */
  public Optional<String> canonicalCardType(String nameOrAlias) {
    return nameOrAlias == null
        ? Optional.empty()
        : Optional.ofNullable(cardTypeByName.get(nameOrAlias.trim()));
  }

  /**
   * The values a node label naming the card type may carry: the canonical name and its aliases
   * (e.g. {@code L20, GN8IS, NVIDIA-L20}); empty when the card type is unknown.
   */
  public List<String> nodeLabelValues(String cardType) {
    return canonicalCardType(cardType)
        .map(
            type -> {
              List<String> values = new ArrayList<>(List.of(type));
              values.addAll(model.cardTypes().get(type).aliases());
              return List.copyOf(values);
            })
        .orElse(List.of());
  }

  /** The highest pod shape for (card type or alias, cards); empty when not in the table. */
  public Optional<CardSpec> cardSpec(String cardType, int cards) {
    return canonicalCardType(cardType)
        .flatMap(
            type -> {
              CardTypeDefinition def = model.cardTypes().get(type);
              return def.specs().stream()
                  .filter(shape -> shape.cards() == cards)
                  .findFirst()
                  .map(shape -> toCardSpec(type, def, shape));
            });
  }

  private static CardSpec toCardSpec(String type, CardTypeDefinition def, CardShape shape) {
    long cpuMillis = shape.vcpu().multiply(MILLIS_PER_CORE).longValueExact();
    long memoryBytes = shape.memoryGiB().multiply(BYTES_PER_GIB).longValueExact();
    return new CardSpec(type, shape.cards(), cpuMillis, memoryBytes, def.gpuMemoryGB());
  }

  /**
   * EXAMPLE rate of one idle reservation slot of (card type, cards), per slot-hour: cards × the
   * card type's per-card reservation rate (exact product, no rounding). Empty when the (card type,
   * cards) pair is not in the specification table.
   */
  public Optional<BigDecimal> reservationHourlyRate(String cardType, int cards) {
    return reservationHourlyRate(cardType, cards, null);
  }

  /**
   * Rate of one idle reservation slot in {@code region}: the card type's {@code
   * regionRates.<region>.reservationPerCardHour} (region matched ignoring case), falling back to
   * its example rate when the region or that rate is not listed, or {@code region} is null.
   */
  public Optional<BigDecimal> reservationHourlyRate(String cardType, int cards, String region) {
    return slotRate(cardType, cards, region, HourlyRates::reservationPerCardHour);
  }

  /**
   * EXAMPLE pay-as-you-go rate of a pod of (card type, cards), per pod-hour: cards × the card
   * type's per-card pay-as-you-go rate (exact product). Empty when not in the specification table.
   */
  public Optional<BigDecimal> payAsYouGoHourlyRate(String cardType, int cards) {
    return payAsYouGoHourlyRate(cardType, cards, null);
  }

  /**
   * Pay-as-you-go pod rate in {@code region}, with the fallback of {@link
   * #reservationHourlyRate(String, int, String)}.
   */
  public Optional<BigDecimal> payAsYouGoHourlyRate(String cardType, int cards, String region) {
    return slotRate(cardType, cards, region, HourlyRates::payAsYouGoPerCardHour);
  }

  /**
   * Rate a borrower pays per hour for a lent slot of (card type, cards) in {@code region}
   * (docs/lending.md, "Money"): cards × the card type's {@code lendingPerCardHour} (region rates
   * first, then example rates, as {@link #reservationHourlyRate(String, int, String)}); where the
   * catalog names none, {@link CatalogModel#DEFAULT_LENDING_SHARE} × the pay-as-you-go rate of the
   * same region. Exact, no rounding.
   */
  public Optional<BigDecimal> lendingHourlyRate(String cardType, int cards, String region) {
    return slotRate(cardType, cards, region, Catalog::lendingPerCardHour);
  }

  private static BigDecimal lendingPerCardHour(HourlyRates rates) {
    if (rates.lendingPerCardHour() != null) {
      return rates.lendingPerCardHour();
    }
    return rates.payAsYouGoPerCardHour() == null
        ? null
        : rates.payAsYouGoPerCardHour().multiply(CatalogModel.DEFAULT_LENDING_SHARE);
  }

  private Optional<BigDecimal> slotRate(
      String cardType, int cards, String region, Function<HourlyRates, BigDecimal> perCard) {
    return cardSpec(cardType, cards)
        .map(
            spec -> {
              CardTypeDefinition def = model.cardTypes().get(spec.cardType());
              BigDecimal rate =
                  regionRates(def, region).map(perCard).orElse(perCard.apply(def.exampleRates()));
              return rate.multiply(BigDecimal.valueOf(cards));
            });
  }

  private static Optional<HourlyRates> regionRates(CardTypeDefinition def, String region) {
    if (region == null) {
      return Optional.empty();
    }
    return def.regionRates().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(region.trim()))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /**
   * A savings plan type of the catalog ({@code savingsPlans.<name>}, name matched ignoring case).
   */
  public Optional<SavingsPlanType> savingsPlanType(String name) {
    return model.savingsPlans().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /**
   * The resident-pool card series that sells this card type ({@code
   * cardTypes.<type>.residentSeries}; L20 → Ada in the bundled catalog); empty when no pool sells
   * it.
   */
  public Optional<String> residentSeriesOf(String cardType) {
    return canonicalCardType(cardType)
        .map(type -> model.cardTypes().get(type).residentSeries())
        .flatMap(this::residentCardSeries);
  }

  /** Canonical resident-pool card series name ("ada" → "Ada", "HOPPER" → "Hopper"). */
  public Optional<String> residentCardSeries(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(seriesByName.get(name.trim()));
  }

  /** Specification of a resident-pool card series (name matched ignoring case). */
  public Optional<ResidentCardSeries> residentCardSeriesSpec(String name) {
    return residentCardSeries(name).map(model.residentPool().series()::get);
  }

  /** Canonical resident-pool region id (e.g. {@code cn-hangzhou}), ignoring case. */
  public Optional<String> residentRegion(String regionId) {
    return regionId == null
        ? Optional.empty()
        : Optional.ofNullable(regionById.get(regionId.trim()));
  }

  /** Region ids that have resident-pool prices, sorted. */
  public Set<String> residentRegions() {
    return Collections.unmodifiableSet(new TreeSet<>(model.residentPool().regions().keySet()));
  }

  /** Monthly price of one full card of {@code cardSeries} in {@code region}; empty if not sold. */
  public Optional<BigDecimal> residentCardMonthlyPrice(String region, String cardSeries) {
    Optional<String> series = residentCardSeries(cardSeries);
    return residentRegionEntry(region).flatMap(r -> series.map(s -> r.cardMonthly().get(s)));
  }

  /** Disk price per GB-month in {@code region}; empty for an unknown region. */
  public Optional<BigDecimal> residentDiskPricePerGBMonth(String region) {
    return residentRegionEntry(region).map(ResidentRegion::diskPerGBMonth);
  }

  private Optional<ResidentRegion> residentRegionEntry(String region) {
    return residentRegion(region).map(model.residentPool().regions()::get);
  }

  /** Resident-pool section (currency, included disk, series, regions). */
  public ResidentPoolCatalog residentPool() {
    return model.residentPool();
  }

  /** Function Compute section (CU factors, tiers, GPU idle rates). */
  public FunctionComputeCatalog functionCompute() {
    return model.functionCompute();
  }

  /** FunctionGraph section (free quotas, minimum reserved duration, example prices). */
  public FunctionGraphCatalog functionGraph() {
    return model.functionGraph();
  }

  /** The whole bound document, for tools that print or export the catalog. */
  public CatalogModel model() {
    return model;
  }
}
