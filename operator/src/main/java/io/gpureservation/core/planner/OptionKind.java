package io.gpureservation.core.planner;

/** The ways a plan prices a shape's demand (docs/planner.md, "Options"). */
public enum OptionKind {
  /** No guarantee: every pod pay-as-you-go when it runs. The floor, not an option. */
  PAY_AS_YOU_GO("pay-as-you-go", "pay-as-you-go, no guarantee"),
  /** The target number of pay-as-you-go pods kept running, serving demand as it comes. */
  WARM_PODS("warm-pods", "warm pay-as-you-go pods"),
  /** One reservation of the target quantity, live over the whole trace. */
  ALWAYS_ON("always-on", "always-on reservation"),
  /** Reservations live in proposed recurring windows fitted to the tide. */
  WINDOWED("windowed", "windowed reservations"),
  /** A resident pool of the target's cards, paid by the month, prorated by the day. */
  RESIDENT_POOL("resident-pool", "resident pool");

  private final String id;
  private final String label;

  OptionKind(String id, String label) {
    this.id = id;
    this.label = label;
  }

  /** Stable name for JSON and HTML ({@code warm-pods}). */
  public String id() {
    return id;
  }

  public String label() {
    return label;
  }
}
