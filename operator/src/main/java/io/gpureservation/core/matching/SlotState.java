package io.gpureservation.core.matching;

/**
 * What one slot of a live reservation is doing, and so who pays for it (docs/lending.md, "Money"):
 * every slot is in exactly one state at every instant.
 */
public enum SlotState {
  /** Idle, offered to the owner's pods: the owner pays the reservation rate while it is held. */
  IDLE,
  /**
   * Promised to a pending pod in a hand-over, or to a borrower that has not started: billed as
   * idle.
   */
  PROMISED,
  /** Deducted by an owner's pod: that pod's pay-as-you-go rate. */
  ACTIVE,
  /** Lent to a borrower that runs on it: the borrower pays the lending rate, the owner nothing. */
  LENT
}
