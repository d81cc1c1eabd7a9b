package io.gpureservation.core.planner;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * Concurrent demand of one shape over the trace's span: how many of its pods run at each instant (a
 * pod runs over {@code [start, end)}), with the figures a coverage target needs.
 */
public final class Demand {
  private final StepFunction level;
  private final Span span;
  private final int pods;

  private Demand(StepFunction level, Span span, int pods) {
    this.level = level;
    this.span = span;
    this.pods = pods;
  }

  /** The demand of {@code runs} (all of one shape) over {@code span}. */
  public static Demand of(List<PodRun> runs, Span span) {
    int n = runs.size();
    long[] starts = new long[n];
    long[] ends = new long[n];
    for (int i = 0; i < n; i++) {
      starts[i] = runs.get(i).startMillis();
      ends[i] = runs.get(i).endMillis();
    }
    Arrays.sort(starts);
    Arrays.sort(ends);
    long[] times = new long[2 * n];
    int[] deltas = new int[2 * n];
    int s = 0;
    int e = 0;
    for (int i = 0; i < 2 * n; i++) {
      boolean start = s < n && (e >= n || starts[s] < ends[e]);
      times[i] = start ? starts[s++] : ends[e++];
      deltas[i] = start ? 1 : -1;
    }
    return new Demand(StepFunction.ofChanges(times, deltas, 2 * n), span, n);
  }

  public StepFunction level() {
    return level;
  }

  public Span span() {
    return span;
  }

  /** Number of pod runs. */
  public int pods() {
    return pods;
  }

  /** The highest number of concurrent pods. */
  public int peak() {
    return level.max(span.startMillis(), span.endMillis());
  }

  /** Pod-milliseconds: the integral of the demand over the span. */
  public long podMillis() {
    return Sweep.of(this, StepFunction.constant(0), 0).podMillis();
  }

  /**
   * The time-weighted percentile of concurrent demand: the smallest level {@code n} such that the
   * demand is at most {@code n} for at least {@code percent} % of the span.
   */
  public int percentile(BigDecimal percent) {
    long[] millisAtLevel = new long[peak() + 1];
    long t = span.startMillis();
    int current = level.at(t);
    for (int i = level.firstAfter(t); i < level.size() && level.time(i) < span.endMillis(); i++) {
      millisAtLevel[current] += level.time(i) - t;
      t = level.time(i);
      current = level.level(i);
    }
    millisAtLevel[current] += span.endMillis() - t;
    BigDecimal needed =
        percent.multiply(BigDecimal.valueOf(span.millis())).divide(BigDecimal.valueOf(100));
    long cumulative = 0;
    for (int n = 0; n < millisAtLevel.length; n++) {
      cumulative += millisAtLevel[n];
      if (BigDecimal.valueOf(cumulative).compareTo(needed) >= 0) {
        return n;
      }
    }
    return millisAtLevel.length - 1;
  }
}
