package io.gpureservation.reservation;

import io.gpureservation.core.matching.NamespaceMatcher.SlotRef;

/**
 * What to do with a GPU pod that waits behind the capacity gate (docs/capacity-holding.md
 * "Hand-over").
 */
sealed interface HandOver {
  /**
   * It fits no held slot, or its priority could not protect a hand-over: lift the gate now; it runs
   * pay-as-you-go or is matched when it starts.
   */
  record Ungate() implements HandOver {}

  /**
   * It was promised a held slot on {@code node}: nominate it there, pin it there and lift the gate;
   * the slot's placeholder goes once the scheduler has seen the pod.
   */
  record Pin(SlotRef slot, String node) implements HandOver {}
}
