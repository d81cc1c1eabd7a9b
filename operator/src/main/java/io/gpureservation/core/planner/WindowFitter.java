package io.gpureservation.core.planner;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Proposes windowed reservations fitted to the tide (docs/planner.md, "Windows"). The guaranteed
 * demand is folded onto the hours of a week ({@link WeeklyProfile}); the levels 1..max are cut into
 * at most {@code maxReservations} bands so that the live slot-hours are fewest (dynamic programming
 * over the cut points); each band is one reservation, live in the hours whose required level
 * reaches the band's bottom. Consecutive hours become one window; windows with the same start time
 * and length on several weekdays share one cron expression.
 */
public final class WindowFitter {
  private static final long HOUR_MILLIS = 3_600_000L;

  private final ZoneId zone;
  private final int maxReservations;
  private final Duration leadTime;

  public WindowFitter(ZoneId zone, int maxReservations, Duration leadTime) {
    if (maxReservations < 1) {
      throw new IllegalArgumentException("maxReservations must be at least 1");
    }
    this.zone = zone;
    this.maxReservations = maxReservations;
    this.leadTime = leadTime;
  }

  /** Reservations whose live slots cover {@code min(demand, target)} in every hour of the trace. */
  public List<ProposedReservation> fit(Demand demand, int target) {
    WeeklyProfile profile = new WeeklyProfile(demand, target, zone);
    int top = profile.maxRequired();
    if (top == 0) {
      return List.of();
    }
    List<ProposedReservation> result = new ArrayList<>();
    int[] cuts = cuts(profile, top);
    for (int j = 1; j < cuts.length; j++) {
      int bottom = cuts[j - 1] + 1;
      result.add(new ProposedReservation(cuts[j] - cuts[j - 1], windows(profile, bottom)));
    }
    return result;
  }

  // Cut points 0 = c0 < c1 < ... < cJ = top, J <= maxReservations; band j (c(j-1), cj] is live
  // where the required level reaches c(j-1) + 1 and costs (cj - c(j-1)) x those hours. Only levels
  // where the live hours shrink just above are worth cutting at (at most 169 of them).
  private int[] cuts(WeeklyProfile profile, int top) {
    List<Integer> points = new ArrayList<>();
    List<Long> above = new ArrayList<>(); // live millis of a band starting just above the point
    long previous = -1;
    for (int level = top; level >= 1; level--) {
      long millis = profile.millisAtOrAbove(level);
      if (millis != previous && level < top) {
        points.add(0, level);
        above.add(0, previous);
      }
      previous = millis;
    }
    points.add(0, 0);
    above.add(0, previous);
    points.add(top);
    int n = points.size();
    int bands = Math.min(maxReservations, n - 1);
    long[][] best = new long[bands + 1][n];
    int[][] from = new int[bands + 1][n];
    for (long[] row : best) {
      Arrays.fill(row, Long.MAX_VALUE);
    }
    best[0][0] = 0;
    for (int j = 1; j <= bands; j++) {
      for (int k = 1; k < n; k++) {
        for (int p = j - 1; p < k; p++) {
          if (best[j - 1][p] == Long.MAX_VALUE) {
            continue;
          }
          long cost = best[j - 1][p] + (points.get(k) - points.get(p)) * above.get(p);
          if (cost < best[j][k]) {
            best[j][k] = cost;
            from[j][k] = p;
          }
        }
      }
    }
    int bestBands = 1;
    for (int j = 2; j <= bands; j++) {
      if (best[j][n - 1] < best[bestBands][n - 1]) {
        bestBands = j;
      }
    }
    int[] cuts = new int[bestBands + 1];
    int index = n - 1;
    for (int j = bestBands; j > 0; j--) {
      cuts[j] = points.get(index);
      index = from[j][index];
    }
    cuts[0] = 0;
    return cuts;
  }

  private List<ProposedReservation.Window> windows(WeeklyProfile profile, int level) {
    int hours = WeeklyProfile.HOURS;
    boolean[] live = new boolean[hours];
    for (int b = 0; b < hours; b++) {
      live[b] = profile.needs(b, level);
    }
    bridgeGapsShorterThanLead(live);
    int liveCount = 0;
    for (boolean l : live) {
      liveCount += l ? 1 : 0;
    }
    if (liveCount == hours) {
      return List.of(); // always on
    }
    // runs of live hours, read circularly from a dead hour so none is cut at the week's end
    int origin = 0;
    while (live[origin]) {
      origin++;
    }
    Map<String, TreeSet<Integer>> daysByStartAndLength = new TreeMap<>();
    int b = 0;
    while (b < hours) {
      int at = (origin + b) % hours;
      if (!live[at]) {
        b++;
        continue;
      }
      int length = 0;
      while (b < hours && live[(origin + b) % hours]) {
        length++;
        b++;
      }
      String key = String.format("%02d:%04d", at % 24, length);
      daysByStartAndLength.computeIfAbsent(key, k -> new TreeSet<>()).add((at / 24 + 1) % 7);
    }
    List<ProposedReservation.Window> windows = new ArrayList<>();
    daysByStartAndLength.forEach(
        (key, days) -> {
          int hour = Integer.parseInt(key.substring(0, 2));
          int length = Integer.parseInt(key.substring(3));
          String cron = "0 " + hour + " * * " + CronDays.format(days);
          windows.add(new ProposedReservation.Window(cron, Duration.ofHours(length), leadTime));
        });
    return windows;
  }

  // A gap shorter than the lead time would make two windows overlap: it stays live instead.
  private void bridgeGapsShorterThanLead(boolean[] live) {
    if (leadTime.isZero()) {
      return;
    }
    int hours = live.length;
    boolean[] copy = live.clone();
    for (int start = 0; start < hours; start++) {
      if (copy[start] || !copy[(start + hours - 1) % hours]) {
        continue; // not the first hour of a gap
      }
      int length = 0;
      while (length < hours && !copy[(start + length) % hours]) {
        length++;
      }
      if (length * HOUR_MILLIS < leadTime.toMillis() && length < hours) {
        for (int k = 0; k < length; k++) {
          live[(start + k) % hours] = true;
        }
      }
    }
  }
}
