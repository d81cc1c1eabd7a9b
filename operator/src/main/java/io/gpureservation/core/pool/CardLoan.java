package io.gpureservation.core.pool;

import java.time.Instant;
import java.util.Comparator;

/**
 * A pool's free cards lent to a borrower of another namespace (docs/lending.md, "Resident pools"):
 * who borrows ({@code uid}, {@code pod}, {@code namespace}), how many cards on which node, since
 * when, whether it runs on them, and — while they are being taken back — the pool pod they are
 * taken back for and when the borrower was evicted.
 */
public record CardLoan(
    String uid,
    String pod,
    String namespace,
    int cards,
    Instant since,
    String node,
    boolean started,
    String reclaimedFor,
    Instant evictedAt) {
  /** The function name of a loan's line when the pool counts it among its ledger's cards. */
  public static final String BORROWED = "(borrowed)";

  /** The newest loan first (latest start; ties: the higher uid): the order of a reclaim. */
  public static final Comparator<CardLoan> NEWEST_FIRST =
      Comparator.comparing(CardLoan::since).thenComparing(CardLoan::uid).reversed();

  /** The loan as the cards it takes from the pool (no disk: a borrower uses none of the pool's). */
  public Allocation asAllocation() {
    return new Allocation(uid, pod, BORROWED, new PoolCapacity(cards, 0), 1, since);
  }

  public boolean beingReclaimed() {
    return reclaimedFor != null;
  }

  public CardLoan reclaimedFor(String ownerUid, Instant at) {
    return new CardLoan(uid, pod, namespace, cards, since, node, started, ownerUid, at);
  }

  public CardLoan withStarted(boolean running) {
    return new CardLoan(uid, pod, namespace, cards, since, node, running, reclaimedFor, evictedAt);
  }
}
