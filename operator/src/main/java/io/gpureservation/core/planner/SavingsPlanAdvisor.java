package io.gpureservation.core.planner;

import io.gpureservation.core.billing.HourlyUsage;
import io.gpureservation.core.billing.Money;
import io.gpureservation.core.billing.SavingsPlan;
import io.gpureservation.core.billing.SavingsPlanPricing;
import io.gpureservation.core.billing.SavingsPlanPricing.Outcome;
import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Prices a savings plan on a plan's trace (docs/planner.md, "Savings plans"): the cheapest option
 * of every shape is billed hour by hour at list rates, {@link SavingsPlanPricing} applies the plan
 * to those hours (every hour of the trace in the term), and the commitment that saves most is found
 * among the hours' plan-rate usage values — the breakpoints of the cost, which is convex and
 * piecewise linear in the commitment, so its minimum lies on one of them (or at 0).
 */
public final class SavingsPlanAdvisor {
  private static final long HOUR = Duration.ofHours(1).toMillis();

  private final Catalog catalog;

  public SavingsPlanAdvisor(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * @param commitment the hourly commitment asked about, or null for the best one only
   * @throws IllegalArgumentException when the commitment is negative
   */
  public SavingsPlanAdvice advise(Plan plan, SavingsPlanTerms terms, BigDecimal commitment) {
    if (commitment != null) {
      Money.requireNonNegative(commitment, "commitment");
    }
    List<HourlyUsage> hours = hourlyUsage(plan);
    Optional<Outcome> asked =
        Optional.ofNullable(commitment)
            .map(c -> SavingsPlanPricing.apply(hours, savingsPlan(terms, c, hours)));
    BigDecimal best = bestCommitment(terms, hours);
    return new SavingsPlanAdvice(
        terms, hours, asked, SavingsPlanPricing.apply(hours, savingsPlan(terms, best, hours)));
  }

  /**
   * The usage of each shape's cheapest option in each whole UTC hour the trace touches, at list
   * rates: idle slots at the reservation rate and pods at the pay-as-you-go rate, warm pods at the
   * pay-as-you-go rate, pods beyond a resident pool at the pay-as-you-go rate. A pool's fee is not
   * usage a plan covers and is left out. Each line is {@code rate × milliseconds / 3,600,000},
   * {@link Money#PRORATED} decimals HALF_UP.
   */
  List<HourlyUsage> hourlyUsage(Plan plan) {
    long first = Math.floorDiv(plan.span().startMillis(), HOUR) * HOUR;
    long end = -Math.floorDiv(-plan.span().endMillis(), HOUR) * HOUR;
    int count = (int) ((end - first) / HOUR);
    List<List<HourlyUsage.Charge>> charges = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      charges.add(new ArrayList<>());
    }
    String region = plan.settings().region();
    for (ShapePlan shape : plan.shapes()) {
      Option chosen = shape.cheapest();
      OptionPricer rates = new OptionPricer(catalog, region, plan.zone(), shape.shape());
      StepFunction live =
          chosen.kind() == OptionKind.ALWAYS_ON || chosen.kind() == OptionKind.WINDOWED
              ? LiveSlots.of(chosen.reservations(), plan.zone(), plan.span())
              : StepFunction.constant(shape.level());
      for (int i = 0; i < count; i++) {
        long from = Math.max(first + i * HOUR, plan.span().startMillis());
        long to = Math.min(first + (i + 1) * HOUR, plan.span().endMillis());
        Sweep hour = Sweep.of(shape.demand(), live, shape.level(), from, to);
        List<HourlyUsage.Charge> lines = charges.get(i);
        String type = shape.shape().cardType();
        switch (chosen.kind()) {
          case ALWAYS_ON, WINDOWED -> {
            add(
                lines,
                shape.shape() + " idle slots",
                type,
                region,
                rates.reservationRate(),
                hour.idleMillis());
            add(
                lines,
                shape.shape() + " pods",
                type,
                region,
                rates.payAsYouGoRate(),
                hour.podMillis());
          }
          case WARM_PODS ->
              add(
                  lines,
                  shape.shape() + " warm pods",
                  type,
                  region,
                  rates.payAsYouGoRate(),
                  hour.podMillis() + hour.idleMillis());
          default ->
              add(
                  lines,
                  shape.shape() + " pods beyond the pool",
                  type,
                  region,
                  rates.payAsYouGoRate(),
                  hour.overflowMillis());
        }
      }
    }
    List<HourlyUsage> hours = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      hours.add(new HourlyUsage(Instant.ofEpochMilli(first + i * HOUR), charges.get(i)));
    }
    return hours;
  }

  /**
   * The commitment that saves most, the smallest on a tie. Each hour costs {@code C} while its
   * plan-rate usage {@code D} is at most {@code C}, and {@code C + (D − C) / (1 − discount)} above:
   * the sum over hours is convex and linear between the hours' {@code D} values, so only 0 and
   * those values are tried, each priced exactly by {@link SavingsPlanPricing}. Usage the plan does
   * not match adds the same to both costs, so each hour is reduced to its eligible amount first.
   */
  static BigDecimal bestCommitment(SavingsPlanTerms terms, List<HourlyUsage> hours) {
    SavingsPlan matcher = savingsPlan(terms, BigDecimal.ZERO, hours);
    List<HourlyUsage> eligible = new ArrayList<>(hours.size());
    TreeSet<BigDecimal> candidates = new TreeSet<>();
    candidates.add(BigDecimal.ZERO);
    BigDecimal factor = matcher.planRateFactor();
    for (HourlyUsage hour : hours) {
      BigDecimal amount =
          hour.charges().stream()
              .filter(c -> matcher.matches(c.cardType(), c.region()))
              .map(HourlyUsage.Charge::listAmount)
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      eligible.add(
          new HourlyUsage(
              hour.start(), List.of(new HourlyUsage.Charge("eligible", null, null, amount))));
      candidates.add(amount.multiply(factor).stripTrailingZeros());
    }
    SavingsPlanTerms everything =
        new SavingsPlanTerms(terms.name(), terms.discount(), null, Set.of());
    BigDecimal best = BigDecimal.ZERO;
    BigDecimal bestSavings = null;
    for (BigDecimal c : candidates) {
      BigDecimal savings =
          SavingsPlanPricing.apply(eligible, savingsPlan(everything, c, eligible)).savings();
      if (bestSavings == null || savings.compareTo(bestSavings) > 0) {
        best = c;
        bestSavings = savings;
      }
    }
    return best;
  }

  // Every hour of the trace is in the term: the question is what the plan does to this usage.
  private static SavingsPlan savingsPlan(
      SavingsPlanTerms terms, BigDecimal commitment, List<HourlyUsage> hours) {
    Instant start = hours.isEmpty() ? Instant.EPOCH : hours.get(0).start();
    Instant end = start.plusMillis(Math.max(1, hours.size()) * HOUR);
    return new SavingsPlan(
        commitment, terms.discount(), start, end, terms.region(), terms.cardTypes());
  }

  private static void add(
      List<HourlyUsage.Charge> lines,
      String description,
      String cardType,
      String region,
      BigDecimal rate,
      long millis) {
    if (millis > 0) {
      lines.add(
          new HourlyUsage.Charge(
              description,
              cardType,
              region,
              Money.perHour(rate.multiply(BigDecimal.valueOf(millis)))));
    }
  }
}
