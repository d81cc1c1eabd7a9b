package io.gpureservation.core.planner;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The guaranteed demand folded onto the 168 local hours of a week (docs/planner.md, "Windows"): for
 * each hour of the week ({@code 0} = Monday 00:00 local), the highest {@code min(demand, target)}
 * seen in any real hour that falls on it, and how many milliseconds of the span fall on it. Real
 * hours are walked in elapsed time, so a fall-back hour folds twice onto one local hour and a
 * spring-forward hour onto none.
 */
final class WeeklyProfile {
  static final int HOURS = 7 * 24;

  final int[] required = new int[HOURS];
  final long[] spanMillis = new long[HOURS];

  WeeklyProfile(Demand demand, int target, ZoneId zone) {
    Span span = demand.span();
    StepFunction level = demand.level();
    ZonedDateTime hour = span.start().atZone(zone).truncatedTo(ChronoUnit.HOURS);
    while (hour.toInstant().toEpochMilli() < span.endMillis()) {
      ZonedDateTime next = hour.plusHours(1);
      long from = Math.max(hour.toInstant().toEpochMilli(), span.startMillis());
      long to = Math.min(next.toInstant().toEpochMilli(), span.endMillis());
      int bucket = (hour.getDayOfWeek().getValue() - 1) * 24 + hour.getHour();
      required[bucket] = Math.max(required[bucket], Math.min(level.max(from, to), target));
      spanMillis[bucket] += to - from;
      hour = next;
    }
  }

  int maxRequired() {
    int max = 0;
    for (int r : required) {
      max = Math.max(max, r);
    }
    return max;
  }

  /** Span milliseconds of the hours where at least {@code level} slots are required. */
  long millisAtOrAbove(int level) {
    long total = 0;
    for (int b = 0; b < HOURS; b++) {
      if (required[b] >= level) {
        total += spanMillis[b];
      }
    }
    return total;
  }

  /** Whether hour-of-week {@code b} requires at least {@code level} slots. */
  boolean needs(int b, int level) {
    return required[b] >= level;
  }
}
