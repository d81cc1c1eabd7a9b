package io.gpureservation.core.holding;

import java.util.Map;
import java.util.Set;

/**
 * What to do with one holder's placeholders (docs/capacity-holding.md "Placeholders").
 *
 * @param create slot → the node to bind the new placeholder to directly (the node a pod that held
 *     the slot just left), or null to let the scheduler place it
 * @param delete slots whose placeholder must go (the slot is no longer idle, or no longer exists)
 * @param held idle slots whose capacity is held: a bound placeholder, or a hand-over in flight
 * @param wanted idle slots that should be held
 */
public record PlaceholderPlan(
    Map<Integer, String> create, Set<Integer> delete, int held, int wanted) {
  public PlaceholderPlan {
    create = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(create));
    delete = Set.copyOf(delete);
  }

  /** Whether every idle slot is held. */
  public boolean allHeld() {
    return held == wanted;
  }

  /** The same plan without creations (the holder's shape is unknown: nothing can be made). */
  public PlaceholderPlan withoutCreations() {
    return new PlaceholderPlan(Map.of(), delete, held, wanted);
  }

  /** Whether applying the plan changes nothing. */
  public boolean isSteady() {
    return create.isEmpty() && delete.isEmpty();
  }
}
