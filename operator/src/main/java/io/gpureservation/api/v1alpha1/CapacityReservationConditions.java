package io.gpureservation.api.v1alpha1;

/**
 * The condition types of a CapacityReservation and the reasons each one reports (its public
 * contract: `kubectl wait`, alerts and dashboards key on these strings).
 * docs/capacity-reservation.md "Status" explains each one.
 */
public final class CapacityReservationConditions {
  /** Whether the reservation offers its slots to pods. */
  public static final String READY = "Ready";

  /** Whether the catalog has the reservation's hourly rates, so that accrued cost is meaningful. */
  public static final String PRICE_KNOWN = "PriceKnown";

  /**
   * Whether every idle slot's capacity is held on a node by a bound placeholder
   * (docs/capacity-holding.md "Held or not"); an unheld idle slot costs nothing.
   */
  public static final String CAPACITY_HELD = "CapacityHeld";

  // Ready
  public static final String REASON_ACTIVE = "Active";
  public static final String REASON_EXPIRED = "Expired";
  public static final String REASON_UNKNOWN_CARD_SPEC = "UnknownCardSpec";
  public static final String REASON_INVALID_QUANTITY = "InvalidQuantity";
  public static final String REASON_INVALID_POD_SELECTOR = "InvalidPodSelector";

  /**
   * A spec the API server accepted that the operator still cannot compute with (the general guard
   * of docs/capacity-reservation.md, "A reservation the operator cannot read").
   */
  public static final String REASON_UNPROCESSABLE = "Unprocessable";

  /** A window the API server accepted but the operator cannot read (cron, zone, overlap). */
  public static final String REASON_INVALID_WINDOW = "InvalidWindow";

  /** Phase Pending before spec.startAt (docs/time-windows.md). */
  public static final String REASON_NOT_STARTED = "NotStarted";

  /** Phase Pending between windows (docs/time-windows.md). */
  public static final String REASON_WINDOW_CLOSED = "WindowClosed";

  // PriceKnown
  public static final String REASON_RATES_FOUND = "RatesFound";
  public static final String REASON_RATE_MISSING = "RateMissing";

  // CapacityHeld
  public static final String REASON_ALL_HELD = "AllHeld";
  public static final String REASON_INSUFFICIENT_CAPACITY = "InsufficientCapacity";
  public static final String REASON_PLACEHOLDER_REFUSED = "PlaceholderRefused";
  public static final String REASON_UNKNOWN_REGION = "UnknownRegion";

  private CapacityReservationConditions() {}
}
