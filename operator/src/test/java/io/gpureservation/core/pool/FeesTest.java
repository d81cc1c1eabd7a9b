package io.gpureservation.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * fc-resident-resource-pool.txt, "Billing" (China regions price table, disk USD 0.17/GB/month) and
 * "Refund calculation", through the billing engine's default catalog.
 */
class FeesTest {
  private static final PoolPricing PRICING = new BillingPoolPricing(Catalog.defaults());
  private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant APR_1 = Instant.parse("2026-04-01T00:00:00Z");
  // The reference's disk example: 6 Ada cards with 40 GB per card in Hangzhou.
  private static final PoolSize REFERENCE = new PoolSize("cn-hangzhou", "Ada", 6, 40);

  @Test
  void purchaseOfTheReferenceExamplePoolCostsCardsPlusDiskPerMonth() {
    // 6 x 1026 + 6 x 40 GB x 0.17 = 6156 + 40.80
    BigDecimal fee = Fees.of(List.of(new Order(Order.Kind.Purchase, 1)), REFERENCE, PRICING);

    assertThat(fee).isEqualByComparingTo("6196.80");
  }

  @Test
  void eachTermOrderIsPricedForItsMonths() {
    BigDecimal fee =
        Fees.of(
            List.of(new Order(Order.Kind.Purchase, 3), new Order(Order.Kind.Renewal, 1)),
            REFERENCE,
            PRICING);

    assertThat(fee).isEqualByComparingTo("24787.20");
  }

  @Test
  void scaleOutCostsTheMonthlyDifferencePerDayForTheStartedDaysLeft() {
    PoolSize eight = new PoolSize("cn-hangzhou", "Ada", 8, 40);

    // (8 - 6) x (1026 + 6.80) = 2065.60 a month; / 30 = 68.86 a day (rounded up); x 10 days
    BigDecimal fee =
        Fees.scaleOut(
            REFERENCE, eight, MAR_1, MAR_1.plus(Duration.ofDays(9).plusHours(1)), PRICING);

    assertThat(fee).isEqualByComparingTo("688.60");
  }

  /** Refund of {@code paid} for the March term, unsubscribed {@code used} after March 1. */
  private static BigDecimal refundAfter(String paid, Duration used) {
    return Fees.refund(new BigDecimal(paid), MAR_1, APR_1, MAR_1.plus(used), PRICING);
  }

  @Test
  void refundUnderThirtyDaysChargesUsageAtOnePointTwo() {
    // paid 6196.80 for 31 days: 199.90 a day; 10 days x 199.90 x 1.2 = 2398.80
    BigDecimal refund = refundAfter("6196.80", Duration.ofDays(10));

    assertThat(refund).isEqualByComparingTo("3798.00");
  }

  @Test
  void refundFromThirtyDaysChargesPlainUsage() {
    BigDecimal refund = refundAfter("6196.80", Duration.ofDays(30));

    // 6196.80 - 30 x 199.90
    assertThat(refund).isEqualByComparingTo("199.80");
  }

  @Test
  void refundIsNeverNegative() {
    BigDecimal refund = refundAfter("100", Duration.ofDays(36));

    assertThat(refund).isEqualByComparingTo("0");
  }

  @Test
  void aStartedDayCountsAsAWholeDay() {
    assertThat(Fees.wholeDays(MAR_1, MAR_1.plusSeconds(1))).isEqualTo(1);
    assertThat(Fees.wholeDays(MAR_1, MAR_1)).isZero();
    assertThat(Fees.wholeDays(MAR_1, MAR_1.minusSeconds(5))).isZero();
  }

  @Test
  void refundAfterAReactivationIsMeasuredAgainstTheOrderInForce() {
    // A 1-month Ada pool (1 card, 10 GB: 1027.70) activated Jan 1, expired Feb 1, renewed
    // (reactivated) Mar 1 for April's 30 days... here Apr 1 to May 1, unsubscribed 10 days later.
    PoolSize one = new PoolSize("cn-hangzhou", "Ada", 1, 10);
    BigDecimal purchase = Fees.of(List.of(new Order(Order.Kind.Purchase, 1)), one, PRICING);
    BigDecimal termPaid =
        Fees.inForce(purchase, List.of(new Order(Order.Kind.Reactivation, 1)), one, PRICING);
    assertThat(termPaid).isEqualByComparingTo("1027.70");

    Instant apr1 = Instant.parse("2026-04-01T00:00:00Z");
    Instant may1 = Instant.parse("2026-05-01T00:00:00Z");
    BigDecimal refund = Fees.refund(termPaid, apr1, may1, apr1.plus(Duration.ofDays(10)), PRICING);

    // 1027.70 / 30 days = 34.26 a day (rounded up); consumed 34.26 x 10 x 1.2 = 411.12
    assertThat(refund).isEqualByComparingTo("616.58");
  }

  @Test
  void renewalsOfALiveTermAddUpInTheOrderInForce() {
    PoolSize one = new PoolSize("cn-hangzhou", "Ada", 1, 10);
    BigDecimal termPaid =
        Fees.inForce(
            new BigDecimal("1027.70"), List.of(new Order(Order.Kind.Renewal, 1)), one, PRICING);

    assertThat(termPaid).isEqualByComparingTo("2055.40");
  }

  @Test
  void twentyNineDaysAndOneHourIsUnderThirtyDaysSoTheSurchargeApplies() {
    // 3 months from March 1 (92 days) paid 18590.40: 202.07 a day (rounded up). 29 days and 1
    // hour are 30 usage days (a started day counts) but under 30 days of use, so x 1.2:
    // consumed 202.07 x 30 x 1.2 = 7274.52. The threshold is the exact duration.
    Instant jun1 = Instant.parse("2026-06-01T00:00:00Z");
    BigDecimal paid = new BigDecimal("18590.40");
    Instant at = MAR_1.plus(Duration.ofDays(29).plusHours(1));

    assertThat(Fees.refund(paid, MAR_1, jun1, at, PRICING)).isEqualByComparingTo("11315.88");
    // from exactly 30 days on, no surcharge: 202.07 x 30 = 6062.10
    assertThat(Fees.refund(paid, MAR_1, jun1, MAR_1.plus(Duration.ofDays(30)), PRICING))
        .isEqualByComparingTo("12528.30");
  }
}
