package io.gpureservation.core.pool;

/** Where an admitted pod's cards are handed over (docs/capacity-holding.md "Resident pools"). */
public sealed interface CardPlacement {
  /** k held cards on this node: the pod is pinned there and k of its placeholders go. */
  record Pinned(String node) implements CardPlacement {}

  /**
   * The pool holds fewer than k cards in all (its placeholders wait for nodes, or the pool holds
   * nothing): the pod is admitted unpinned, as a pool without holding would, and the scheduler
   * places it.
   */
  record Anywhere() implements CardPlacement {}

  /**
   * The pool holds k cards or more, but no node holds k of them: the pod waits with reason {@code
   * PoolFragmented} until a node has k.
   *
   * @param largest the most cards held on one node
   */
  record Fragmented(int largest) implements CardPlacement {}
}
