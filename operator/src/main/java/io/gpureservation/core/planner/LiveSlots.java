package io.gpureservation.core.planner;

import io.gpureservation.core.window.Interval;
import io.gpureservation.core.window.RecurringWindow;
import io.gpureservation.core.window.WindowSchedule;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Live slots over a span of proposed reservations, evaluated with the time-window model the
 * operator uses (docs/time-windows.md): an always-on reservation is live over the whole span, a
 * windowed one during its live intervals.
 */
public final class LiveSlots {
  private LiveSlots() {}

  /** Live slots of the reservations over the span. */
  public static StepFunction of(List<ProposedReservation> reservations, ZoneId zone, Span span) {
    List<long[]> changes = new ArrayList<>();
    for (ProposedReservation r : reservations) {
      for (Interval live : liveIntervals(r, zone, span)) {
        changes.add(new long[] {live.start().toEpochMilli(), r.quantity()});
        changes.add(new long[] {live.end().toEpochMilli(), -r.quantity()});
      }
    }
    long[] times = new long[changes.size()];
    int[] deltas = new int[changes.size()];
    for (int i = 0; i < changes.size(); i++) {
      times[i] = changes.get(i)[0];
      deltas[i] = (int) changes.get(i)[1];
    }
    return StepFunction.ofChanges(times, deltas, times.length);
  }

  /** Live intervals of one reservation within the span. */
  public static List<Interval> liveIntervals(ProposedReservation r, ZoneId zone, Span span) {
    if (r.alwaysOn()) {
      return List.of(new Interval(span.start(), span.end()));
    }
    List<RecurringWindow> windows = new ArrayList<>();
    for (ProposedReservation.Window w : r.windows()) {
      windows.add(RecurringWindow.of(w.cron(), zone.getId(), w.duration(), w.leadTime()));
    }
    return new WindowSchedule(windows).liveIntervals(span.start(), span.end());
  }
}
