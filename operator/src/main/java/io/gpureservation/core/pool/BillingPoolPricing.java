package io.gpureservation.core.pool;

import io.gpureservation.core.billing.ResidentPoolPricing;
import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.time.Duration;

/** {@link PoolPricing} from the billing engine's {@link ResidentPoolPricing} and catalog. */
public final class BillingPoolPricing implements PoolPricing {
  private final Catalog catalog;
  private final ResidentPoolPricing pricing;

  public BillingPoolPricing(Catalog catalog) {
    this.catalog = catalog;
    this.pricing = new ResidentPoolPricing(catalog);
  }

  @Override
  public String currency() {
    return catalog.residentPool().currency();
  }

  @Override
  public BigDecimal subscriptionFee(PoolSize size, int months) {
    return pricing
        .subscriptionFee(size.region(), size.cardType(), size.cards(), size.diskPerCardGB(), months)
        .payable();
  }

  @Override
  public BigDecimal dailyPrice(BigDecimal paid, long termDays) {
    return ResidentPoolPricing.dailyPrice(paid, Math.max(1, termDays));
  }

  @Override
  public BigDecimal refund(BigDecimal paid, BigDecimal dailyPrice, Duration usage) {
    return pricing.refund(paid, dailyPrice, usage).payable();
  }
}
