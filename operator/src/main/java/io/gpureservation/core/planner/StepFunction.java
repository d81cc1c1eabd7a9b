package io.gpureservation.core.planner;

import java.util.Arrays;

/**
 * A whole-number level over time that changes at instants: {@code level[i]} holds on {@code
 * [time[i], time[i + 1])}, the last level until the end of the span, 0 before the first instant.
 * Used for concurrent demand and for live reserved slots.
 */
public final class StepFunction {
  private final long[] times;
  private final int[] levels;

  private StepFunction(long[] times, int[] levels) {
    this.times = times;
    this.levels = levels;
  }

  /** A constant level over all time. */
  public static StepFunction constant(int level) {
    return new StepFunction(new long[] {Long.MIN_VALUE}, new int[] {level});
  }

  /**
   * The level made by changes: at {@code times[i]} the level moves by {@code deltas[i]}; changes at
   * the same instant are applied together. The arrays are not kept.
   */
  public static StepFunction ofChanges(long[] times, int[] deltas, int count) {
    Integer[] order = null;
    long[] sortedTimes = Arrays.copyOf(times, count);
    int[] sortedDeltas;
    if (isSorted(sortedTimes)) {
      sortedDeltas = Arrays.copyOf(deltas, count);
    } else {
      order = new Integer[count];
      for (int i = 0; i < count; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
      sortedDeltas = new int[count];
      for (int i = 0; i < count; i++) {
        sortedTimes[i] = times[order[i]];
        sortedDeltas[i] = deltas[order[i]];
      }
    }
    long[] outTimes = new long[count];
    int[] outLevels = new int[count];
    int n = 0;
    int level = 0;
    for (int i = 0; i < count; i++) {
      level += sortedDeltas[i];
      if (i + 1 < count && sortedTimes[i + 1] == sortedTimes[i]) {
        continue; // the same instant: one step
      }
      if (n > 0 && outLevels[n - 1] == level) {
        continue; // no change
      }
      outTimes[n] = sortedTimes[i];
      outLevels[n] = level;
      n++;
    }
    return new StepFunction(Arrays.copyOf(outTimes, n), Arrays.copyOf(outLevels, n));
  }

  private static boolean isSorted(long[] values) {
    for (int i = 1; i < values.length; i++) {
      if (values[i] < values[i - 1]) {
        return false;
      }
    }
    return true;
  }

  /** Number of steps. */
  public int size() {
    return times.length;
  }

  public long time(int i) {
    return times[i];
  }

  public int level(int i) {
    return levels[i];
  }

  /** The level at instant {@code t}. */
  public int at(long t) {
    int i = Arrays.binarySearch(times, t);
    int index = i >= 0 ? i : -i - 2;
    return index < 0 ? 0 : levels[index];
  }

  /** The highest level reached in {@code [from, to)}. */
  public int max(long from, long to) {
    int max = at(from);
    for (int i = firstAfter(from); i < times.length && times[i] < to; i++) {
      max = Math.max(max, levels[i]);
    }
    return max;
  }

  /** Index of the first step strictly after {@code t}. */
  int firstAfter(long t) {
    int i = Arrays.binarySearch(times, t);
    return i >= 0 ? i + 1 : -i - 1;
  }
}
