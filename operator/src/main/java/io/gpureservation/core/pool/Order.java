package io.gpureservation.core.pool;

/** A paid order against the pool: what was bought and for how many months (scale-outs: 0). */
public record Order(Kind kind, long months) {
  /** The kinds of order the lifecycle produces. */
  public enum Kind {
    Purchase,
    Renewal,
    /** A renewal of an expired pool: a new order whose term starts at the renewal. */
    Reactivation,
    AutoRenewal,
    ScaleOut
  }
}
