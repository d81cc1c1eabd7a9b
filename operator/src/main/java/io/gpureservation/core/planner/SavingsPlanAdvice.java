package io.gpureservation.core.planner;

import io.gpureservation.core.billing.HourlyUsage;
import io.gpureservation.core.billing.SavingsPlanPricing.Outcome;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * What a savings plan does to a plan's trace (docs/planner.md, "Savings plans").
 *
 * @param hours the usage the chosen options bill, hour by hour, at list rates
 * @param asked the plan at the commitment asked for; empty when none was
 * @param best the commitment that saves most (the smallest such)
 */
public record SavingsPlanAdvice(
    SavingsPlanTerms terms, List<HourlyUsage> hours, Optional<Outcome> asked, Outcome best) {
  public SavingsPlanAdvice {
    hours = List.copyOf(hours);
  }

  /** Savings as a percent of the usage at list (1 decimal HALF_UP); empty when usage is 0. */
  public static Optional<BigDecimal> savingPercent(Outcome outcome) {
    return outcome.listTotal().signum() == 0
        ? Optional.empty()
        : Optional.of(Percent.of(outcome.savings(), outcome.listTotal()));
  }
}
