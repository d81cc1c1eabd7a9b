package io.gpureservation.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** fc-resident-resource-pool.txt, "Billing" and "Refund calculation". */
class FeesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final PoolSize POOL = new PoolSize("cn-hangzhou", "Ada", 2, 10);

  /** 100 per card-month, 30-day months, reference refund formula. */
  static final PoolPricing PRICING =
      new PoolPricing() {
        @Override
        public BigDecimal monthlyFee(PoolSize size) {
          return BigDecimal.valueOf(100L * size.cards());
        }

        @Override
        public BigDecimal dailyPrice(PoolSize size) {
          return monthlyFee(size).divide(BigDecimal.valueOf(30), 2, RoundingMode.HALF_UP);
        }

        @Override
        public BigDecimal refund(BigDecimal paid, BigDecimal daily, long days) {
          BigDecimal consumed = daily.multiply(BigDecimal.valueOf(days));
          if (days < 30) {
            consumed = consumed.multiply(new BigDecimal("1.2"));
          }
          return paid.subtract(consumed);
        }
      };

  @Test
  void termOrdersCostMonthsTimesTheMonthlyFee() {
    BigDecimal fee =
        Fees.of(
            List.of(new Order(Order.Kind.Purchase, 3), new Order(Order.Kind.Renewal, 1)),
            POOL,
            PRICING);

    assertThat(fee).isEqualByComparingTo("800");
  }

  @Test
  void scaleOutCostsTheDailyDifferenceForTheStartedDaysLeft() {
    PoolSize bigger = new PoolSize("cn-hangzhou", "Ada", 5, 10);

    BigDecimal fee =
        Fees.scaleOut(POOL, bigger, T0, T0.plus(Duration.ofDays(9).plusHours(1)), PRICING);

    // (16.67 - 6.67) per day x 10 started days
    assertThat(fee).isEqualByComparingTo("100.00");
  }

  @Test
  void refundUnderThirtyDaysChargesUsageAtOnePointTwo() {
    BigDecimal refund =
        Fees.refund(new BigDecimal("200"), POOL, T0, T0.plus(Duration.ofDays(10)), PRICING);

    // 200 - 6.67 x 10 x 1.2 = 119.96
    assertThat(refund).isEqualByComparingTo("119.96");
  }

  @Test
  void refundFromThirtyDaysChargesPlainUsage() {
    BigDecimal refund =
        Fees.refund(new BigDecimal("600"), POOL, T0, T0.plus(Duration.ofDays(30)), PRICING);

    assertThat(refund).isEqualByComparingTo("399.90");
  }

  @Test
  void refundIsNeverNegative() {
    BigDecimal refund =
        Fees.refund(new BigDecimal("10"), POOL, T0, T0.plus(Duration.ofDays(29)), PRICING);

    assertThat(refund).isEqualByComparingTo("0");
  }

  @Test
  void aStartedDayCountsAsAWholeDay() {
    assertThat(Fees.wholeDays(T0, T0.plusSeconds(1))).isEqualTo(1);
    assertThat(Fees.wholeDays(T0, T0)).isZero();
    assertThat(Fees.wholeDays(T0, T0.minusSeconds(5))).isZero();
  }
}
