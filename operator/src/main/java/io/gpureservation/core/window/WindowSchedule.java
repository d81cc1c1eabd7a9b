package io.gpureservation.core.window;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The recurring windows of one reservation: when it is live, when its next edge comes, and whether
 * two occurrences overlap (refused: docs/time-windows.md, "Overlaps"). Pure and immutable.
 */
public record WindowSchedule(List<RecurringWindow> windows) {
  public WindowSchedule {
    windows = List.copyOf(windows);
  }

  /** Two occurrences that overlap: window indexes and the live intervals. */
  public record Overlap(int first, Interval firstLive, int second, Interval secondLive) {
    public String message() {
      String a = "windows[" + first + "] live " + firstLive.start() + " to " + firstLive.end();
      String b = "windows[" + second + "] live " + secondLive.start() + " to " + secondLive.end();
      return a + " overlaps " + b;
    }
  }

  private record Occurrence(int window, Interval live) {}

  /** Live intervals in {@code [from, to)}: merged, clipped to the range, ascending. */
  public List<Interval> liveIntervals(Instant from, Instant to) {
    List<Interval> merged = new ArrayList<>();
    for (Occurrence o : occurrences(from, to)) {
      Instant start = max(o.live().start(), from);
      Instant end = min(o.live().end(), to);
      Interval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && !start.isAfter(last.end())) {
        merged.set(merged.size() - 1, new Interval(last.start(), max(last.end(), end)));
      } else {
        merged.add(new Interval(start, end));
      }
    }
    return merged;
  }

  /** Whether the schedule is live at {@code t}. */
  public boolean isLive(Instant t) {
    return !liveIntervals(t, t.plusMillis(1)).isEmpty();
  }

  /**
   * The first overlap of two occurrences (of different windows, or of one window with itself) among
   * those live in {@code [from, to)}. Touching intervals ({@code end == start}) do not overlap.
   */
  public Optional<Overlap> firstOverlap(Instant from, Instant to) {
    Occurrence open = null;
    for (Occurrence o : occurrences(from, to)) {
      if (open != null && o.live().start().isBefore(open.live().end())) {
        return Optional.of(new Overlap(open.window(), open.live(), o.window(), o.live()));
      }
      if (open == null || o.live().end().isAfter(open.live().end())) {
        open = o;
      }
    }
    return Optional.empty();
  }

  /**
   * The next instant after {@code now} (within {@code horizon}) at which the schedule opens or
   * closes; empty when nothing changes within the horizon.
   */
  public Optional<Instant> nextEdge(Instant now, Duration horizon) {
    Instant end = now.plus(horizon);
    List<Interval> live = liveIntervals(now, end);
    if (live.isEmpty()) {
      return Optional.empty();
    }
    Interval first = live.get(0);
    Instant edge = first.start().isAfter(now) ? first.start() : first.end();
    return edge.isBefore(end) ? Optional.of(edge) : Optional.empty();
  }

  private List<Occurrence> occurrences(Instant from, Instant to) {
    List<Occurrence> all = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      for (Interval live : windows.get(i).occurrences(from, to)) {
        all.add(new Occurrence(i, live));
      }
    }
    all.sort(
        Comparator.comparing((Occurrence o) -> o.live().start())
            .thenComparing(o -> o.live().end())
            .thenComparingInt(Occurrence::window));
    return all;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
