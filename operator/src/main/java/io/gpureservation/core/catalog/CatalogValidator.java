package io.gpureservation.core.catalog;

import io.gpureservation.core.catalog.CatalogModel.ActiveIdle;
import io.gpureservation.core.catalog.CatalogModel.CardShape;
import io.gpureservation.core.catalog.CatalogModel.CardTypeDefinition;
import io.gpureservation.core.catalog.CatalogModel.CuTier;
import io.gpureservation.core.catalog.CatalogModel.ResidentRegion;
import io.gpureservation.core.catalog.CatalogModel.SavingsPlanType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Checks a bound catalog: required fields present, prices and quantities not negative. */
final class CatalogValidator {
  private final String source;

  private CatalogValidator(String source) {
    this.source = source;
  }

  static void validate(CatalogModel model, String source) {
    new CatalogValidator(source).check(model);
  }

  private void check(CatalogModel m) {
    require(m.currency(), "currency");
    require(m.cardTypes(), "cardTypes");
    m.cardTypes().forEach((type, def) -> checkCardType("cardTypes." + type, def));
    checkAliases(m.cardTypes());
    var pool = require(m.residentPool(), "residentPool");
    require(pool.series(), "residentPool.series");
    m.cardTypes()
        .forEach(
            (type, def) -> {
              if (def.residentSeries() != null
                  && !pool.series().containsKey(def.residentSeries())) {
                throw new CatalogException(
                    source
                        + ": field cardTypes."
                        + type
                        + ".residentSeries: "
                        + def.residentSeries()
                        + " names no series of residentPool.series");
              }
            });
    require(pool.regions(), "residentPool.regions");
    nonNegative(
        BigDecimal.valueOf(pool.includedDiskPerCardGB()), "residentPool.includedDiskPerCardGB");
    pool.regions().forEach((id, region) -> checkRegion("residentPool.regions." + id, region));
    pool.regions()
        .forEach(
            (id, region) ->
                region.cardMonthly().keySet().stream()
                    .filter(series -> !pool.series().containsKey(series))
                    .findFirst()
                    .ifPresent(
                        series -> {
                          throw new CatalogException(
                              source
                                  + ": field residentPool.regions."
                                  + id
                                  + ".cardMonthly."
                                  + series
                                  + " names no series of residentPool.series");
                        }));
    var fc = require(m.functionCompute(), "functionCompute");
    var factors = require(fc.cuFactors(), "functionCompute.cuFactors");
    nonNegative(factors.invocationsPer10k(), "functionCompute.cuFactors.invocationsPer10k");
    nonNegative(factors.activeVcpu(), "functionCompute.cuFactors.activeVcpu");
    nonNegative(factors.idleVcpu(), "functionCompute.cuFactors.idleVcpu");
    nonNegative(factors.memory(), "functionCompute.cuFactors.memory");
    nonNegative(factors.disk(), "functionCompute.cuFactors.disk");
    nonNegative(factors.diskFreeGB(), "functionCompute.cuFactors.diskFreeGB");
    activeIdle(factors.gpu(), "functionCompute.cuFactors.gpu");
    checkTiers(require(fc.tiers(), "functionCompute.tiers"));
    var idle = require(fc.gpuIdle2024(), "functionCompute.gpuIdle2024");
    require(idle.cuPerGBSecond(), "functionCompute.gpuIdle2024.cuPerGBSecond")
        .forEach((k, v) -> nonNegative(v, "functionCompute.gpuIdle2024.cuPerGBSecond." + k));
    activeIdle(idle.perCu(), "functionCompute.gpuIdle2024.perCu");
    var fg = require(m.functionGraph(), "functionGraph");
    nonNegative(
        BigDecimal.valueOf(fg.freeRequestsPerMonth()), "functionGraph.freeRequestsPerMonth");
    nonNegative(fg.freeGBSecondsPerMonth(), "functionGraph.freeGBSecondsPerMonth");
    nonNegative(
        BigDecimal.valueOf(fg.reservedMinimumSeconds()), "functionGraph.reservedMinimumSeconds");
    var prices = require(fg.examplePrices(), "functionGraph.examplePrices");
    nonNegative(prices.perMillionRequests(), "functionGraph.examplePrices.perMillionRequests");
    nonNegative(prices.perGBSecond(), "functionGraph.examplePrices.perGBSecond");
    nonNegative(prices.idlePerGBSecond(), "functionGraph.examplePrices.idlePerGBSecond");
    m.savingsPlans().forEach((name, type) -> checkPlanType(m, "savingsPlans." + name, type));
  }

