package io.gpureservation.core.planner;

import static io.gpureservation.core.planner.PlanFixtures.l20;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of docs/planner.md ("Worked examples"), to the cent, with the bundled
 * catalog: L20 reservation 0.54 and pay-as-you-go 1.80 per card-hour (example rates), Ada pool USD
 * 1,026 per card-month and USD 0.17 per GB-month of disk in cn-hangzhou.
 */
class PlannerWorkedExamplesTest {
  /** Example 1's trace: Monday and Tuesday 2026-11-02/03, UTC; span 08:00 Mon to 20:00 Tue. */
  static final List<PodRun> TWO_DAY_TIDE =
      List.of(
          l20("inference", "2026-11-02T08:00:00Z", "2026-11-02T20:00:00Z"),
          l20("inference", "2026-11-02T08:00:00Z", "2026-11-02T12:00:00Z"),
          l20("inference", "2026-11-03T08:00:00Z", "2026-11-03T20:00:00Z"),
          l20("inference", "2026-11-03T14:00:00Z", "2026-11-03T18:00:00Z"));

  private static ShapePlan plan(List<PodRun> runs, CoverageTarget target) {
    return plan(runs, target, BigDecimal.ZERO);
  }

  private static ShapePlan plan(List<PodRun> runs, CoverageTarget target, BigDecimal borrowFill) {
    PlanSettings settings =
        new PlanSettings(
            target, Map.of(), ZoneId.of("UTC"), "cn-hangzhou", 3, Duration.ZERO, borrowFill);
    Plan plan = new Planner(Catalog.defaults(), settings).plan(runs);
    assertThat(plan.shapes()).hasSize(1);
    return plan.shapes().get(0);
  }

