package io.gpureservation.core.pool;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Money for a pool's orders. A term (purchase, renewal, auto-renewal) costs months x the monthly
 * fee of the size in force; a scale-out costs the difference of daily prices for the whole days
 * left in the term (rounded up).
 */
public final class Fees {
  private static final long SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();

  private Fees() {}

  /** The price of the orders of one step, at the pool size in force when they were placed. */
  public static BigDecimal of(List<Order> orders, PoolSize size, PoolPricing pricing) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Order o : orders) {
      sum = sum.add(pricing.monthlyFee(size).multiply(BigDecimal.valueOf(o.months())));
    }
    return sum;
  }

  /**
   * The price of scaling out from {@code from} to {@code to} with the term ending at {@code end}.
   */
  public static BigDecimal scaleOut(
      PoolSize from, PoolSize to, Instant now, Instant end, PoolPricing pricing) {
    BigDecimal perDay = pricing.dailyPrice(to).subtract(pricing.dailyPrice(from));
    return perDay.multiply(BigDecimal.valueOf(wholeDays(now, end))).max(BigDecimal.ZERO);
  }

  /** The refund when unsubscribing at {@code now}; never negative. */
  public static BigDecimal refund(
      BigDecimal paid, PoolSize size, Instant activatedAt, Instant now, PoolPricing pricing) {
    BigDecimal refund = pricing.refund(paid, pricing.dailyPrice(size), wholeDays(activatedAt, now));
    return refund.max(BigDecimal.ZERO).setScale(2, RoundingMode.HALF_UP);
  }

  /** Days from {@code from} to {@code to}, a started day counting whole; at least 0. */
  public static long wholeDays(Instant from, Instant to) {
    long seconds = Math.max(0, Duration.between(from, to).toSeconds());
    return (seconds + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY;
  }
}
