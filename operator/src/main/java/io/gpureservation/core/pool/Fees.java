package io.gpureservation.core.pool;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Money for a pool's orders. A term (purchase, renewal, auto-renewal) costs the subscription fee of
 * the size in force for its months. A scale-out costs the difference of the two sizes' monthly fees
 * prorated per day over a 30-day month, for the started days left in the term. A refund is measured
 * against the order in force (docs/resident-pool.md, "Unsubscription"): what was paid since the
 * current term started (a reactivation starts a new one; earlier terms were consumed in full)
 * divided by the calendar days paid for is the daily price, applied to the days used since the term
 * started.
 */
public final class Fees {
  private static final long SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();
  private static final long PRORATION_DAYS = 30;

  private Fees() {}

  /** The price of term orders, at the pool size in force when they were placed. */
  public static BigDecimal of(List<Order> orders, PoolSize size, PoolPricing pricing) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Order o : orders) {
      if (o.months() > 0) {
        sum = sum.add(pricing.subscriptionFee(size, Math.toIntExact(o.months())));
      }
    }
    return sum;
  }

  /**
   * What was paid for the term in force after {@code orders}: {@code before} plus each order's
   * price, except that a reactivation starts the sum again (its term replaces the consumed one).
   */
  public static BigDecimal inForce(
      BigDecimal before, List<Order> orders, PoolSize size, PoolPricing pricing) {
    BigDecimal sum = before;
    for (Order o : orders) {
      BigDecimal fee = of(List.of(o), size, pricing);
      sum = o.kind() == Order.Kind.Reactivation ? fee : sum.add(fee);
    }
    return sum;
  }

  /**
   * The price of scaling out from {@code from} to {@code to} with the term ending at {@code end}.
   */
  public static BigDecimal scaleOut(
      PoolSize from, PoolSize to, Instant now, Instant end, PoolPricing pricing) {
    BigDecimal monthly = pricing.subscriptionFee(to, 1).subtract(pricing.subscriptionFee(from, 1));
    if (monthly.signum() <= 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal perDay = pricing.dailyPrice(monthly, PRORATION_DAYS);
    return perDay.multiply(BigDecimal.valueOf(wholeDays(now, end)));
  }

  /** The daily price of what was paid for the days from the term's start to its expiry. */
  public static BigDecimal dailyPrice(
      BigDecimal paid, Instant termStart, Instant expiresAt, PoolPricing pricing) {
    return pricing.dailyPrice(paid, Math.max(1, wholeDays(termStart, expiresAt)));
  }

  /**
   * The refund when unsubscribing at {@code now} from the term that started at {@code termStart}
   * and for which {@code paid} was paid.
   */
  public static BigDecimal refund(
      BigDecimal paid, Instant termStart, Instant expiresAt, Instant now, PoolPricing pricing) {
    BigDecimal daily = dailyPrice(paid, termStart, expiresAt, pricing);
    Duration used = Duration.between(termStart, now);
    return pricing.refund(paid, daily, used.isNegative() ? Duration.ZERO : used);
  }

  /** Days from {@code from} to {@code to}, a started day counting whole; at least 0. */
  public static long wholeDays(Instant from, Instant to) {
    long seconds = Math.max(0, Duration.between(from, to).toSeconds());
    return (seconds + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY;
  }
}