  private static BigDecimal payable(ShapePlan shape, OptionKind kind) {
    return shape.option(kind).bill().payable();
  }

  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount);
  }

  @Test
  void example1TwoDayTideAtPeakWindowsFollowTheTideExactly() {
    ShapePlan shape = plan(TWO_DAY_TIDE, new CoverageTarget.Peak());
    assertThat(shape.level()).isEqualTo(2);
    // 32 pod-hours x 1.80
    assertThat(payable(shape, OptionKind.PAY_AS_YOU_GO)).isEqualTo(usd("57.60"));
    // 2 pods for 36 h = 72 pod-hours x 1.80
    assertThat(payable(shape, OptionKind.WARM_PODS)).isEqualTo(usd("129.60"));
    // 40 idle slot-hours x 0.54 = 21.60, plus 32 pod-hours on the slots x 1.80 = 57.60
    assertThat(payable(shape, OptionKind.ALWAYS_ON)).isEqualTo(usd("79.20"));
    // two bands: 1 slot weekdays Mon,Tue 08:00 for 12 h; 1 slot Mon 08:00 4 h and Tue 14:00 4 h
    Option windowed = shape.option(OptionKind.WINDOWED);
    assertThat(windowed.reservations())
        .containsExactly(
            new ProposedReservation(
                1,
                List.of(
                    new ProposedReservation.Window(
                        "0 8 * * 1,2", Duration.ofHours(12), Duration.ZERO))),
            new ProposedReservation(
                1,
                List.of(
                    new ProposedReservation.Window("0 8 * * 1", Duration.ofHours(4), Duration.ZERO),
                    new ProposedReservation.Window(
                        "0 14 * * 2", Duration.ofHours(4), Duration.ZERO))));
    assertThat(payable(shape, OptionKind.WINDOWED)).isEqualTo(usd("57.60"));
    assertThat(windowed.utilisation()).contains(new BigDecimal("100.0"));
    assertThat(windowed.shortfallSlotMillis()).isZero();
    // 2 Ada cards: (2 x 1026 + 2 x 10 GB x 0.17) / 30 days of November = 68.52 a day, 2 days
    assertThat(payable(shape, OptionKind.RESIDENT_POOL)).isEqualTo(usd("137.04"));
    assertThat(shape.option(OptionKind.RESIDENT_POOL).breakEven()).isEmpty(); // 105.7 %
    assertThat(shape.cheapest().kind()).isEqualTo(OptionKind.WINDOWED);
    assertThat(shape.savingVsWarmPods()).isEqualTo(usd("72.00"));
    assertThat(shape.savingPercent()).contains(new BigDecimal("55.6"));
  }

  @Test
  void example2OneGuaranteedPodTheRestPayAsYouGo() {
    ShapePlan shape = plan(TWO_DAY_TIDE, new CoverageTarget.Fixed(1));
    // 32 pod-hours + 12 warm hours overnight, x 1.80
    assertThat(payable(shape, OptionKind.WARM_PODS)).isEqualTo(usd("79.20"));
    // 12 idle slot-hours x 0.54 = 6.48; 24 h on the slot + 8 h beyond it x 1.80 = 57.60
    assertThat(payable(shape, OptionKind.ALWAYS_ON)).isEqualTo(usd("64.08"));
    assertThat(shape.option(OptionKind.ALWAYS_ON).utilisation()).contains(new BigDecimal("66.7"));
    assertThat(shape.option(OptionKind.WINDOWED).reservations())
        .containsExactly(
            new ProposedReservation(
                1,
                List.of(
                    new ProposedReservation.Window(
                        "0 8 * * 1,2", Duration.ofHours(12), Duration.ZERO))));
    assertThat(payable(shape, OptionKind.WINDOWED)).isEqualTo(usd("57.60"));
    // 1 Ada card: 1027.70 / 30 = 34.26 a day x 2 days, plus 8 pod-hours x 1.80 beyond the pool
    assertThat(payable(shape, OptionKind.RESIDENT_POOL)).isEqualTo(usd("82.92"));
    assertThat(shape.cheapest().kind()).isEqualTo(OptionKind.WINDOWED);
    assertThat(shape.savingVsWarmPods()).isEqualTo(usd("21.60"));
  }

  @Test
  void example3PercentilesOfConcurrentDemandAreTimeWeighted() {
    // over 36 h: 0 pods for 12 h, 1 pod for 16 h, 2 pods for 8 h
    assertThat(plan(TWO_DAY_TIDE, new CoverageTarget.Percentile(new BigDecimal("33"))).level())
        .isZero();
    assertThat(plan(TWO_DAY_TIDE, new CoverageTarget.Percentile(new BigDecimal("50"))).level())
        .isEqualTo(1);
    assertThat(plan(TWO_DAY_TIDE, new CoverageTarget.Percentile(new BigDecimal("77.7"))).level())
        .isEqualTo(1);
    assertThat(plan(TWO_DAY_TIDE, new CoverageTarget.Percentile(new BigDecimal("77.8"))).level())
        .isEqualTo(2);
  }

  @Test
  void example4ABusyPodAllMonthIsCheapestOnAResidentPool() {
    ShapePlan shape =
        plan(
            List.of(l20("serving", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z")),
            new CoverageTarget.Peak());
    // 720 pod-hours x 1.80
    assertThat(payable(shape, OptionKind.WARM_PODS)).isEqualTo(usd("1296.00"));
    assertThat(payable(shape, OptionKind.ALWAYS_ON)).isEqualTo(usd("1296.00"));
    // 1 Ada card 1026 + 10 GB x 0.17 = 1027.70 for November: 34.26 a day (rounded up) x 30
    assertThat(payable(shape, OptionKind.RESIDENT_POOL)).isEqualTo(usd("1027.80"));
    // 1027.80 / 1296.00 of the pod time pay-as-you-go
    assertThat(shape.option(OptionKind.RESIDENT_POOL).breakEven()).contains(new BigDecimal("79.3"));
    assertThat(shape.option(OptionKind.ALWAYS_ON).breakEven()).contains(new BigDecimal("100.0"));
    assertThat(shape.cheapest().kind()).isEqualTo(OptionKind.RESIDENT_POOL);
    assertThat(shape.savingVsWarmPods()).isEqualTo(usd("268.20"));
    assertThat(shape.savingPercent()).contains(new BigDecimal("20.7"));
  }

  @Test
  void example5LendingHalfTheIdleSlotsOfTheTide() {
    ShapePlan shape = plan(TWO_DAY_TIDE, new CoverageTarget.Peak(), new BigDecimal("50"));
    // always-on 2 slots: 40 idle slot-hours, half lent = 20 slot-hours x 1.08 (60 % of 1.80)
    LendingEstimate alwaysOn = shape.option(OptionKind.ALWAYS_ON).lending().orElseThrow();
    assertThat(alwaysOn.idleSlotHours()).isEqualByComparingTo("40");
    assertThat(alwaysOn.lentSlotHours()).isEqualByComparingTo("20");
    assertThat(alwaysOn.lendingRate()).isEqualByComparingTo("1.08");
    assertThat(alwaysOn.earned()).isEqualByComparingTo("21.60");
    // the owner would not pay 20 x 0.54 of its 21.60 of idle slots
    assertThat(alwaysOn.ownerSaving()).isEqualByComparingTo("10.80");
    // the windows follow the tide: nothing idle, nothing to lend
    assertThat(shape.option(OptionKind.WINDOWED).lending().orElseThrow().earned()).isZero();
    // only reservations lend
    assertThat(shape.floor().lending()).isEmpty();
    assertThat(shape.option(OptionKind.WARM_PODS).lending()).isEmpty();
    assertThat(shape.option(OptionKind.RESIDENT_POOL).lending()).isEmpty();
  }

  @Test
  void example5LendingAThirdOfTheIdleSlotAtTargetOne() {
    ShapePlan shape = plan(TWO_DAY_TIDE, new CoverageTarget.Fixed(1), new BigDecimal("33.3"));
    // 12 idle slot-hours overnight x 33.3 % = 3.996 slot-hours; x 1.08 = 4.31568; x 0.54 = 2.15784
    LendingEstimate alwaysOn = shape.option(OptionKind.ALWAYS_ON).lending().orElseThrow();
    assertThat(alwaysOn.earned()).isEqualTo(new BigDecimal("4.315680"));
    assertThat(alwaysOn.ownerSaving()).isEqualTo(new BigDecimal("2.157840"));
  }

  @Test
  void lendingChangesNoFigureOfThePlan() {
    for (CoverageTarget target : List.of(new CoverageTarget.Peak(), new CoverageTarget.Fixed(1))) {
      ShapePlan off = plan(TWO_DAY_TIDE, target);
      ShapePlan on = plan(TWO_DAY_TIDE, target, new BigDecimal("100"));
      assertThat(off.floor().lending()).isEmpty();
      assertThat(off.options()).allSatisfy(o -> assertThat(o.lending()).isEmpty());
      assertThat(on.floor().bill()).isEqualTo(off.floor().bill());
      for (int i = 0; i < off.options().size(); i++) {
        Option before = off.options().get(i);
        Option after = on.options().get(i);
        assertThat(after.bill()).isEqualTo(before.bill());
        assertThat(after.utilisation()).isEqualTo(before.utilisation());
        assertThat(after.breakEven()).isEqualTo(before.breakEven());
        assertThat(after.reservations()).isEqualTo(before.reservations());
      }
      assertThat(on.cheapest().kind()).isEqualTo(off.cheapest().kind());
      assertThat(on.savingVsWarmPods()).isEqualTo(off.savingVsWarmPods());
    }
  }

  @Test
  void aCardTypeNoPoolSellsHasNoPoolOption() {
    ShapePlan shape =
        plan(
            List.of(
                PlanFixtures.run(
                    "batch", "A10", 2, "2026-11-02T00:00:00Z", "2026-11-02T01:00:00Z")),
            new CoverageTarget.Peak());
    Option pool = shape.option(OptionKind.RESIDENT_POOL);
    assertThat(pool.available()).isFalse();
    assertThat(pool.unavailable()).contains("no resident pool sells A10");
    // A10 x2: reservation 0.72, pay-as-you-go 2.40 per pod-hour
    assertThat(payable(shape, OptionKind.ALWAYS_ON)).isEqualTo(usd("2.40"));
  }
}
