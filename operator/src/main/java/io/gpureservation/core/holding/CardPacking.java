package io.gpureservation.core.holding;

import java.util.Map;
import java.util.Optional;

/**
 * Where a k-card pod of a resident pool goes among the pool's held cards (docs/capacity-holding.md
 * "Resident pools"): the k cards must be on one node. Best fit: the node with the fewest held cards
 * that still has k, so large pods keep finding whole nodes (ties: the node name). When the pool
 * holds k cards in all but no node has k, the pod waits with reason {@code PoolFragmented}.
 */
public final class CardPacking {
  private CardPacking() {}

  /** The outcome for one pod: a node, or why there is none. */
  public sealed interface Placement {
    /** k held cards on this node. */
    record OnNode(String node) implements Placement {}

    /** The pool holds fewer than k cards. */
    record NotEnoughHeld(int held) implements Placement {}

    /** The pool holds k cards or more, but spread so that no node has k. */
    record Fragmented(int held, int largestOnOneNode) implements Placement {}
  }

  /**
   * @param heldByNode held (bound, free) pool cards per node
   * @param cards the pod's card count
   */
  public static Placement place(Map<String, Integer> heldByNode, int cards) {
    if (cards <= 0) {
      throw new IllegalArgumentException("cards must be positive: " + cards);
    }
    Optional<String> best =
        heldByNode.entrySet().stream()
            .filter(e -> e.getValue() >= cards)
            .min(
                Map.Entry.<String, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey()))
            .map(Map.Entry::getKey);
    if (best.isPresent()) {
      return new Placement.OnNode(best.get());
    }
    int total = heldByNode.values().stream().mapToInt(Integer::intValue).sum();
    int largest = heldByNode.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    return total >= cards
        ? new Placement.Fragmented(total, largest)
        : new Placement.NotEnoughHeld(total);
  }
}
