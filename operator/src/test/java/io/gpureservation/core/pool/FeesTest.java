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
}