  private void checkPlanType(CatalogModel m, String field, SavingsPlanType type) {
    require(type, field);
    if (type.termMonths() < 1) {
      throw new CatalogException(source + ": field " + field + ".termMonths must be at least 1");
    }
    if (require(type.discount(), field + ".discount").signum() < 0
        || type.discount().compareTo(BigDecimal.ONE) > 0) {
      throw new CatalogException(source + ": field " + field + ".discount must be between 0 and 1");
    }
    Map<String, String> known = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    m.cardTypes()
        .forEach(
            (name, def) -> {
              known.put(name, name);
              def.aliases().forEach(alias -> known.put(alias, name));
            });
    type.cardTypes().stream()
        .filter(t -> !known.containsKey(t))
        .findFirst()
        .ifPresent(
            t -> {
              throw new CatalogException(
                  source + ": field " + field + ".cardTypes: unknown card type " + t);
            });
  }

  private void checkCardType(String field, CardTypeDefinition def) {
    require(def, field);
    require(def.aliases(), field + ".aliases");
    var rates = require(def.exampleRates(), field + ".exampleRates");
    nonNegative(rates.reservationPerCardHour(), field + ".exampleRates.reservationPerCardHour");
    nonNegative(rates.payAsYouGoPerCardHour(), field + ".exampleRates.payAsYouGoPerCardHour");
    optionalNonNegative(rates.lendingPerCardHour(), field + ".exampleRates.lendingPerCardHour");
    def.regionRates()
        .forEach(
            (region, r) -> {
              String at = field + ".regionRates." + region;
              require(r, at);
              optionalNonNegative(r.reservationPerCardHour(), at + ".reservationPerCardHour");
              optionalNonNegative(r.payAsYouGoPerCardHour(), at + ".payAsYouGoPerCardHour");
              optionalNonNegative(r.lendingPerCardHour(), at + ".lendingPerCardHour");
            });
    List<CardShape> specs = require(def.specs(), field + ".specs");
    for (int i = 0; i < specs.size(); i++) {
      CardShape shape = specs.get(i);
      String at = field + ".specs[" + i + "]";
      if (shape.cards() < 1) {
        throw new CatalogException(source + ": field " + at + ".cards must be at least 1");
      }
      nonNegative(shape.vcpu(), at + ".vcpu");
      nonNegative(shape.memoryGiB(), at + ".memoryGiB");
    }
  }

  /** A name or alias must resolve to one card type, ignoring case. */
  private void checkAliases(Map<String, CardTypeDefinition> cardTypes) {
    Map<String, String> owner = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    cardTypes.keySet().forEach(type -> owner.put(type, type));
    cardTypes.forEach(
        (type, def) ->
            def.aliases()
                .forEach(
                    alias -> {
                      String previous = owner.putIfAbsent(alias, type);
                      if (previous != null && !previous.equals(type)) {
                        throw new CatalogException(
                            source
                                + ": field cardTypes."
                                + type
                                + ".aliases: "
                                + alias
                                + " already names "
                                + previous);
                      }
                    }));
  }

  private void checkRegion(String field, ResidentRegion region) {
    require(region, field);
    nonNegative(region.diskPerGBMonth(), field + ".diskPerGBMonth");
    require(region.cardMonthly(), field + ".cardMonthly")
        .forEach((series, price) -> nonNegative(price, field + ".cardMonthly." + series));
  }

  private void checkTiers(List<CuTier> tiers) {
    if (tiers.isEmpty()) {
      throw new CatalogException(source + ": field functionCompute.tiers must not be empty");
    }
    long previous = 0;
    for (int i = 0; i < tiers.size(); i++) {
      CuTier tier = tiers.get(i);
      String at = "functionCompute.tiers[" + i + "]";
      nonNegative(tier.list(), at + ".list");
      nonNegative(tier.promotional(), at + ".promotional");
      boolean last = i == tiers.size() - 1;
      if (last != (tier.upToCu() == null)) {
        throw new CatalogException(
            source + ": field " + at + ".upToCu must be set on every tier but the last");
      }
      if (!last && tier.upToCu() <= previous) {
        throw new CatalogException(source + ": field " + at + ".upToCu must increase");
      }
      previous = last ? previous : tier.upToCu();
    }
  }

  private void activeIdle(Map<String, ActiveIdle> values, String field) {
    require(values, field)
        .forEach(
            (key, pair) -> {
              require(pair, field + "." + key);
              nonNegative(pair.active(), field + "." + key + ".active");
              nonNegative(pair.idle(), field + "." + key + ".idle");
            });
  }

  private <T> T require(T value, String field) {
    if (value == null) {
      throw new CatalogException(source + ": field " + field + " is missing");
    }
    return value;
  }

  private void optionalNonNegative(BigDecimal value, String field) {
    if (value != null) {
      nonNegative(value, field);
    }
  }

  private void nonNegative(BigDecimal value, String field) {
    if (require(value, field).signum() < 0) {
      throw new CatalogException(source + ": field " + field + " must not be negative");
    }
  }
}
