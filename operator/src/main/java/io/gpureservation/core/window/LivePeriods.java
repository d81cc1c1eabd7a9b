package io.gpureservation.core.window;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a reservation is live (docs/time-windows.md, "On a CapacityReservation"): from {@code
 * startAt}, before {@code releaseAt}, and inside its windows (lead time included) when it has any.
 * Each bound is optional; with none the reservation is always live. Pure and immutable.
 *
 * @param startAt the first live instant, or null for "since creation"
 * @param releaseAt the instant everything ends, or null for never
 * @param windows the recurring windows, or null for no windows (live all the time in between)
 */
public record LivePeriods(Instant startAt, Instant releaseAt, WindowSchedule windows) {
  /** How far ahead the next edge is looked for: recurrences repeat within a year or so. */
  public static final Duration HORIZON = Duration.ofDays(400);

  private static final List<Duration> SEARCH_STEPS =
      List.of(Duration.ofHours(2), Duration.ofDays(2), Duration.ofDays(40));

  public static final LivePeriods ALWAYS = new LivePeriods(null, null, null);

  /** An instant at which liveness changes: the reservation opens or closes. */
  public record Edge(Instant at, boolean opens) {}

  public boolean isLive(Instant t) {
    return (startAt == null || !t.isBefore(startAt))
        && (releaseAt == null || t.isBefore(releaseAt))
        && (windows == null || windows.isLive(t));
  }

  /** The next instant after {@code now} at which liveness changes, within {@link #HORIZON}. */
  public Optional<Edge> nextEdge(Instant now) {
    return firstChange(now, now.plus(HORIZON));
  }

  /**
   * The first instant in {@code (from, to]} at which liveness differs from liveness at {@code
   * from}: accrual over a stored status's counts stops there (docs/time-windows.md, "Accrual").
   */
  public Optional<Edge> firstChange(Instant from, Instant to) {
    boolean liveAtFrom = isLive(from);
    Instant cursor = from;
    while (cursor.isBefore(to)) {
      Instant candidate = nextCandidate(cursor, to);
      if (candidate == null) {
        return Optional.empty();
      }
      if (isLive(candidate) != liveAtFrom) {
        return Optional.of(new Edge(candidate, !liveAtFrom));
      }
      cursor = candidate;
    }
    return Optional.empty();
  }

  // The earliest bound or window edge after the cursor, at or before the limit.
  private Instant nextCandidate(Instant cursor, Instant limit) {
    Instant best = null;
    if (startAt != null && startAt.isAfter(cursor)) {
      best = startAt;
    }
    if (releaseAt != null && releaseAt.isAfter(cursor)) {
      best = earlier(best, releaseAt);
    }
    if (windows != null) {
      best = earlier(best, nextWindowEdge(cursor, limit));
    }
    return best == null || best.isAfter(limit) ? null : best;
  }

  // Widening searches: a minutely window looked for a year ahead would enumerate half a million
  // occurrences, when its next edge is minutes away.
  private Instant nextWindowEdge(Instant cursor, Instant limit) {
    Duration all = Duration.between(cursor, limit).plusMillis(1);
    for (Duration step : SEARCH_STEPS) {
      Duration horizon = step.compareTo(all) < 0 ? step : all;
      Optional<Instant> edge = windows.nextEdge(cursor, horizon);
      if (edge.isPresent() || horizon == all) {
        return edge.orElse(null);
      }
    }
    return windows.nextEdge(cursor, all).orElse(null);
  }

  private static Instant earlier(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
