package io.gpureservation.core.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * Cron day-of-week lists: {0,1,2,3,4,5,6} is {@code *}, {1..5} is {@code 1-5}, {0,6} {@code 0,6}.
 */
final class CronDays {
  private CronDays() {}

  static String format(SortedSet<Integer> days) {
    if (days.size() == 7) {
      return "*";
    }
    List<String> parts = new ArrayList<>();
    Integer runStart = null;
    Integer previous = null;
    for (int day : days) {
      if (previous != null && day == previous + 1) {
        previous = day;
        continue;
      }
      if (runStart != null) {
        parts.add(run(runStart, previous));
      }
      runStart = day;
      previous = day;
    }
    parts.add(run(runStart, previous));
    return String.join(",", parts);
  }

  private static String run(int from, int to) {
    if (from == to) {
      return Integer.toString(from);
    }
    return to == from + 1 ? from + "," + to : from + "-" + to;
  }
}
