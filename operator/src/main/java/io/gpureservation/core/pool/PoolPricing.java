package io.gpureservation.core.pool;

import java.math.BigDecimal;

/**
 * Prices of a pool, as the billing engine states them. The operator's pool rules depend on this
 * interface only; the implementation delegates to the billing engine's catalog.
 */
public interface PoolPricing {
  /** Subscription fee for one month of a pool of this size (cards and disk). */
  BigDecimal monthlyFee(PoolSize size);

  /** Daily price of a pool of this size, the unit of the refund formula. */
  BigDecimal dailyPrice(PoolSize size);

  /** Refund on unsubscription: paid minus consumed, the reference formula. */
  BigDecimal refund(BigDecimal paid, BigDecimal dailyPrice, long usageDays);
}
