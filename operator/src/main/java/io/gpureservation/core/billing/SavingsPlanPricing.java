package io.gpureservation.core.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Applies a {@link SavingsPlan} to hourly usage (docs/billing.md, "Savings plans"). Each hour of
 * the term: eligible usage is valued at the plan rate (list × (1 − discount), exact); the
 * commitment pays for it up to the commitment; what the commitment does not cover is charged at the
 * list rate; the whole commitment is due even when usage is smaller. Hours outside the term and
 * usage the plan does not match are charged at the list rate.
 *
 * <p>Rounding: the one division, the list value of the plan-rate overflow ({@code (plan-rate
 * eligible − commitment) / (1 − discount)}), is rounded to {@link Money#PRORATED} decimals HALF_UP;
 * everything else is exact; the bill's payable amount is the exact total rounded to cents.
 */
public final class SavingsPlanPricing {
  private SavingsPlanPricing() {}

  /** One hour with the plan applied. All amounts in the usage's currency. */
  public record PlanHour(
      Instant start,
      boolean inTerm,
      BigDecimal eligibleList,
      BigDecimal eligiblePlanRate,
      BigDecimal commitment,
      BigDecimal covered,
      BigDecimal overflowList,
      BigDecimal otherList) {

    /** What the hour costs with the plan: commitment + overflow at list + other usage at list. */
    public BigDecimal total() {
      return commitment.add(overflowList).add(otherList);
    }

    /** What the hour would cost without the plan: all usage at list. */
    public BigDecimal listTotal() {
      return eligibleList.add(otherList);
    }

    /** Commitment paid for but not used this hour. */
    public BigDecimal unusedCommitment() {
      return commitment.subtract(covered);
    }
  }

  /** The plan applied to every hour, with totals and the itemised bill. */
  public record Outcome(SavingsPlan plan, List<PlanHour> hours) {
    public Outcome {
      hours = List.copyOf(hours);
    }

    /** Exact cost with the plan. */
    public BigDecimal total() {
      return sum(PlanHour::total);
    }

    /** Exact cost of the same usage without a plan. */
    public BigDecimal listTotal() {
      return sum(PlanHour::listTotal);
    }

    /** {@code listTotal − total}: negative when the unused commitment outweighs the discount. */
    public BigDecimal savings() {
      return listTotal().subtract(total());
    }

    private BigDecimal sum(Function<PlanHour, BigDecimal> amount) {
      return hours.stream().map(amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The itemised bill: a usage table of how the commitment was spent, then the charges. */
    public Bill toBill(String currency) {
      long termHours = hours.stream().filter(PlanHour::inTerm).count();
      BigDecimal eligible = sum(PlanHour::eligibleList);
      BigDecimal planRate = sum(PlanHour::eligiblePlanRate);
      List<LineItem> usage =
          List.of(
              new LineItem(
                  "Eligible usage, list to plan rate",
                  eligible,
                  currency,
                  plan.planRateFactor(),
                  planRate));
      List<LineItem> charges = new ArrayList<>();
      charges.add(
          LineItem.of(
              "Savings plan commitment",
              BigDecimal.valueOf(termHours),
              "hour",
              plan.commitmentPerHour()));
      charges.add(
          LineItem.of(
              "Eligible usage beyond the commitment (list)",
              sum(PlanHour::overflowList),
              currency,
              ONE));
      charges.add(
          LineItem.of(
              "Usage the plan does not cover (list)", sum(PlanHour::otherList), currency, ONE));
      List<String> notes =
          List.of(
              "Covered by the commitment: "
                  + plain(sum(PlanHour::covered))
                  + "; unused commitment (still due): "
                  + plain(sum(PlanHour::unusedCommitment)),
              "Without the plan: "
                  + currency
                  + " "
                  + plain(listTotal())
                  + "; savings: "
                  + plain(savings()),
              "Per hour: the commitment pays eligible usage at list x "
                  + plan.planRateFactor().toPlainString()
                  + "; the rest is charged at list; an unused commitment is still due.",
              "Overflow at list = (plan-rate usage - commitment) / (1 - discount), 6 decimals"
                  + " HALF_UP, per hour.");
      return new Bill(
          "Savings plan: " + plan.commitmentPerHour().toPlainString() + "/hour",
          currency,
          usage,
          charges,
          notes);
    }
  }

  private static final BigDecimal ONE = BigDecimal.ONE;

  private static String plain(BigDecimal amount) {
    return amount.stripTrailingZeros().toPlainString();
  }

  /** Applies {@code plan} to each hour of {@code hours} (the planner's entry point). */
  public static Outcome apply(List<HourlyUsage> hours, SavingsPlan plan) {
    List<PlanHour> result = new ArrayList<>(hours.size());
    for (HourlyUsage hour : hours) {
      result.add(applyToHour(hour, plan));
    }
    return new Outcome(plan, result);
  }

  static PlanHour applyToHour(HourlyUsage hour, SavingsPlan plan) {
    boolean inTerm = plan.inTerm(hour.start());
    BigDecimal eligible = BigDecimal.ZERO;
    BigDecimal other = BigDecimal.ZERO;
    for (HourlyUsage.Charge charge : hour.charges()) {
      if (inTerm && plan.matches(charge.cardType(), charge.region())) {
        eligible = eligible.add(charge.listAmount());
      } else {
        other = other.add(charge.listAmount());
      }
    }
    if (!inTerm) {
      BigDecimal zero = BigDecimal.ZERO;
      return new PlanHour(hour.start(), false, zero, zero, zero, zero, zero, other);
    }
    BigDecimal commitment = plan.commitmentPerHour();
    BigDecimal planRate = eligible.multiply(plan.planRateFactor());
    BigDecimal covered = planRate.min(commitment);
    BigDecimal overflowList = BigDecimal.ZERO;
    if (planRate.compareTo(commitment) > 0) {
      // planRate > commitment >= 0 implies discount < 1, so the divisor is positive.
      overflowList =
          planRate
              .subtract(commitment)
              .divide(plan.planRateFactor(), Money.PRORATED, RoundingMode.HALF_UP);
    }
    return new PlanHour(
        hour.start(), true, eligible, planRate, commitment, covered, overflowList, other);
  }
}
