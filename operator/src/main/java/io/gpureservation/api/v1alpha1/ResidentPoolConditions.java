package io.gpureservation.api.v1alpha1;

/**
 * The condition types of a ResidentPool and the reasons they report (docs/resident-pool.md). The
 * reasons of a refused spec change come from the pool rules (core.pool) and are listed there.
 */
public final class ResidentPoolConditions {
  /** True while the pool is Active (admits pods). */
  public static final String READY = "Ready";

  /** False while a spec change (scale-out, renewal) is refused; the reason says why. */
  public static final String SPEC_APPLIED = "SpecApplied";

  /** False when the billing engine could not price the pool (unknown region or card series). */
  public static final String FEES_COMPUTED = "FeesComputed";

  /**
   * True when every free card is held by a bound placeholder (docs/capacity-holding.md "Resident
   * pools"); the reasons are those of a reservation's {@code CapacityHeld}.
   */
  public static final String CAPACITY_HELD = CapacityReservationConditions.CAPACITY_HELD;

  public static final String REASON_APPLIED = "Applied";

  /** A pool the API server accepted that the operator still cannot compute with. */
  public static final String REASON_UNPROCESSABLE = "Unprocessable";

  public static final String REASON_PRICED = "Priced";
  public static final String REASON_PRICE_UNAVAILABLE = "PriceUnavailable";

  private ResidentPoolConditions() {}
}
