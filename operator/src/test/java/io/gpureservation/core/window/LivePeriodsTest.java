package io.gpureservation.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/time-windows.md, "On a CapacityReservation": startAt, windows and releaseAt together. */
class LivePeriodsTest {
  private static final Instant T = Instant.parse("2026-11-23T00:00:00Z");

  private static WindowSchedule windows(
      String cron, String zone, Duration duration, Duration lead) {
    return new WindowSchedule(List.of(RecurringWindow.of(cron, zone, duration, lead)));
  }

  @Test
  void noBoundsIsAlwaysLive_andHasNoEdge() {
    assertThat(LivePeriods.ALWAYS.isLive(T)).isTrue();
    assertThat(LivePeriods.ALWAYS.nextEdge(T)).isEmpty();
  }

  @Test
  void startAtOpens_releaseAtCloses_eachExactlyAtItsInstant() {
    Instant start = T.plusSeconds(3600);
    Instant release = T.plusSeconds(7200);
    LivePeriods p = new LivePeriods(start, release, null);

    assertThat(p.isLive(start.minusMillis(1))).isFalse();
    assertThat(p.isLive(start)).isTrue();
    assertThat(p.isLive(release.minusMillis(1))).isTrue();
    assertThat(p.isLive(release)).isFalse();
    assertThat(p.nextEdge(T)).contains(new LivePeriods.Edge(start, true));
    assertThat(p.nextEdge(start)).contains(new LivePeriods.Edge(release, false));
    assertThat(p.nextEdge(release)).isEmpty();
  }

  @Test
  void windowEdgesAreTheEdges_leadTimeIncluded() {
    // 08:00 UTC for 2 h with a 10-minute lead: live 07:50 to 10:00
    LivePeriods p =
        new LivePeriods(
            null, null, windows("0 8 * * *", "UTC", Duration.ofHours(2), Duration.ofMinutes(10)));

    assertThat(p.nextEdge(T))
        .contains(new LivePeriods.Edge(Instant.parse("2026-11-23T07:50:00Z"), true));
    assertThat(p.nextEdge(Instant.parse("2026-11-23T07:50:00Z")))
        .contains(new LivePeriods.Edge(Instant.parse("2026-11-23T10:00:00Z"), false));
    assertThat(p.isLive(Instant.parse("2026-11-23T07:49:59.999Z"))).isFalse();
    assertThat(p.isLive(Instant.parse("2026-11-23T07:50:00Z"))).isTrue();
  }

  @Test
  void windowsBeforeStartAtOrAfterReleaseAtDoNotCount() {
    // daily 08:00-10:00 UTC, but the reservation starts on the 25th at 09:00 and ends at 09:30
    LivePeriods p =
        new LivePeriods(
            Instant.parse("2026-11-25T09:00:00Z"),
            Instant.parse("2026-11-25T09:30:00Z"),
            windows("0 8 * * *", "UTC", Duration.ofHours(2), null));

    assertThat(p.isLive(Instant.parse("2026-11-23T08:30:00Z"))).isFalse();
    assertThat(p.nextEdge(T))
        .contains(new LivePeriods.Edge(Instant.parse("2026-11-25T09:00:00Z"), true));
    assertThat(p.nextEdge(Instant.parse("2026-11-25T09:00:00Z")))
        .contains(new LivePeriods.Edge(Instant.parse("2026-11-25T09:30:00Z"), false));
    assertThat(p.nextEdge(Instant.parse("2026-11-25T09:30:00Z"))).isEmpty();
  }

  @Test
  void firstChangeFindsTheFirstEdgeInTheRange_orNothing() {
    LivePeriods p =
        new LivePeriods(null, null, windows("0 8 * * *", "UTC", Duration.ofHours(2), null));
    Instant from = Instant.parse("2026-11-23T09:00:00Z");

    assertThat(p.firstChange(from, Instant.parse("2026-11-24T09:00:00Z")))
        .contains(new LivePeriods.Edge(Instant.parse("2026-11-23T10:00:00Z"), false));
    assertThat(p.firstChange(from, Instant.parse("2026-11-23T10:00:00Z")))
        .contains(new LivePeriods.Edge(Instant.parse("2026-11-23T10:00:00Z"), false));
    assertThat(p.firstChange(from, Instant.parse("2026-11-23T09:59:59.999Z"))).isEmpty();
  }

  @Test
  void edgesFollowTheWindowsZoneAcrossADstChange() {
    // Europe/Berlin springs forward on 2026-03-29: 08:00 local is 07:00Z before, 06:00Z after
    LivePeriods p =
        new LivePeriods(
            null, null, windows("0 8 * * *", "Europe/Berlin", Duration.ofHours(1), null));

    assertThat(p.nextEdge(Instant.parse("2026-03-28T00:00:00Z")))
        .contains(new LivePeriods.Edge(Instant.parse("2026-03-28T07:00:00Z"), true));
    assertThat(p.nextEdge(Instant.parse("2026-03-29T00:00:00Z")))
        .contains(new LivePeriods.Edge(Instant.parse("2026-03-29T06:00:00Z"), true));
    assertThat(p.nextEdge(Instant.parse("2026-03-29T06:00:00Z")))
        .contains(new LivePeriods.Edge(Instant.parse("2026-03-29T07:00:00Z"), false));
  }

  @Test
  void aMinutelyWindowsNextEdgeIsFoundWithoutScanningTheYear() {
    // "* * * * *" for 30 s: live the first half of every minute
    LivePeriods p =
        new LivePeriods(null, null, windows("* * * * *", "UTC", Duration.ofSeconds(30), null));

    assertThat(p.nextEdge(T.plusSeconds(10)))
        .contains(new LivePeriods.Edge(T.plusSeconds(30), false));
    assertThat(p.nextEdge(T.plusSeconds(30)))
        .contains(new LivePeriods.Edge(T.plusSeconds(60), true));
  }

  @Test
  void touchingWindowsMergeSoTheirSharedInstantIsNoEdge() {
    // 08:00 for 2 h and 10:00 for 2 h touch: one live period 08:00 to 12:00
    LivePeriods p =
        new LivePeriods(
            null,
            null,
            new WindowSchedule(
                List.of(
                    RecurringWindow.of("0 8 * * *", "UTC", Duration.ofHours(2), null),
                    RecurringWindow.of("0 10 * * *", "UTC", Duration.ofHours(2), null))));

    assertThat(p.nextEdge(Instant.parse("2026-11-23T09:00:00Z")))
        .contains(new LivePeriods.Edge(Instant.parse("2026-11-23T12:00:00Z"), false));
  }
}
