package io.gpureservation.core.planner;

import static io.gpureservation.core.planner.PlanFixtures.l20;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpureservation.core.billing.HourlyUsage;
import io.gpureservation.core.billing.SavingsPlan;
import io.gpureservation.core.billing.SavingsPlanPricing;
import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The savings-plan view of the planner, worked examples of docs/planner.md ("Savings plans") with
 * the bundled catalog (L20 pay-as-you-go 1.80 per card-hour; plan types gpu-1y 20 %, gpu-3y 35 %).
 */
class SavingsPlanAdvisorTest {
  /** A steady pod Monday and Tuesday 2026-11-02/03 and a day-shift pod 08:00-20:00 each day. */
  static final List<PodRun> DAY_SHIFT =
      List.of(
          l20("serving", "2026-11-02T00:00:00Z", "2026-11-04T00:00:00Z"),
          l20("serving", "2026-11-02T08:00:00Z", "2026-11-02T20:00:00Z"),
          l20("serving", "2026-11-03T08:00:00Z", "2026-11-03T20:00:00Z"));

  private static final SavingsPlanTerms GPU_1Y =
      new SavingsPlanTerms("gpu-1y", new BigDecimal("0.20"), null, Set.of());
  private static final SavingsPlanTerms GPU_3Y =
      new SavingsPlanTerms("gpu-3y", new BigDecimal("0.35"), null, Set.of());

  private final SavingsPlanAdvisor advisor = new SavingsPlanAdvisor(Catalog.defaults());

