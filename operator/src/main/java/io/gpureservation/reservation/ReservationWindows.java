package io.gpureservation.reservation;

import io.gpureservation.api.v1alpha1.CapacityReservationSpec;
import io.gpureservation.api.v1alpha1.ReservationWindow;
import io.gpureservation.core.window.LivePeriods;
import io.gpureservation.core.window.RecurringWindow;
import io.gpureservation.core.window.WindowException;
import io.gpureservation.core.window.WindowSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code spec.startAt}, {@code spec.windows} and {@code spec.releaseAt} into the pure {@link
 * LivePeriods} (docs/time-windows.md, "On a CapacityReservation"). What the API server cannot check
 * — cron syntax, the zone name, overlapping windows — comes back as a problem naming the field.
 */
final class ReservationWindows {
  /**
   * Overlaps are looked for over a year from startAt, or from this fixed instant: recurrences
   * repeat within a year (leap days aside), and a fixed start gives every reader the same answer.
   */
  static final Instant OVERLAP_ANCHOR = Instant.parse("2026-01-01T00:00:00Z");

  static final Duration OVERLAP_HORIZON = Duration.ofDays(366);

  private static final Pattern GO_DURATION =
      Pattern.compile("^(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?$");
  private static final int CACHE_LIMIT = 1024;

  /** The periods, or why the windows cannot be used. */
  record Reading(LivePeriods periods, String problem) {}

  // Parsing and the year-long overlap scan cost milliseconds (a minutely window has half a million
  // occurrences a year); a reservation is read on every reconcile, its windows rarely change.
  private final Map<String, Reading> cache = new ConcurrentHashMap<>();

  Reading read(CapacityReservationSpec spec) {
    Instant startAt = ReservationShapes.instant(spec.getStartAt());
    Instant releaseAt = ReservationShapes.instant(spec.getReleaseAt());
    List<ReservationWindow> windows = spec.getWindows();
    if (windows == null || windows.isEmpty()) {
      return new Reading(new LivePeriods(startAt, releaseAt, null), null);
    }
    Reading schedule = schedule(windows, startAt != null ? startAt : OVERLAP_ANCHOR);
    return schedule.problem() != null
        ? schedule
        : new Reading(new LivePeriods(startAt, releaseAt, schedule.periods().windows()), null);
  }

  private Reading schedule(List<ReservationWindow> windows, Instant from) {
    String key = windows + "@" + from;
    Reading known = cache.get(key);
    if (known != null) {
      return known;
    }
    Reading reading = parse(windows, from);
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(key, reading);
    return reading;
  }

  private static Reading parse(List<ReservationWindow> windows, Instant from) {
    List<RecurringWindow> parsed = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      ReservationWindow w = windows.get(i);
      try {
        parsed.add(
            RecurringWindow.of(
                w.getSchedule(),
                w.getTimeZone(),
                duration(w.getDuration(), "duration"),
                w.getLead() == null ? Duration.ZERO : duration(w.getLead(), "lead")));
      } catch (WindowException e) {
        return new Reading(null, "spec.windows[" + i + "]." + specField(e) + ": " + problem(e));
      }
    }
    WindowSchedule schedule = new WindowSchedule(parsed);
    return schedule
        .firstOverlap(from, from.plus(OVERLAP_HORIZON))
        .map(o -> new Reading(null, "spec.windows overlap: " + o.message()))
        .orElseGet(() -> new Reading(new LivePeriods(null, null, schedule), null));
  }

  /** A Go-style duration ({@code 12h}, {@code 1h30m}, {@code 45s}) as the CRD pattern admits. */
  static Duration duration(String text, String field) {
    Matcher m = text == null ? null : GO_DURATION.matcher(text.trim());
    if (m == null || text.isBlank() || !m.matches()) {
      throw new WindowException(field, "not a duration like 12h, 90m or 1h30m: " + text);
    }
    try {
      return Duration.ofHours(part(m.group(1)))
          .plusMinutes(part(m.group(2)))
          .plusSeconds(part(m.group(3)));
    } catch (ArithmeticException | NumberFormatException tooLarge) {
      // the CRD bounds each part's digits; an object stored before that still gets a reason
      throw new WindowException(field, "too large to be a duration: " + text);
    }
  }

  private static long part(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }

  // The core names its own fields (cron, leadTime); the spec calls them schedule and lead.
  private static String specField(WindowException e) {
    return switch (e.field()) {
      case "cron" -> "schedule";
      case "leadTime" -> "lead";
      default -> e.field();
    };
  }

  private static String problem(WindowException e) {
    String prefix = "field " + e.field() + ": ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }
}
