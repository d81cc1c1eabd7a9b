package io.gpureservation.cli;

import io.gpureservation.core.billing.Bill;
import io.gpureservation.core.billing.HourlyUsage;
import io.gpureservation.core.billing.Money;
import io.gpureservation.core.billing.SavingsPlan;
import io.gpureservation.core.billing.SavingsPlanPricing;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.catalog.CatalogModel.SavingsPlanType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code savings-plan} usage file (docs/billing.md, "The bill command"): a plan and hourly
 * usage, each usage line priced at its catalog list rate (region rates included), then {@link
 * SavingsPlanPricing} applied.
 */
final class SavingsPlanUsage {
  private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

  private final Catalog catalog;

  SavingsPlanUsage(Catalog catalog) {
    this.catalog = catalog;
  }

  Bill price(UsageNode usage) {
    SavingsPlan plan = plan(usage.child("plan").orElseThrow(() -> missing("plan")));
    Instant at = usage.has("usageStart") ? instant(usage, "usageStart") : plan.start();
    List<HourlyUsage> hours = new ArrayList<>();
    for (UsageNode hour : usage.list("hours")) {
      List<HourlyUsage.Charge> charges = new ArrayList<>();
      for (UsageNode line : hour.list("usage", true)) {
        charges.add(charge(line));
      }
      int repeat = hour.has("repeat") ? hour.integer("repeat") : 1;
      for (int i = 0; i < repeat; i++) {
        hours.add(new HourlyUsage(at, charges));
        at = at.plusMillis(HOUR_MILLIS);
      }
    }
    return SavingsPlanPricing.apply(hours, plan).toBill(catalog.currency());
  }

  private SavingsPlan plan(UsageNode plan) {
    Optional<SavingsPlanType> type = Optional.empty();
    if (plan.has("type")) {
      String name = plan.text("type");
      type = catalog.savingsPlanType(name);
      if (type.isEmpty()) {
        throw new UsageException(
            plan.field("type"),
            "unknown savings plan type " + name + "; the catalog has " + planTypes());
      }
    }
    BigDecimal commitment = plan.decimal("commitmentPerHour");
    BigDecimal discount =
        plan.has("discount")
            ? plan.decimal("discount")
            : type.map(SavingsPlanType::discount).orElseThrow(() -> missing(plan, "discount"));
    if (discount.compareTo(BigDecimal.ONE) > 0) {
      throw new UsageException(
          plan.field("discount"), "must be between 0 and 1: " + discount.toPlainString());
    }
    int months =
        plan.has("termMonths")
            ? plan.integer("termMonths")
            : type.map(SavingsPlanType::termMonths).orElseThrow(() -> missing(plan, "termMonths"));
    if (months < 1) {
      throw new UsageException(plan.field("termMonths"), "must be at least 1");
    }
    Instant start = instant(plan, "start");
    Instant end = start.atZone(ZoneOffset.UTC).plusMonths(months).toInstant();
    String region =
        plan.has("region") ? plan.text("region") : type.map(SavingsPlanType::region).orElse(null);
    List<String> types =
        plan.has("cardTypes")
            ? plan.texts("cardTypes")
            : type.map(SavingsPlanType::cardTypes).orElse(List.of());
    Set<String> canonical = new LinkedHashSet<>();
    for (String t : types) {
      canonical.add(cardType(plan, "cardTypes", t));
    }
    return new SavingsPlan(commitment, discount, start, end, region, canonical);
  }

  // list amount = count × hourly rate × ms / 3,600,000, 6 decimals HALF_UP (Money.perHour)
  private HourlyUsage.Charge charge(UsageNode line) {
    String type = cardType(line, "cardType", line.text("cardType"));
    int cards = line.integer("cards");
    String region = line.has("region") ? line.text("region") : null;
    String rateName = line.text("rate");
    Optional<BigDecimal> rate =
        switch (rateName) {
          case "reservation" -> catalog.reservationHourlyRate(type, cards, region);
          case "pay-as-you-go" -> catalog.payAsYouGoHourlyRate(type, cards, region);
          default ->
              throw new UsageException(
                  line.field("rate"), "must be reservation or pay-as-you-go: " + rateName);
        };
    BigDecimal hourly =
        rate.orElseThrow(
            () ->
                new UsageException(
                    line.field("cards"), type + " has no " + cards + "-card specification"));
    long millis = line.has("duration") ? line.durationMillis("duration") : HOUR_MILLIS;
    if (millis > HOUR_MILLIS) {
      throw new UsageException(line.field("duration"), "must not exceed one hour (PT1H)");
    }
    long count = line.has("count") ? line.wholeNumber("count") : 1;
    BigDecimal amount =
        Money.perHour(
            hourly.multiply(BigDecimal.valueOf(count)).multiply(BigDecimal.valueOf(millis)));
    String description =
        count + " x " + type + " x" + cards + " " + rateName + (region == null ? "" : " " + region);
    return new HourlyUsage.Charge(description, type, region, amount);
  }

  private String cardType(UsageNode node, String field, String name) {
    return catalog
        .canonicalCardType(name)
        .orElseThrow(
            () ->
                new UsageException(
                    node.field(field),
                    "unknown card type " + name + "; one of " + catalog.cardTypes()));
  }

  private static Instant instant(UsageNode node, String field) {
    String text = node.text(field);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new UsageException(
          node.field(field), "not an RFC 3339 time (e.g. 2026-01-01T00:00:00Z): " + text);
    }
  }

  private Set<String> planTypes() {
    return catalog.model().savingsPlans().keySet();
  }

  private static UsageException missing(String field) {
    return new UsageException(field, "is missing");
  }

  private static UsageException missing(UsageNode node, String field) {
    return new UsageException(node.field(field), "is missing (or name a catalog plan type)");
  }
}
