package io.gpureservation.core.planner;

import static io.gpureservation.core.planner.PlanFixtures.l20;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/planner.md, "Windows": how windows are fitted to the tide. */
class WindowFitterTest {
  private static final ZoneId UTC = ZoneId.of("UTC");

  private static Demand demand(List<PodRun> runs) {
    long start = runs.stream().mapToLong(PodRun::startMillis).min().orElseThrow();
    long end = runs.stream().mapToLong(PodRun::endMillis).max().orElseThrow();
    return Demand.of(runs, new Span(start, end));
  }

  private static ProposedReservation.Window window(String cron, int hours, Duration lead) {
    return new ProposedReservation.Window(cron, Duration.ofHours(hours), lead);
  }

  /** Pods every day 2026-11-02 (Mon) .. 11-08 (UTC) from {@code hours[i]} to {@code hours[i+1]}. */
  private static List<PodRun> daily(int... hours) {
    List<PodRun> runs = new ArrayList<>();
    for (int day = 2; day <= 8; day++) {
      String date = String.format("2026-11-%02dT", day);
      for (int i = 0; i < hours.length; i += 2) {
        runs.add(
            l20(
                "ns",
                date + String.format("%02d:00:00Z", hours[i]),
                date + String.format("%02d:00:00Z", hours[i + 1])));
      }
    }
    return runs;
  }

  private static List<ProposedReservation> fit(
      List<PodRun> runs, int maxReservations, Duration lead, int target) {
    return new WindowFitter(UTC, maxReservations, lead).fit(demand(runs), target);
  }

  @Test
  void twoRunsADayShareOneReservation() {
    List<PodRun> runs = daily(8, 12, 13, 17);
    List<ProposedReservation> fit = fit(runs, 3, Duration.ZERO, 1);
    assertThat(fit)
        .containsExactly(
            new ProposedReservation(
                1,
                List.of(
                    window("0 8 * * *", 4, Duration.ZERO),
                    window("0 13 * * *", 4, Duration.ZERO))));
  }

  @Test
  void aGapShorterThanTheLeadTimeIsBridgedSoWindowsNeverOverlap() {
    List<PodRun> runs = daily(8, 12, 13, 17);
    Duration lead = Duration.ofMinutes(90);
    List<ProposedReservation> fit = fit(runs, 3, lead, 1);
    assertThat(fit)
        .containsExactly(new ProposedReservation(1, List.of(window("0 8 * * *", 9, lead))));
  }

  @Test
  void aWindowMayRunOverTheEndOfTheWeek() {
    List<PodRun> runs =
        List.of(
            l20("ns", "2026-11-08T22:00:00Z", "2026-11-09T02:00:00Z"),
            l20("ns", "2026-11-09T10:00:00Z", "2026-11-09T11:00:00Z"));
    List<ProposedReservation> fit = fit(runs, 3, Duration.ZERO, 1);
    assertThat(fit)
        .containsExactly(
            new ProposedReservation(
                1,
                List.of(
                    window("0 10 * * 1", 1, Duration.ZERO),
                    window("0 22 * * 0", 4, Duration.ZERO))));
  }

  @Test
  void oneReservationAtMostIsOneBandAtTheTopLevel() {
    List<PodRun> runs = daily(8, 20, 10, 12);
    assertThat(fit(runs, 1, Duration.ZERO, 2))
        .containsExactly(
            new ProposedReservation(2, List.of(window("0 8 * * *", 12, Duration.ZERO))));
    assertThat(fit(runs, 2, Duration.ZERO, 2))
        .containsExactly(
            new ProposedReservation(1, List.of(window("0 8 * * *", 12, Duration.ZERO))),
            new ProposedReservation(1, List.of(window("0 10 * * *", 2, Duration.ZERO))));
  }

  @Test
  void windowsAreLocalTimeAndADstChangeShowsAsShortfall() {
    // New York falls back on Sunday 2026-11-01: that day 00:00 to 03:00 local lasts 4 hours
    List<PodRun> runs = new ArrayList<>();
    for (int day = 29; day <= 35; day++) { // Thursday 10-29 to Wednesday 11-04
      Instant midnight =
          java.time.LocalDate.of(2026, 10, 1)
              .plusDays(day - 1)
              .atStartOfDay(ZoneId.of("America/New_York"))
              .toInstant();
      Instant three =
          java.time.LocalDate.of(2026, 10, 1)
              .plusDays(day - 1)
              .atTime(3, 0)
              .atZone(ZoneId.of("America/New_York"))
              .toInstant();
      runs.add(l20("ns", midnight.toString(), three.toString()));
    }
    PlanSettings settings =
        new PlanSettings(
            new CoverageTarget.Peak(),
            Map.of(),
            ZoneId.of("America/New_York"),
            "cn-hangzhou",
            3,
            Duration.ZERO,
            BigDecimal.ZERO);
    ShapePlan plan = new Planner(Catalog.defaults(), settings).plan(runs).shapes().get(0);
    Option windowed = plan.option(OptionKind.WINDOWED);
    assertThat(windowed.reservations())
        .containsExactly(
            new ProposedReservation(1, List.of(window("0 0 * * *", 3, Duration.ZERO))));
    // the window lasts 3 elapsed hours; the pod of the 25-hour day ran 4
    assertThat(windowed.shortfallSlotMillis()).isEqualTo(Duration.ofHours(1).toMillis());
  }

  @Test
  void cronDayLists() {
    assertThat(CronDays.format(new TreeSet<>(List.of(1, 2, 3, 4, 5)))).isEqualTo("1-5");
    assertThat(CronDays.format(new TreeSet<>(List.of(0, 6)))).isEqualTo("0,6");
    assertThat(CronDays.format(new TreeSet<>(List.of(1, 2, 4)))).isEqualTo("1,2,4");
    assertThat(CronDays.format(new TreeSet<>(List.of(0, 1, 2, 3, 4, 5, 6)))).isEqualTo("*");
  }
}
