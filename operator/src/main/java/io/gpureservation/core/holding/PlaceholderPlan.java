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

  /**
   * The same plan creating at most {@code max} placeholders, lowest slots first: a large new
   * reservation creates its placeholders over several reconciles, and the ledger writes between
   * them are not held up behind thousands of creations (docs/capacity-holding.md "Placeholders").
   */
  public PlaceholderPlan firstCreations(int max) {
    if (create.size() <= max) {
      return this;
    }
    Map<Integer, String> first = new java.util.LinkedHashMap<>();
    create.entrySet().stream().limit(max).forEach(e -> first.put(e.getKey(), e.getValue()));
    return new PlaceholderPlan(first, delete, held, wanted);
  }

  /** Whether applying the plan changes nothing. */
  public boolean isSteady() {
    return create.isEmpty() && delete.isEmpty();
  }
}
