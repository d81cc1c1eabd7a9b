package io.gpureservation.cli;

import io.gpureservation.core.planner.CoverageTarget;
import io.gpureservation.core.planner.PlanSettings;
import io.gpureservation.core.window.RecurringWindow;
import io.gpureservation.core.window.WindowException;
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
          + " [--lead-time PT10M] [--json] [--html <file>]\n"
          + "       plan generate [--days 30] [--pods 100000] [--start 2026-11-02T00:00:00Z]"
          + " [--zone Asia/Shanghai] [--seed 1] [--out <file>]";

  Path trace;
  Path catalog;
  Path html;
  boolean json;
  PlanSettings settings;

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
    parsed.settings = new PlanSettings(defaultTarget, targets, zone, region, maxReservations, lead);
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

  private static CoverageTarget target(String text) {
    try {
      return CoverageTarget.parse(text);
    } catch (IllegalArgumentException e) {
      throw new BadArguments(e.getMessage());
    }
  }
}
