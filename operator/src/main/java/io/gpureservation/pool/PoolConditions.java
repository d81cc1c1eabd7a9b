package io.gpureservation.pool;

/**
 * The pool's condition types and reasons (set with {@link io.gpureservation.cluster.Conditions}).
 */
final class PoolConditions {
  /** True while the pool is Active (admits pods). */
  static final String READY = io.gpureservation.cluster.Conditions.READY;

  /** False while a spec change (scale-out, renewal) is refused; the reason says why. */
  static final String SPEC_APPLIED = "SpecApplied";

  /** False when the billing engine could not price the pool (unknown region or card series). */
  static final String FEES_COMPUTED = "FeesComputed";

  static final String REASON_APPLIED = "Applied";
  static final String REASON_PRICED = "Priced";
  static final String REASON_PRICE_UNAVAILABLE = "PriceUnavailable";

  private PoolConditions() {}
}
