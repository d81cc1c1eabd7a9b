package io.gpureservation.core.window;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A recurring live window: a cron start in an IANA time zone, a duration, and a lead time that
 * warms capacity before each start (docs/time-windows.md). Each start {@code s} makes the window
 * live over {@code [s - leadTime, s + duration)}.
 *
 * <p>Daylight saving time (docs/time-windows.md, "DST"): starts are wall-clock times in the zone;
 * the duration is elapsed time. A start that falls in a spring-forward gap begins at the end of the
 * gap (the instant the clock jumps); a start in a fall-back overlap fires once, at its first
 * occurrence (the earlier offset).
 */
public record RecurringWindow(
    CronSchedule start, ZoneId zone, Duration duration, Duration leadTime) {
  public RecurringWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(leadTime, "leadTime");
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new WindowException("duration", "must be positive: " + duration);
    }
    if (leadTime.isNegative()) {
      throw new WindowException("leadTime", "must not be negative: " + leadTime);
    }
  }

  /**
   * A window from its text form.
   *
   * @throws WindowException naming {@code cron}, {@code timeZone}, {@code duration} or {@code
   *     leadTime}
   */
  public static RecurringWindow of(String cron, String timeZone, Duration duration, Duration lead) {
    CronSchedule schedule = CronSchedule.parse(cron);
    return new RecurringWindow(
        schedule, zone(timeZone), duration, lead == null ? Duration.ZERO : lead);
  }

  /**
   * An IANA zone id ({@code Asia/Shanghai}, {@code UTC}).
   *
   * @throws WindowException (field {@code timeZone}) when unknown
   */
  public static ZoneId zone(String timeZone) {
    if (timeZone == null || timeZone.isBlank()) {
      throw new WindowException("timeZone", "must not be empty");
    }
    try {
      return ZoneId.of(timeZone.trim());
    } catch (DateTimeException e) {
      throw new WindowException("timeZone", "unknown time zone " + timeZone);
    }
  }

  /** Start instants in {@code [from, to)}, ascending, each once. */
  public List<Instant> startsBetween(Instant from, Instant to) {
    List<Instant> starts = new ArrayList<>();
    if (!from.isBefore(to)) {
      return starts;
    }
    ZoneRules rules = zone.getRules();
    int[] minutes = start.minutesOfDay();
    // a day either side: offsets move local dates by at most a day
    LocalDate last = LocalDate.ofInstant(to, zone).plusDays(1);
    for (LocalDate day = LocalDate.ofInstant(from, zone).minusDays(1);
        !day.isAfter(last);
        day = day.plusDays(1)) {
      if (!start.matches(day)) {
        continue;
      }
      for (int minute : minutes) {
        Instant s = resolve(day.atStartOfDay().plusMinutes(minute), rules);
        boolean repeat = !starts.isEmpty() && starts.get(starts.size() - 1).equals(s);
        if (!repeat && !s.isBefore(from) && s.isBefore(to)) {
          starts.add(s);
        }
      }
    }
    return starts;
  }

  /** Live intervals (lead time included) that intersect {@code [from, to)}, unclipped, by start. */
  public List<Interval> occurrences(Instant from, Instant to) {
    List<Interval> result = new ArrayList<>();
    for (Instant s : startsBetween(from.minus(duration), to.plus(leadTime).plusMillis(1))) {
      Interval live = new Interval(s.minus(leadTime), s.plus(duration));
      if (live.end().isAfter(from) && live.start().isBefore(to)) {
        result.add(live);
      }
    }
    return result;
  }

  private Instant resolve(LocalDateTime local, ZoneRules rules) {
    List<?> offsets = rules.getValidOffsets(local);
    if (offsets.isEmpty()) {
      ZoneOffsetTransition gap = rules.getTransition(local);
      return gap.getInstant();
    }
    return local.atZone(zone).toInstant(); // overlap: the earlier offset
  }
}
