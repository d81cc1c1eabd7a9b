package io.gpureservation.core.planner;

/** The ways a plan prices a shape's demand (docs/planner.md, "Options"). */
public enum OptionKind {
  /** No guarantee: every pod pay-as-you-go when it runs. The floor, not an option. */
  PAY_AS_YOU_GO("pay-as-you-go, no guarantee"),
  /** The target number of pay-as-you-go pods kept running, serving demand as it comes. */
  WARM_PODS("warm pay-as-you-go pods"),
  /** One reservation of the target quantity, live over the whole trace. */
  ALWAYS_ON("always-on reservation"),
  /** Reservations live in proposed recurring windows fitted to the tide. */
  WINDOWED("windowed reservations"),
  /** A resident pool of the target's cards, paid by the month, prorated by the day. */
  RESIDENT_POOL("resident pool");

  private final String label;

  OptionKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
