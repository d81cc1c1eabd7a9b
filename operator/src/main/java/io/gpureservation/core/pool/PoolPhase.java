package io.gpureservation.core.pool;

/** Where a pool is in its life. */
public enum PoolPhase {
  /** Not yet purchased: the purchase waits while the namespace is overdue. */
  Pending,
  /** Within its paid term: admits pods. */
  Active,
  /** Term over and not renewed: shut down, no resident instances; may still be renewed. */
  Expired,
  /** 90 days after expiry: permanently released; nothing brings it back. */
  Released
}
