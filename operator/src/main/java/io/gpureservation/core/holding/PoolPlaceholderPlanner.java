package io.gpureservation.core.holding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides a resident pool's placeholders (docs/capacity-holding.md "Resident pools"): one per free
 * card. Cards of a pool are alike, so placeholders are counted, not matched to slots: when there
 * are more than free cards, the surplus goes — first on the nodes where admitted pods were pinned
 * and still wait for room, then those no node took, then those on the nodes holding the fewest (so
 * the held cards stay packed on few nodes); when there are fewer, new ones are made, bound directly
 * to the nodes that pods just left (their cards go back to the pool at once) and otherwise placed
 * by the scheduler; an altered placeholder goes and counts for nothing. A pod being handed cards
 * keeps its node's placeholders until the scheduler has seen it (docs/capacity-holding.md "Why
 * nothing else can take a hand-over's capacity"): they are its cards, not free ones, and nothing
 * else may take them. Pure and idempotent.
 */
public final class PoolPlaceholderPlanner {
  private PoolPlaceholderPlanner() {}

  /**
   * @param freeCards the pool's cards not taken by admitted pods (0 when the pool is not active)
   * @param existing the pool's placeholders, by slot number
   * @param awaitedRoom node → cards that pods pinned there, seen by the scheduler and not yet
   *     started need: their placeholders go first
   * @param promisedRoom node → cards promised to pods the scheduler has not seen yet: as many of
   *     the node's bound placeholders stay for them, neither free nor surplus
   * @param returnNodes one entry per card a pod just gave back: the node it ran on
   */
  public static PlaceholderPlan plan(
      int freeCards,
      Map<Integer, PlaceholderState> existing,
      Map<String, Integer> awaitedRoom,
      Map<String, Integer> promisedRoom,
      List<String> returnNodes) {
    Map<Integer, PlaceholderState> live = new TreeMap<>();
    Set<Integer> altered = new HashSet<>();
    Map<String, Integer> promised = new HashMap<>(promisedRoom);
    existing.forEach(
        (slot, state) -> {
          if (state.terminating()) {
            return;
          }
          if (state.altered()) {
            altered.add(slot); // goes, and a new one is made in its place
          } else {
            live.put(slot, state);
          }
        });
    // Lowest slots first, so the same placeholders stay for the promised pod at every pass.
    live.entrySet()
        .removeIf(
            e ->
                e.getValue().holds()
                    && promised.getOrDefault(e.getValue().node(), 0) > 0
                    && promised.merge(e.getValue().node(), -1, Integer::sum) >= 0);
    Set<Integer> delete = surplus(live, live.size() - freeCards, awaitedRoom);
    delete.addAll(altered);
    Map<Integer, String> create = new HashMap<>();
    Iterator<String> nodes = returnNodes.iterator();
    int slot = 0;
    for (int missing = freeCards - live.size(); missing > 0; missing--) {
      while (existing.containsKey(slot)) {
        slot++;
      }
      create.put(slot++, nodes.hasNext() ? nodes.next() : null);
    }
    int held = 0;
    for (Map.Entry<Integer, PlaceholderState> e : live.entrySet()) {
      if (e.getValue().holds() && !delete.contains(e.getKey())) {
        held++;
      }
    }
    return new PlaceholderPlan(create, delete, held, Math.max(freeCards, 0));
  }

  private static Set<Integer> surplus(
      Map<Integer, PlaceholderState> live, int count, Map<String, Integer> awaitedRoom) {
    Set<Integer> chosen = new LinkedHashSet<>();
    if (count <= 0) {
      return chosen;
    }
    List<Integer> highestFirst = new ArrayList<>(live.keySet());
    highestFirst.sort(Comparator.reverseOrder());
    Map<String, Integer> room = new HashMap<>(awaitedRoom);
    for (int slot : highestFirst) {
      String node = live.get(slot).node();
      if (chosen.size() < count && node != null && room.getOrDefault(node, 0) > 0) {
        chosen.add(slot);
        room.merge(node, -1, Integer::sum);
      }
    }
    for (int slot : highestFirst) {
      if (chosen.size() < count && live.get(slot).node() == null) {
        chosen.add(slot);
      }
    }
    Map<String, Integer> perNode = new HashMap<>();
    live.values().stream()
        .filter(s -> s.node() != null)
        .forEach(s -> perNode.merge(s.node(), 1, Integer::sum));
    List<Integer> sparsestFirst = new ArrayList<>(highestFirst);
    sparsestFirst.removeIf(s -> live.get(s).node() == null);
    sparsestFirst.sort(
        Comparator.comparing((Integer s) -> perNode.get(live.get(s).node()))
            .thenComparing(s -> live.get(s).node()));
    for (int slot : sparsestFirst) {
      if (chosen.size() < count) {
        chosen.add(slot);
      }
    }
    return new HashSet<>(chosen);
  }
}