  private static Plan plan(List<PodRun> runs) {
    return new Planner(Catalog.defaults(), PlanSettings.defaults()).plan(runs);
  }

  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount);
  }

  @Test
  void dayShift_gpu1y_bestCommitmentIs1_44AnHourSaving17_28() {
    Plan plan = plan(DAY_SHIFT);
    // windowed: 1 slot always, 1 slot 08:00-20:00; no idle slot: 72 pod-hours x 1.80 = 129.60
    assertThat(plan.shapes().get(0).cheapest().kind()).isEqualTo(OptionKind.WINDOWED);
    SavingsPlanAdvice advice = advisor.advise(plan, GPU_1Y, null);

    // 48 hours: 24 at 1.80 (D = 1.44), 24 at 3.60 (D = 2.88)
    assertThat(advice.hours()).hasSize(48);
    assertThat(advice.asked()).isEmpty();
    SavingsPlanPricing.Outcome best = advice.best();
    assertThat(best.plan().commitmentPerHour()).isEqualByComparingTo("1.44");
    assertThat(best.listTotal()).isEqualByComparingTo("129.60");
    // nights: 1.44 instead of 1.80; days: 1.44 + 1.44 / 0.80 = 3.24 instead of 3.60
    assertThat(best.total()).isEqualByComparingTo("112.32");
    assertThat(best.savings()).isEqualByComparingTo("17.28");
    assertThat(SavingsPlanAdvice.savingPercent(best)).contains(usd("13.3"));
  }

  @Test
  void dayShift_gpu1y_aCommitmentOf2_00Saves7_20() {
    SavingsPlanAdvice advice = advisor.advise(plan(DAY_SHIFT), GPU_1Y, usd("2.00"));

    // nights: 2.00 instead of 1.80 (-0.20 x 24); days: 2.00 + 0.88 / 0.80 = 3.10 (+0.50 x 24)
    SavingsPlanPricing.Outcome asked = advice.asked().orElseThrow();
    assertThat(asked.total()).isEqualByComparingTo("122.40");
    assertThat(asked.savings()).isEqualByComparingTo("7.20");
  }

  @Test
  void dayShift_gpu3y_bestCommitmentIs1_17AnHourSaving30_24() {
    SavingsPlanAdvice advice = advisor.advise(plan(DAY_SHIFT), GPU_3Y, null);

    // D = 1.17 at night, 2.34 by day; at 1.17 each hour saves 0.63
    assertThat(advice.best().plan().commitmentPerHour()).isEqualByComparingTo("1.17");
    assertThat(advice.best().savings()).isEqualByComparingTo("30.24");
  }

  @Test
  void twoDayTide_nightsWithoutUsageMakeEveryCommitmentCostMore() {
    Plan plan = plan(PlannerWorkedExamplesTest.TWO_DAY_TIDE);
    SavingsPlanAdvice advice = advisor.advise(plan, GPU_1Y, usd("1.00"));

    // 36 hours: 8 at 3.60, 16 at 1.80, 12 at 0; a commitment is due in all 36
    assertThat(advice.hours()).hasSize(36);
    assertThat(advice.best().plan().commitmentPerHour()).isEqualByComparingTo("0");
    assertThat(advice.best().savings()).isEqualByComparingTo("0");
    // 8 x (1.00 + 1.88 / 0.80) + 16 x (1.00 + 0.44 / 0.80) + 12 x 1.00 = 26.80 + 24.80 + 12.00
    assertThat(advice.asked().orElseThrow().total()).isEqualByComparingTo("63.60");
    assertThat(advice.asked().orElseThrow().savings()).isEqualByComparingTo("-6.00");
  }

  @Test
  void usageOfAnotherRegionOrCardTypeIsNotEligible() {
    Plan plan = plan(DAY_SHIFT); // usage region: the plan's --region, cn-hangzhou
    SavingsPlanTerms shanghai =
        new SavingsPlanTerms("custom", new BigDecimal("0.20"), "cn-shanghai", Set.of());
    SavingsPlanTerms a10 =
        new SavingsPlanTerms("custom", new BigDecimal("0.20"), null, Set.of("A10"));
    SavingsPlanTerms hangzhouL20 =
        new SavingsPlanTerms("custom", new BigDecimal("0.20"), "CN-HANGZHOU", Set.of("l20"));

    assertThat(advisor.advise(plan, shanghai, null).best().savings()).isEqualByComparingTo("0");
    assertThat(advisor.advise(plan, a10, null).best().savings()).isEqualByComparingTo("0");
    assertThat(advisor.advise(plan, hangzhouL20, null).best().savings())
        .isEqualByComparingTo("17.28");
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    Plan plan = plan(DAY_SHIFT);
    assertThatThrownBy(() -> advisor.advise(plan, GPU_1Y, usd("-1")))
        .hasMessageContaining("commitment");
    assertThatThrownBy(() -> new SavingsPlanTerms("x", usd("1.5"), null, Set.of()))
        .hasMessageContaining("discount");
    assertThatThrownBy(() -> new SavingsPlanTerms("x", usd("-0.1"), null, Set.of()))
        .hasMessageContaining("discount");
  }

  /**
   * The breakpoint search against brute force: on random hourly usage (cents) and discounts whose
   * plan-rate factor divides exactly, no commitment on a 0.01 grid up to the largest hour saves
   * more than the one found, and the one found saves what its brute-force price says.
   */
  @Test
  void bestCommitmentMatchesBruteForceOverACentGrid() {
    Random random = new Random(12);
    for (String discount : List.of("0.2", "0.5", "0.6", "0.35")) {
      for (int round = 0; round < 8; round++) {
        List<HourlyUsage> hours = new ArrayList<>();
        int max = 0;
        for (int h = 0; h < 24; h++) {
          int cents = random.nextInt(4) == 0 ? 0 : random.nextInt(800);
          max = Math.max(max, cents);
          hours.add(
              new HourlyUsage(
                  Instant.EPOCH.plusSeconds(3600L * h),
                  List.of(
                      new HourlyUsage.Charge(
                          "pods", "L20", "cn-hangzhou", BigDecimal.valueOf(cents, 2)))));
        }
        SavingsPlanTerms terms =
            new SavingsPlanTerms("t", new BigDecimal(discount), null, Set.of());
        BigDecimal best = SavingsPlanAdvisor.bestCommitment(terms, hours);
        BigDecimal bestSavings = savings(hours, terms, best);
        for (int c = 0; c <= max; c++) {
          BigDecimal commitment = BigDecimal.valueOf(c, 2);
          assertThat(savings(hours, terms, commitment))
              .as("discount %s commitment %s against %s", discount, commitment, best)
              .isLessThanOrEqualTo(bestSavings);
        }
      }
    }
  }

  private static BigDecimal savings(
      List<HourlyUsage> hours, SavingsPlanTerms terms, BigDecimal commitment) {
    SavingsPlan plan =
        new SavingsPlan(
            commitment,
            terms.discount(),
            hours.get(0).start(),
            hours.get(hours.size() - 1).start().plusSeconds(3600),
            null,
            Set.of());
    return SavingsPlanPricing.apply(hours, plan).savings();
  }
}
