package io.gpureservation.core.holding;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides a holder's placeholders from its idle slots (docs/capacity-holding.md "Placeholders"):
 * every idle slot of a live holder has exactly one placeholder pod, except a slot being handed over
 * to a pod: its placeholder stays until the scheduler has seen that pod, then goes, and is not made
 * again; a placeholder whose slot is no longer idle goes, and so does one that was altered (it is
 * made again once it is gone). Pure and idempotent: the same inputs give the same plan, and a plan
 * applied gives a steady one.
 */
public final class PlaceholderPlanner {
  private PlaceholderPlanner() {}

  /**
   * @param idleSlots the holder's idle slots (empty when it is not live: expired, deleted, outside
   *     a window)
   * @param handingOver idle slots promised to a pod in a hand-over in flight
   * @param seen of those, the slots whose pod the scheduler has seen (nominated to the
   *     placeholder's node): their placeholders go
   * @param existing the placeholders that exist, by slot
   * @param lastNodes for slots a pod has just left, the node it ran on
   */
  public static PlaceholderPlan plan(
      Set<Integer> idleSlots,
      Set<Integer> handingOver,
      Set<Integer> seen,
      Map<Integer, PlaceholderState> existing,
      Map<Integer, String> lastNodes) {
    Set<Integer> wanted = new HashSet<>(idleSlots);
    wanted.removeAll(handingOver);
    Map<Integer, String> create = new HashMap<>();
    int held = 0;
    for (int slot : wanted) {
      PlaceholderState state = existing.get(slot);
      if (state == null) {
        create.put(slot, lastNodes.get(slot));
      } else if (state.holds()) {
        held++;
      }
    }
    Set<Integer> delete = new HashSet<>();
    existing.forEach(
        (slot, state) -> {
          boolean kept =
              wanted.contains(slot) || (handingOver.contains(slot) && !seen.contains(slot));
          if ((!kept || state.altered()) && !state.terminating()) {
            delete.add(slot);
          }
        });
    int promised = (int) handingOver.stream().filter(idleSlots::contains).count();
    return new PlaceholderPlan(create, delete, held + promised, wanted.size() + promised);
  }
}
