package io.gpureservation.core.pool;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Prices of a pool, as the billing engine states them. The pool rules depend on this interface
 * only; {@link BillingPoolPricing} delegates to the billing engine and its catalog.
 */
public interface PoolPricing {
  /** Currency of every amount. */
  String currency();

  /** Subscription fee of {@code months} months of a pool of this size (cards and disk). */
  BigDecimal subscriptionFee(PoolSize size, int months);

  /** Daily price of {@code paid} for a term of {@code termDays} calendar days. */
  BigDecimal dailyPrice(BigDecimal paid, long termDays);

  /**
   * Refund on unsubscription after {@code usage}: paid minus consumed, the reference formula; never
   * negative.
   */
  BigDecimal refund(BigDecimal paid, BigDecimal dailyPrice, Duration usage);
}
