package io.gpureservation.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpureservation.core.billing.HourlyUsage.Charge;
import io.gpureservation.core.billing.SavingsPlanPricing.Outcome;
import io.gpureservation.core.billing.SavingsPlanPricing.PlanHour;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Savings plans (docs/billing.md, "Savings plans"): worked examples of our own — the reference only
 * says that reservations "support savings plans that match region and type attributes". List
 * amounts are the catalog's example L20/A10 rates (USD 1.80 / 1.20 per pod-hour, 0.54 per idle L20
 * slot-hour). Every rounding step is in the comments.
 */
class SavingsPlanPricingTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant YEAR_LATER = Instant.parse("2027-01-01T00:00:00Z");

  private static SavingsPlan plan(String commitment, String discount) {
    return plan(commitment, discount, T0, null, Set.of());
  }

  private static SavingsPlan plan(
      String commitment, String discount, Instant start, String region, Set<String> cardTypes) {
    return new SavingsPlan(
        new BigDecimal(commitment), new BigDecimal(discount), start, YEAR_LATER, region, cardTypes);
  }

  private static Charge l20Pod(String region) {
    return new Charge("L20 pod", "L20", region, new BigDecimal("1.80"));
  }

  private static HourlyUsage hour(int index, Charge... charges) {
    return new HourlyUsage(T0.plus(Duration.ofHours(index)), List.of(charges));
  }

  @Test
  void threePodsOverflowTheCommitment_overflowChargedAtList() {
    // 3 L20 pods = 5.40 list; plan rate 5.40 × 0.70 = 3.780 (exact); the commitment 3.00 covers
    // 3.00 of it; overflow 0.780 at plan rate = 0.780 / 0.70 = 1.1142857… → 1.114286 at list
    // (6 decimals HALF_UP); hour = 3.00 + 1.114286 = 4.114286 → payable USD 4.11.
    Outcome outcome =
        SavingsPlanPricing.apply(
            List.of(hour(0, l20Pod(null), l20Pod(null), l20Pod(null))), plan("3.00", "0.30"));

    PlanHour h = outcome.hours().get(0);
    assertThat(h.eligibleList()).isEqualByComparingTo("5.40");
    assertThat(h.eligiblePlanRate()).isEqualByComparingTo("3.780");
    assertThat(h.covered()).isEqualByComparingTo("3.00");
    assertThat(h.overflowList()).isEqualTo(new BigDecimal("1.114286"));
    assertThat(outcome.total()).isEqualByComparingTo("4.114286");
    assertThat(outcome.savings()).isEqualByComparingTo("1.285714");
    Bill bill = outcome.toBill("USD");
    assertThat(bill.charge("Savings plan commitment").amount()).isEqualByComparingTo("3.00");
    assertThat(bill.charge("Eligible usage beyond the commitment (list)").amount())
        .isEqualByComparingTo("1.114286");
    assertThat(bill.usageLine("Eligible usage, list to plan rate").amount())
        .isEqualByComparingTo("3.780");
    assertThat(bill.payable()).isEqualTo(new BigDecimal("4.11"));
  }

  @Test
  void oneIdleSlot_unusedCommitmentIsStillDue() {
    // 1 idle L20 slot = 0.54 list; plan rate 0.54 × 0.70 = 0.378, all covered; the commitment
    // 3.00 is due whole: hour = 3.00, unused 2.622; savings 0.54 − 3.00 = −2.46 (a loss).
    Outcome outcome =
        SavingsPlanPricing.apply(
            List.of(hour(0, new Charge("idle slot", "L20", null, new BigDecimal("0.54")))),
            plan("3.00", "0.30"));

    PlanHour h = outcome.hours().get(0);
    assertThat(h.covered()).isEqualByComparingTo("0.378");
    assertThat(h.unusedCommitment()).isEqualByComparingTo("2.622");
    assertThat(h.overflowList()).isEqualByComparingTo("0");
    assertThat(outcome.total()).isEqualByComparingTo("3.00");
    assertThat(outcome.savings()).isEqualByComparingTo("-2.46");
    assertThat(outcome.toBill("USD").notes())
        .contains("Covered by the commitment: 0.378; unused commitment (still due): 2.622");
  }

  @Test
  void anHourWithoutUsage_stillOwesTheCommitment() {
    Outcome outcome = SavingsPlanPricing.apply(List.of(hour(0)), plan("3.00", "0.30"));

    assertThat(outcome.total()).isEqualByComparingTo("3.00");
    assertThat(outcome.listTotal()).isEqualByComparingTo("0");
  }

  @Test
  void onlyMatchingCardTypeAndRegionAreEligible() {
    // Plan for L20 in cn-hangzhou, 1.00/hour at 20 % off. Eligible: the Hangzhou L20 pod (1.80,
    // plan rate 1.80 × 0.80 = 1.440); overflow 0.440 / 0.80 = 0.55 (exact) at list. Not eligible,
    // at list: the A10 pod 1.20, the Shanghai L20 pod 1.80, the L20 pod with no region 1.80.
    // Hour = 1.00 + 0.55 + 4.80 = 6.35; without the plan 6.60; savings 0.25.
    SavingsPlan plan = plan("1.00", "0.20", T0, "cn-hangzhou", Set.of("L20"));
    Outcome outcome =
        SavingsPlanPricing.apply(
            List.of(
                hour(
                    0,
                    l20Pod("CN-Hangzhou"),
                    new Charge("A10 pod", "a10", "cn-hangzhou", new BigDecimal("1.20")),
                    l20Pod("cn-shanghai"),
                    l20Pod(null))),
            plan);

    PlanHour h = outcome.hours().get(0);
    assertThat(h.eligibleList()).isEqualByComparingTo("1.80");
    assertThat(h.otherList()).isEqualByComparingTo("4.80");
    assertThat(h.overflowList()).isEqualByComparingTo("0.55");
    assertThat(outcome.total()).isEqualByComparingTo("6.35");
    assertThat(outcome.savings()).isEqualByComparingTo("0.25");
  }

  @Test
  void hoursOutsideTheTerm_areChargedAtListWithoutCommitment() {
    // Term starts at hour 1. Each hour: 2 L20 pods = 3.60 list. Hour 0: 3.60 at list. Hours 1
    // and 2: plan rate 3.60 × 0.75 = 2.70; overflow (2.70 − 2.00) / 0.75 = 0.9333… → 0.933333;
    // each 2.933333. Total 3.60 + 2 × 2.933333 = 9.466666 → payable 9.47. Rounding per hour shows
    // in the savings: 10.80 − 9.466666 = 1.333334 (not 1.333333…).
    SavingsPlan plan = plan("2.00", "0.25", T0.plus(Duration.ofHours(1)), null, Set.of());
    Outcome outcome =
        SavingsPlanPricing.apply(
            List.of(
                hour(0, l20Pod(null), l20Pod(null)),
                hour(1, l20Pod(null), l20Pod(null)),
                hour(2, l20Pod(null), l20Pod(null))),
            plan);

    assertThat(outcome.hours().get(0).inTerm()).isFalse();
    assertThat(outcome.hours().get(0).total()).isEqualByComparingTo("3.60");
    assertThat(outcome.hours().get(1).total()).isEqualByComparingTo("2.933333");
    assertThat(outcome.total()).isEqualByComparingTo("9.466666");
    assertThat(outcome.savings()).isEqualByComparingTo("1.333334");
    Bill bill = outcome.toBill("USD");
    assertThat(bill.charge("Savings plan commitment").quantity()).isEqualByComparingTo("2");
    assertThat(bill.charge("Usage the plan does not cover (list)").amount())
        .isEqualByComparingTo("3.60");
    assertThat(bill.payable()).isEqualTo(new BigDecimal("9.47"));
  }

  @Test
  void discountEdges_zeroIsAPrepaymentAtListAndOneMakesUsageFree() {
    Charge pods = new Charge("pods", "L20", null, new BigDecimal("5.40"));
    // discount 0: overflow (5.40 − 3.00) / 1 = 2.40 exactly; hour = 5.40, no saving.
    assertThat(SavingsPlanPricing.apply(List.of(hour(0, pods)), plan("3.00", "0")).total())
        .isEqualByComparingTo("5.40");
    // discount 1: plan rate 0, nothing overflows; the hour costs the commitment alone.
    assertThat(SavingsPlanPricing.apply(List.of(hour(0, pods)), plan("3.00", "1")).total())
        .isEqualByComparingTo("3.00");
  }

  @Test
  void badPlans_areRefusedNamingTheField() {
    assertThatThrownBy(() -> plan("-1", "0.3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commitmentPerHour must not be negative: -1");
    assertThatThrownBy(() -> plan("1", "1.5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("discount must be between 0 and 1: 1.5");
    assertThatThrownBy(() -> plan("1", "-0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("discount must not be negative: -0.1");
    assertThatThrownBy(
            () -> new SavingsPlan(BigDecimal.ONE, BigDecimal.ZERO, YEAR_LATER, T0, null, Set.of()))
        .hasMessageContaining("end must be after start");
  }
}
