package io.gpureservation.cli;

import io.gpureservation.core.billing.Money;
import io.gpureservation.core.planner.Option;
import io.gpureservation.core.planner.OptionKind;
import io.gpureservation.core.planner.Plan;
import io.gpureservation.core.planner.SavingsPlanAdvice;
import io.gpureservation.core.planner.ShapePlan;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;

/** The terminal form of a plan: one table of options per shape, then the totals. */
final class PlanTable {
  private static final String ROW = "  %-26s %14s %12s %12s %15s";
  // docs/planner.md "Lending": a column only when a borrow fill is asked for
  private static final String LENDING = " %14s";

  private final PrintStream out;

  PlanTable(PrintStream out) {
    this.out = out;
  }

  /**
   * @param savings the savings-plan view, or null when not asked for
   */
  void print(Plan plan, SavingsPlanAdvice savings, String source) {
    BigDecimal days =
        BigDecimal.valueOf(plan.span().millis())
            .divide(BigDecimal.valueOf(Duration.ofDays(1).toMillis()), 1, RoundingMode.HALF_UP);
    out.printf(
        "Plan for %s: %d pods, %s to %s (%s days), windows in %s, pool region %s, %s%n",
        source,
        plan.pods(),
        plan.span().start(),
        plan.span().end(),
        days,
        plan.zone().getId(),
        plan.settings().region(),
        plan.currency());
    out.println(
        "Rates come from the catalog (the bundled rates are EXAMPLE values). Costs over the trace,"
            + " rounded to cents.");
    for (ShapePlan shape : plan.shapes()) {
      out.println();
      print(shape, plan);
    }
    out.println();
    out.printf(
        "Total, cheapest way per shape: %s %s (warm pods: %s)%n",
        plan.currency(),
        PlanFormat.money(plan.cheapestTotal()),
        PlanFormat.money(plan.warmPodsTotal()));
    if (savings != null) {
      out.println();
      printTitled("", PlanFormat.savingsPlan(savings, plan.currency()));
    }
  }

  private void print(ShapePlan shape, Plan plan) {
    out.printf(
        "%s: %d pods, peak %d concurrent; target %s = %d slot(s)%n",
        shape.shape(), shape.pods(), shape.peak(), shape.target().text(), shape.level());
    out.printf(ROW, "option", "cost", "vs floor", "utilisation", "breaks even at");
    endRow(plan, "lending earns");
    row(shape, shape.floor(), plan);
    for (Option option : shape.options()) {
      row(shape, option, plan);
    }
    Option cheapest = shape.cheapest();
    out.printf(
        "  cheapest: %s, %s %s, saves %s %s%s against warm pods%n",
        cheapest.kind().label(),
        plan.currency(),
        PlanFormat.money(cheapest.bill().payable()),
        plan.currency(),
        PlanFormat.money(shape.savingVsWarmPods()),
        shape.savingPercent().map(p -> " (" + PlanFormat.percent(p) + ")").orElse(""));
    Option windowed = shape.option(OptionKind.WINDOWED);
    if (!windowed.reservations().isEmpty()) {
      out.printf("  proposed windowed reservations (%s):%n", plan.zone().getId());
      PlanFormat.reservations(windowed.reservations()).forEach(line -> out.println("    " + line));
    }
    if (windowed.shortfallSlotMillis() > 0) {
      out.printf(
          "  note: the windows miss %s slot-hours of the target (elapsed durations across a DST"
              + " change)%n",
          Money.hours(windowed.shortfallSlotMillis()).toPlainString());
    }
    List<String> lending = PlanFormat.lending(shape, plan.currency());
    if (!lending.isEmpty()) {
      printTitled("  ", lending);
    }
  }

  // A heading line, then the lines under it indented once more.
  private void printTitled(String indent, List<String> lines) {
    out.println(indent + lines.get(0));
    lines.subList(1, lines.size()).forEach(line -> out.println(indent + "  " + line));
  }

  private void endRow(Plan plan, String lendingCell) {
    if (plan.settings().estimatesLending()) {
      out.printf(LENDING, lendingCell);
    }
    out.println();
  }

  private void row(ShapePlan shape, Option option, Plan plan) {
    String name =
        option.kind() == OptionKind.PAY_AS_YOU_GO ? "pay-as-you-go (floor)" : option.kind().label();
    if (!option.available()) {
      out.printf("  %-26s %s%n", name, "n/a: " + option.unavailable());
      return;
    }
    String premium =
        option.kind() == OptionKind.PAY_AS_YOU_GO
            ? "-"
            : "+" + PlanFormat.money(shape.premiumOverFloor(option));
    out.printf(
        ROW,
        name,
        PlanFormat.money(option.bill().payable()),
        premium,
        PlanFormat.utilisation(option),
        PlanFormat.breakEven(option));
    endRow(plan, PlanFormat.lendingEarned(option));
  }
}
