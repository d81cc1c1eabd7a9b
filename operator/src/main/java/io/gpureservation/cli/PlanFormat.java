package io.gpureservation.cli;

import io.gpureservation.core.billing.SavingsPlanPricing.Outcome;
import io.gpureservation.core.planner.LendingEstimate;
import io.gpureservation.core.planner.Option;
import io.gpureservation.core.planner.ProposedReservation;
import io.gpureservation.core.planner.SavingsPlanAdvice;
import io.gpureservation.core.planner.SavingsPlanTerms;
import io.gpureservation.core.planner.ShapePlan;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Text forms shared by the table and the HTML report. */
final class PlanFormat {
  private PlanFormat() {}

  /** Cents with thousands separators: 12,345.60. */
  static String money(BigDecimal amount) {
    DecimalFormat format =
        new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
    return format.format(amount);
  }

  /**
   * The savings-plan view (docs/planner.md, "Savings plans") as lines of text: the plan's terms,
   * the usage it is applied to, the commitment asked about and the best one. Amounts in cents,
   * HALF_UP.
   */
  static List<String> savingsPlan(SavingsPlanAdvice advice, String currency) {
    SavingsPlanTerms terms = advice.terms();
    List<String> lines = new ArrayList<>();
    lines.add(
        "Savings plan "
            + terms.name()
            + ": "
            + terms.discount().movePointRight(2).stripTrailingZeros().toPlainString()
            + " % off list, "
            + (terms.region() == null ? "every region" : "region " + terms.region())
            + ", "
            + (terms.cardTypes().isEmpty()
                ? "every card type"
                : "card types " + String.join(", ", new TreeSet<>(terms.cardTypes())))
            + "; every hour of the trace in the term");
    lines.add(
        "usage at list (the cheapest option of each shape, hour by hour): "
            + currency
            + " "
            + money(cents(advice.best().listTotal()))
            + " over "
            + advice.hours().size()
            + " hours");
    advice.asked().ifPresent(asked -> lines.add(commitment("commitment", asked, currency)));
    lines.add(commitment("best commitment", advice.best(), currency));
    return lines;
  }

  private static String commitment(String label, Outcome outcome, String currency) {
    return label
        + " "
        + plain(outcome.plan().commitmentPerHour())
        + "/hour: "
        + amount(currency, outcome.total())
        + " with the plan, saves "
        + amount(currency, outcome.savings())
        + SavingsPlanAdvice.savingPercent(outcome).map(p -> " (" + percent(p) + ")").orElse("");
  }

  /** What lending would have earned with an option, in cents; "-" for an option that lends none. */
  static String lendingEarned(Option option) {
    return option.lending().map(l -> money(cents(l.earned()))).orElse("-");
  }

  /**
   * The lending estimate of a shape (docs/planner.md, "Lending") as lines of text: the borrow fill
   * and the lending rate, then one line per reservation option. Empty when none was asked for.
   */
  static List<String> lending(ShapePlan shape, String currency) {
    List<String> lines = new ArrayList<>();
    for (Option option : shape.options()) {
      if (option.lending().isEmpty()) {
        continue;
      }
      LendingEstimate estimate = option.lending().get();
      if (lines.isEmpty()) {
        lines.add(
            "lending: borrowers fill "
                + plain(estimate.borrowFillPercent())
                + " % of the idle reserved slot time, at "
                + plain(estimate.lendingRate())
                + "/slot-hour (catalog lending rate)");
      }
      lines.add(
          option.kind().label()
              + ": "
              + plain(estimate.lentSlotHours())
              + " of "
              + plain(estimate.idleSlotHours())
              + " idle slot-hours lent; borrowers pay "
              + amount(currency, estimate.earned())
              + ", the owner pays "
              + amount(currency, estimate.ownerSaving())
              + " less for idle slots");
    }
    return lines;
  }

  private static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }

  /** {@code USD 1,234.57}: the currency and the amount in cents, HALF_UP. */
  private static String amount(String currency, BigDecimal value) {
    return currency + " " + money(cents(value));
  }

  static BigDecimal cents(BigDecimal amount) {
    return amount.setScale(2, RoundingMode.HALF_UP);
  }

  static String percent(BigDecimal value) {
    return value.toPlainString() + " %";
  }

  static String utilisation(Option option) {
    return option.utilisation().map(PlanFormat::percent).orElse("-");
  }

  static String breakEven(Option option) {
    if (option.guaranteedSlotMillis() == 0) {
      return "-";
    }
    return option.breakEven().map(PlanFormat::percent).orElse("never");
  }

  /** {@code PT12H} as {@code 12h}, {@code PT1H30M} as {@code 1h30m}. */
  static String duration(Duration d) {
    String text = d.toString().substring(2).toLowerCase(Locale.ROOT);
    return text.isEmpty() ? "0s" : text;
  }

  /** One line per proposed reservation: its quantity and windows. */
  static List<String> reservations(List<ProposedReservation> proposed) {
    List<String> lines = new ArrayList<>();
    for (ProposedReservation r : proposed) {
      if (r.alwaysOn()) {
        lines.add(r.quantity() + " slot(s) always on");
        continue;
      }
      List<String> windows = new ArrayList<>();
      for (ProposedReservation.Window w : r.windows()) {
        String lead = w.leadTime().isZero() ? "" : " (lead " + duration(w.leadTime()) + ")";
        windows.add("\"" + w.cron() + "\" for " + duration(w.duration()) + lead);
      }
      lines.add(r.quantity() + " slot(s) live " + String.join("; ", windows));
    }
    return lines;
  }
}
