package io.gpureservation.core.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.window.RecurringWindow;
import io.gpureservation.core.window.WindowSchedule;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * docs/planner.md, "Windows": in a zone without DST the proposed windows cover the target in every
 * instant of the trace, a reservation's windows never overlap (whatever the lead time), and the
 * windowed option never costs more than the always-on reservation.
 */
class WindowFitterProperties {
  private static final long MINUTE = 60_000;
  private static final long T0 = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  record Pod(int startMinute, int minutes) {}

  @Provide
  Arbitrary<List<Pod>> pods() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 14 * 24 * 60), Arbitraries.integers().between(1, 600))
        .as(Pod::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
  void windowsCoverTheTargetNeverOverlapAndNeverCostMoreThanAlwaysOn(
      @ForAll("pods") List<Pod> pods,
      @ForAll @IntRange(min = 1, max = 4) int maxReservations,
      @ForAll @IntRange(min = 0, max = 150) int leadMinutes,
      @ForAll @IntRange(min = 1, max = 6) int fixedTarget) {
    List<PodRun> runs = new ArrayList<>();
    for (Pod p : pods) {
      long start = T0 + p.startMinute() * MINUTE;
      runs.add(
          new PodRun("ns", "p", "L20", 1, 8_000, 32L << 30, start, start + p.minutes() * MINUTE));
    }
    Duration lead = Duration.ofMinutes(leadMinutes);
    PlanSettings settings =
        new PlanSettings(
            new CoverageTarget.Fixed(fixedTarget),
            Map.of(),
            SHANGHAI,
            "cn-hangzhou",
            maxReservations,
            lead,
            BigDecimal.ZERO);
    ShapePlan plan = new Planner(Catalog.defaults(), settings).plan(runs).shapes().get(0);
    Option windowed = plan.option(OptionKind.WINDOWED);

    assertThat(windowed.shortfallSlotMillis()).isZero();
    assertThat(windowed.reservations()).hasSizeLessThanOrEqualTo(maxReservations);
    assertThat(windowed.reservations().stream().mapToInt(ProposedReservation::quantity).sum())
        .isLessThanOrEqualTo(plan.level());
    for (ProposedReservation r : windowed.reservations()) {
      List<RecurringWindow> windows = new ArrayList<>();
      r.windows()
          .forEach(
              w ->
                  windows.add(
                      RecurringWindow.of(w.cron(), SHANGHAI.getId(), w.duration(), w.leadTime())));
      Instant from = Instant.ofEpochMilli(T0).minus(Duration.ofDays(7));
      assertThat(new WindowSchedule(windows).firstOverlap(from, from.plus(Duration.ofDays(28))))
          .isEmpty();
    }
    assertThat(windowed.bill().total())
        .isLessThanOrEqualTo(plan.option(OptionKind.ALWAYS_ON).bill().total());
  }
}
