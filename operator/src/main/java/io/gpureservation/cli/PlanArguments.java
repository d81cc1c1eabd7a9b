package io.gpureservation.cli;

import io.gpureservation.core.planner.CoverageTarget;
import io.gpureservation.core.planner.PlanSettings;
import io.gpureservation.core.window.RecurringWindow;
import io.gpureservation.core.window.WindowException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The command line of {@code plan} (docs/planner.md, "The plan command"). */
final class PlanArguments {
  static final String USAGE =
      "usage: plan <trace.csv> [--catalog <file>] [--target [<shape>=]peak|pNN|N]..."
          + " [--zone <IANA zone>] [--region <pool region>] [--max-windowed-reservations N]"
          + " [--lead-time PT10M] [--savings-plan <type>] [--discount D] [--commitment C]"
          + " [--borrow-fill PERCENT] [--json] [--html <file>]\n"
          + "       plan generate [--days 30] [--pods 100000] [--start 2026-11-02T00:00:00Z]"
          + " [--zone Asia/Shanghai] [--seed 1] [--out <file>]";

  Path trace;
  Path catalog;
  Path html;
  boolean json;
  PlanSettings settings;
  // docs/planner.md "Savings plans": a catalog plan type, a discount (overrides the type's), an
  // hourly commitment to price; the view is on when a type or a discount is given.
  String savingsPlanType;
  BigDecimal discount;
  BigDecimal commitment;

  /** A bad command line; the message says what. */
  static final class BadArguments extends RuntimeException {
    BadArguments(String message) {
      super(message);
    }
  }

  static PlanArguments parse(List<String> args) {
    PlanArguments parsed = new PlanArguments();
    PlanSettings d = PlanSettings.defaults();
    CoverageTarget defaultTarget = d.defaultTarget();
    Map<String, CoverageTarget> targets = new HashMap<>();
    var zone = d.zone();
    String region = d.region();
    int maxReservations = d.maxWindowedReservations();
    Duration lead = d.leadTime();
    BigDecimal borrowFill = d.borrowFillPercent();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--json" -> parsed.json = true;
        case "--catalog" -> parsed.catalog = Path.of(value(args, ++i, arg));
        case "--html" -> parsed.html = Path.of(value(args, ++i, arg));
        case "--zone" -> zone = zone(value(args, ++i, arg));
        case "--region" -> region = value(args, ++i, arg);
        case "--max-windowed-reservations" ->
            maxReservations = positive(value(args, ++i, arg), arg);
        case "--lead-time" -> lead = duration(value(args, ++i, arg), arg);
        case "--savings-plan" -> parsed.savingsPlanType = value(args, ++i, arg);
        case "--discount" -> parsed.discount = fraction(value(args, ++i, arg), arg);
        case "--commitment" -> parsed.commitment = amount(value(args, ++i, arg), arg);
        case "--borrow-fill" -> borrowFill = percent(value(args, ++i, arg), arg);
        case "--target" -> {
          String text = value(args, ++i, arg);
          int eq = text.indexOf('=');
          if (eq < 0) {
            defaultTarget = target(text);
          } else {
            targets.put(text.substring(0, eq), target(text.substring(eq + 1)));
          }
        }
        default -> {
          if (arg.startsWith("-") || parsed.trace != null) {
            throw new BadArguments("unexpected argument " + arg);
          }
          parsed.trace = Path.of(arg);
        }
      }
    }
    if (parsed.trace == null) {
      throw new BadArguments("no trace file");
    }
    if (parsed.commitment != null && parsed.savingsPlanType == null && parsed.discount == null) {
      throw new BadArguments("--commitment needs --savings-plan <type> or --discount D");
    }
    parsed.settings =
        new PlanSettings(defaultTarget, targets, zone, region, maxReservations, lead, borrowFill);
    return parsed;
  }

  static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new BadArguments(option + " needs a value");
    }
    return args.get(i);
  }

  static java.time.ZoneId zone(String text) {
    try {
      return RecurringWindow.zone(text);
    } catch (WindowException e) {
      throw new BadArguments("--zone: unknown time zone " + text);
    }
  }

  static int positive(String text, String option) {
    try {
      int value = Integer.parseInt(text);
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new BadArguments(option + " must be a whole number of at least 1: " + text);
  }

  private static Duration duration(String text, String option) {
    try {
      Duration value = Duration.parse(text);
      if (!value.isNegative()) {
        return value;
      }
    } catch (DateTimeParseException e) {
      // the message below
    }
    throw new BadArguments(option + " must be an ISO-8601 duration such as PT10M: " + text);
  }

  /** Whether the savings-plan view was asked for. */
  boolean savingsPlan() {
    return savingsPlanType != null || discount != null;
  }

  private static BigDecimal fraction(String text, String option) {
    BigDecimal value = decimal(text, option);
    if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
      throw new BadArguments(option + " must be between 0 and 1: " + text);
    }
    return value;
  }

  // docs/planner.md "Lending": the share of idle reserved slot time borrowers would fill.
  private static BigDecimal percent(String text, String option) {
    BigDecimal value = decimal(text, option);
    if (value.signum() < 0 || value.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw new BadArguments(
          option
              + " must be a percent between 0 and 100 (the share of idle reserved slot time"
              + " borrowers would fill): "
              + text);
    }
    return value;
  }

  private static BigDecimal amount(String text, String option) {
    BigDecimal value = decimal(text, option);
    if (value.signum() < 0) {
      throw new BadArguments(option + " must not be negative: " + text);
    }
    return value;
  }

  private static BigDecimal decimal(String text, String option) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new BadArguments(option + " must be a decimal number: " + text);
    }
  }

  private static CoverageTarget target(String text) {
    try {
      return CoverageTarget.parse(text);
    } catch (IllegalArgumentException e) {
      throw new BadArguments(e.getMessage());
    }
  }
}
