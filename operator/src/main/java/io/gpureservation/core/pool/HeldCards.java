package io.gpureservation.core.pool;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The free cards a pool holds with bound placeholders, counted by node, and where a k-card pod is
 * handed k of them (docs/capacity-holding.md "Resident pools"). A pod's cards must be on one node,
 * so the choice is <b>best fit</b>: the node with the fewest held cards that still has k (ties by
 * node name), which keeps the largest blocks whole for larger pods. Handing cards over takes them
 * from the count, so one admission pass never hands the same card twice.
 */
public final class HeldCards {
  private final TreeMap<String, Integer> byNode;
  private final boolean tracked;

  private HeldCards(Map<String, Integer> byNode, boolean tracked) {
    this.byNode = new TreeMap<>();
    byNode.forEach(
        (node, cards) -> {
          if (cards > 0) {
            this.byNode.put(node, cards);
          }
        });
    this.tracked = tracked;
  }

  /** Held cards by node (bound placeholders of the pool that are not being deleted). */
  public static HeldCards of(Map<String, Integer> byNode) {
    return new HeldCards(byNode, true);
  }

  /** No holding (no placeholders can be made for the pool): every pod is placed anywhere. */
  public static HeldCards untracked() {
    return new HeldCards(Map.of(), false);
  }

  /** A copy to take cards from, leaving this one as it is. */
  public HeldCards copy() {
    return new HeldCards(byNode, tracked);
  }

  public int total() {
    return byNode.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The node with the fewest held cards that still has {@code cards}; ties by name. */
  public Optional<String> bestFit(long cards) {
    String best = null;
    for (Map.Entry<String, Integer> e : byNode.entrySet()) {
      if (e.getValue() >= cards && (best == null || e.getValue() < byNode.get(best))) {
        best = e.getKey();
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Where a pod of {@code cards} cards is handed its cards; a pinned pod takes them from the count.
   * A pod of no card needs no held card and goes anywhere.
   */
  public CardPlacement take(long cards) {
    if (!tracked || cards <= 0) {
      return new CardPlacement.Anywhere();
    }
    Optional<String> node = bestFit(cards);
    if (node.isPresent()) {
      byNode.merge(node.get(), (int) -cards, Integer::sum);
      if (byNode.get(node.get()) == 0) {
        byNode.remove(node.get());
      }
      return new CardPlacement.Pinned(node.get());
    }
    if (total() >= cards) {
      return new CardPlacement.Fragmented(
          byNode.values().stream().mapToInt(Integer::intValue).max().orElse(0));
    }
    return new CardPlacement.Anywhere();
  }

  /** Held cards by node, sorted by node. */
  public Map<String, Integer> byNode() {
    return Map.copyOf(byNode);
  }
}
