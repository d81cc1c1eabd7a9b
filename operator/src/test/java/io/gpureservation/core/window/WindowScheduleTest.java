package io.gpureservation.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/time-windows.md: live intervals, overlaps refused, next edge. */
class WindowScheduleTest {
  private static final Instant DAY = Instant.parse("2026-11-23T00:00:00Z");

  private static RecurringWindow utc(String cron, Duration duration) {
    return RecurringWindow.of(cron, "UTC", duration, null);
  }

  @Test
  void liveIntervalsAreMergedAndClippedToTheRange() {
    WindowSchedule schedule =
        new WindowSchedule(
            List.of(utc("0 8 * * *", Duration.ofHours(4)), utc("0 12 * * *", Duration.ofHours(2))));
    assertThat(schedule.liveIntervals(DAY.plusSeconds(9 * 3600), DAY.plusSeconds(24 * 3600)))
        .containsExactly(new Interval(DAY.plusSeconds(9 * 3600), DAY.plusSeconds(14 * 3600)));
  }

  @Test
  void overlappingWindowsAreFound() {
    WindowSchedule schedule =
        new WindowSchedule(
            List.of(
                utc("0 8 * * *", Duration.ofHours(12)), utc("0 18 * * *", Duration.ofHours(4))));
    var overlap = schedule.firstOverlap(DAY, DAY.plus(Duration.ofDays(7))).orElseThrow();
    assertThat(overlap.first()).isZero();
    assertThat(overlap.second()).isEqualTo(1);
    assertThat(overlap.message())
        .isEqualTo(
            "windows[0] live 2026-11-23T08:00:00Z to 2026-11-23T20:00:00Z overlaps windows[1] live"
                + " 2026-11-23T18:00:00Z to 2026-11-23T22:00:00Z");
  }

  @Test
  void aWindowLongerThanItsPeriodOverlapsItself() {
    WindowSchedule schedule = new WindowSchedule(List.of(utc("0 * * * *", Duration.ofMinutes(90))));
    var overlap = schedule.firstOverlap(DAY, DAY.plus(Duration.ofDays(1))).orElseThrow();
    assertThat(overlap.first()).isZero();
    assertThat(overlap.second()).isZero();
  }

  @Test
  void leadTimeCanMakeWindowsOverlap() {
    WindowSchedule touching =
        new WindowSchedule(
            List.of(
                utc("0 8 * * *", Duration.ofHours(10)), utc("0 18 * * *", Duration.ofHours(2))));
    assertThat(touching.firstOverlap(DAY, DAY.plus(Duration.ofDays(7)))).isEmpty();
    WindowSchedule led =
        new WindowSchedule(
            List.of(
                utc("0 8 * * *", Duration.ofHours(10)),
                RecurringWindow.of(
                    "0 18 * * *", "UTC", Duration.ofHours(2), Duration.ofMinutes(5))));
    assertThat(led.firstOverlap(DAY, DAY.plus(Duration.ofDays(7)))).isPresent();
  }

  @Test
  void nextEdgeIsTheNextOpeningOrClosing() {
    WindowSchedule schedule = new WindowSchedule(List.of(utc("0 8 * * 1-5", Duration.ofHours(12))));
    Instant mondayMorning = DAY.plusSeconds(6 * 3600); // Monday 06:00
    assertThat(schedule.isLive(mondayMorning)).isFalse();
    assertThat(schedule.nextEdge(mondayMorning, Duration.ofDays(8)))
        .contains(DAY.plusSeconds(8 * 3600));
    Instant mondayNoon = DAY.plusSeconds(12 * 3600);
    assertThat(schedule.isLive(mondayNoon)).isTrue();
    assertThat(schedule.nextEdge(mondayNoon, Duration.ofDays(8)))
        .contains(DAY.plusSeconds(20 * 3600));
    Instant fridayNight = DAY.plus(Duration.ofDays(4)).plusSeconds(21 * 3600);
    assertThat(schedule.nextEdge(fridayNight, Duration.ofDays(1))).isEmpty();
    assertThat(schedule.nextEdge(fridayNight, Duration.ofDays(3)))
        .contains(DAY.plus(Duration.ofDays(7)).plusSeconds(8 * 3600));
  }
}
