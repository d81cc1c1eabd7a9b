package io.gpureservation.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/time-windows.md: cron starts in a zone, elapsed durations, lead time, DST. */
class RecurringWindowTest {
  private static Instant at(String text) {
    return Instant.parse(text);
  }

  private static Interval live(String start, String end) {
    return new Interval(at(start), at(end));
  }

  @Test
  void weekdaysEightOclockForTwelveHoursInShanghai() {
    RecurringWindow window =
        RecurringWindow.of("0 8 * * 1-5", "Asia/Shanghai", Duration.ofHours(12), null);
    // 2026-11-23 is a Monday; Shanghai is UTC+8 all year
    List<Interval> week =
        window.occurrences(at("2026-11-22T16:00:00Z"), at("2026-11-29T16:00:00Z"));
    assertThat(week)
        .containsExactly(
            live("2026-11-23T00:00:00Z", "2026-11-23T12:00:00Z"),
            live("2026-11-24T00:00:00Z", "2026-11-24T12:00:00Z"),
            live("2026-11-25T00:00:00Z", "2026-11-25T12:00:00Z"),
            live("2026-11-26T00:00:00Z", "2026-11-26T12:00:00Z"),
            live("2026-11-27T00:00:00Z", "2026-11-27T12:00:00Z"));
  }

  @Test
  void leadTimeOpensTheWindowEarlier() {
    RecurringWindow window =
        RecurringWindow.of("0 8 * * *", "UTC", Duration.ofHours(2), Duration.ofMinutes(15));
    assertThat(window.occurrences(at("2026-11-23T00:00:00Z"), at("2026-11-24T00:00:00Z")))
        .containsExactly(live("2026-11-23T07:45:00Z", "2026-11-23T10:00:00Z"));
  }

  @Test
  void occurrenceThatBeganBeforeTheRangeIsIncluded() {
    RecurringWindow window = RecurringWindow.of("0 22 * * *", "UTC", Duration.ofHours(4), null);
    assertThat(window.occurrences(at("2026-11-24T01:00:00Z"), at("2026-11-24T02:00:00Z")))
        .containsExactly(live("2026-11-23T22:00:00Z", "2026-11-24T02:00:00Z"));
  }

  @Test
  void startInSpringForwardGapBeginsWhenTheClockJumps() {
    // New York, 2026-03-08 02:00 EST -> 03:00 EDT: 02:30 does not exist that day
    RecurringWindow window =
        RecurringWindow.of("30 2 * * *", "America/New_York", Duration.ofHours(1), null);
    assertThat(window.startsBetween(at("2026-03-07T00:00:00Z"), at("2026-03-10T00:00:00Z")))
        .containsExactly(
            at("2026-03-07T07:30:00Z"), // 02:30 EST
            at("2026-03-08T07:00:00Z"), // the gap's end, 03:00 EDT
            at("2026-03-09T06:30:00Z")); // 02:30 EDT
  }

  @Test
  void startInFallBackOverlapFiresOnceAtTheEarlierOffset() {
    // New York, 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens twice
    RecurringWindow window =
        RecurringWindow.of("30 1 * * *", "America/New_York", Duration.ofMinutes(20), null);
    assertThat(window.startsBetween(at("2026-11-01T00:00:00Z"), at("2026-11-02T00:00:00Z")))
        .containsExactly(at("2026-11-01T05:30:00Z"));
  }

  @Test
  void durationIsElapsedTimeAcrossFallBack() {
    // midnight for 24 h: the fall-back day has 25 hours, so the last local hour is not covered
    RecurringWindow window =
        RecurringWindow.of("0 0 * * *", "America/New_York", Duration.ofHours(24), null);
    assertThat(window.occurrences(at("2026-11-01T04:00:00Z"), at("2026-11-02T06:00:00Z")))
        .containsExactly(
            live("2026-11-01T04:00:00Z", "2026-11-02T04:00:00Z"),
            live("2026-11-02T05:00:00Z", "2026-11-03T05:00:00Z"));
  }

  @Test
  void dayOfMonthAndDayOfWeekBothRestrictedMatchEither() {
    CronSchedule cron = CronSchedule.parse("0 0 1 * MON");
    assertThat(cron.matches(LocalDate.parse("2026-12-01"))).isTrue(); // a Tuesday, the 1st
    assertThat(cron.matches(LocalDate.parse("2026-12-07"))).isTrue(); // a Monday
    assertThat(cron.matches(LocalDate.parse("2026-12-08"))).isFalse();
  }

  @Test
  void stepsRangesNamesAndMacros() {
    assertThat(CronSchedule.parse("*/20 8-10/2 * * *").minutesOfDay())
        .containsExactly(480, 500, 520, 600, 620, 640);
    assertThat(CronSchedule.parse("5/30 0 * * *").minutesOfDay()).containsExactly(5, 35);
    assertThat(CronSchedule.parse("0 0 * JAN,dec SUN").matches(LocalDate.parse("2026-12-06")))
        .isTrue();
    assertThat(CronSchedule.parse("0 0 * * 7").matches(LocalDate.parse("2026-12-06"))).isTrue();
    assertThat(CronSchedule.parse("@daily").minutesOfDay()).containsExactly(0);
  }

  @Test
  void malformedInputNamesTheField() {
    assertThatThrownBy(() -> CronSchedule.parse("61 8 * * *"))
        .hasMessage("field cron: minute: 61 is out of range 0-59");
    assertThatThrownBy(() -> CronSchedule.parse("0 8 * *"))
        .hasMessageStartingWith("field cron: needs 5 fields");
    assertThatThrownBy(() -> CronSchedule.parse("0 18-8 * * *"))
        .hasMessage("field cron: hour: range 18-8 runs backwards");
    assertThatThrownBy(() -> CronSchedule.parse("*/0 * * * *"))
        .hasMessage("field cron: minute: 0 is out of range 1-60");
    assertThatThrownBy(() -> CronSchedule.parse("@sometimes"))
        .hasMessageStartingWith("field cron: unknown macro @sometimes");
    assertThatThrownBy(
            () -> RecurringWindow.of("0 8 * * *", "Mars/Olympus", Duration.ofHours(1), null))
        .hasMessage("field timeZone: unknown time zone Mars/Olympus");
    assertThatThrownBy(() -> RecurringWindow.of("0 8 * * *", "UTC", Duration.ZERO, null))
        .hasMessage("field duration: must be positive: PT0S");
    assertThatThrownBy(
            () ->
                RecurringWindow.of("0 8 * * *", "UTC", Duration.ofHours(1), Duration.ofMinutes(-1)))
        .hasMessage("field leadTime: must not be negative: PT-1M");
  }
}
