package io.gpureservation.reservation;

import io.gpureservation.core.matching.NamespaceMatcher.SlotRef;

/**
 * What to do with a GPU pod that waits behind the capacity gate (docs/capacity-holding.md
 * "Hand-over").
 */
sealed interface HandOver {
  /**
   * It fits no held slot: lift the gate now; it runs pay-as-you-go or is matched when it starts.
   */
  record Ungate() implements HandOver {}

  /** It was promised a slot whose placeholder is still being removed: wait for that. */
  record Wait(SlotRef slot) implements HandOver {}

  /** The placeholder is gone: pin the pod to the node it held and lift the gate. */
  record Pin(SlotRef slot, String node) implements HandOver {}
}
