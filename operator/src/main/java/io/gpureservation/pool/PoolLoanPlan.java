package io.gpureservation.pool;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.cluster.ObjectEvent;
import io.gpureservation.core.pool.Allocation;
import io.gpureservation.core.pool.CardLoan;
import io.gpureservation.core.pool.HeldCards;
import io.gpureservation.core.pool.PoolCapacity;
import io.gpureservation.core.pool.PoolLending;
import io.gpureservation.core.pool.PoolPod;
import io.gpureservation.core.pool.SeriesShape;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The lending half of one pool plan (docs/lending.md, "Resident pools"), no I/O: the loans read
 * back from the status and kept while their borrowers live, new loans for gated borrowers, the
 * newest loan taken back for a waiting pool pod (evicted with the grace period, deleted after it),
 * and the borrowers no pool lends to released. Every decision about cards is {@link PoolLending}'s.
 */
final class PoolLoanPlan {
  /** Reason of the Event on a borrower evicted because the pool takes its cards back. */
  static final String RECLAIMED = "BorrowedCardReclaimed";

  /** Reason of the Event on a borrower deleted because it outlived the grace period. */
  static final String DELETED = "BorrowerDeleted";

  /** Reason of the Event on the pool when it takes cards back. */
  static final String CARD_RECLAIMED = "CardReclaimed";

  /** Reason on a borrower no lending pool has a free held card for. */
  static final String NO_CARD_TO_LEND = "NoPoolCardToLend";

  /** Reason on a borrower evicted because its pool stopped (expired, released, pending). */
  static final String LENDER_INACTIVE = "LendingPoolInactive";

  private final ResidentPool pool;
  private final String key;
  private final Borrowers borrowers;
  private final Duration handOverTimeout;
  private final Instant now;
  private final Map<String, Pod> borrowerPods = new HashMap<>();
  private List<CardLoan> loans = new ArrayList<>();
  private final List<PodAction> actions = new ArrayList<>();
  private final List<ObjectEvent> events = new ArrayList<>();
  private Optional<Instant> nextCheck = Optional.empty();

  PoolLoanPlan(ResidentPool pool, Borrowers borrowers, Duration handOverTimeout, Instant now) {
    this.pool = pool;
    this.key = BorrowerClaims.key(pool);
    this.borrowers = borrowers;
    this.handOverTimeout = handOverTimeout;
    this.now = now;
    for (Pod p : borrowers.pods()) {
      borrowerPods.put(p.getMetadata().getUid(), p);
    }
  }

  /**
   * Reads the stored loans: a loan whose borrower lives stays (and is this pool's claim); one whose
   * borrower is gone or ended returns its cards, on the node the borrower left ({@code dropped}).
   */
  void read(
      Map<String, String> nodes,
      Map<String, Pod> live,
      Map<String, Pod> all,
      List<Allocation> dropped) {
    for (CardLoan loan : PoolLoans.loans(pool.getStatus())) {
      Pod p = borrowerPods.get(loan.uid());
      if (loan.node() != null) {
        nodes.put(loan.uid(), loan.node());
      }
      if (p == null || PoolPods.isTerminal(p)) {
        dropped.add(loan.asAllocation());
        if (p != null) {
          all.put(loan.uid(), p);
        }
        borrowers.claims().release(loan.uid(), key);
        continue;
      }
      borrowers.claims().claim(loan.uid(), key);
      loans.add(loan.withStarted(started(p)));
    }
  }

  /** The ledger with the loans' cards (admission, held cards and placeholders count them). */
  List<Allocation> withLoans(List<Allocation> ledger) {
    List<Allocation> all = new ArrayList<>(ledger);
    loans.forEach(l -> all.add(l.asAllocation()));
    return all;
  }

  /** The live pods of the pool with the borrowers of its loans. */
  Map<String, Pod> live(Map<String, Pod> live) {
    Map<String, Pod> all = new HashMap<>(live);
    loans.forEach(l -> all.put(l.uid(), borrowerPods.get(l.uid())));
    return all;
  }

  /**
   * Takes back the newest loans for the oldest waiting pool pod, then lends free held cards to
   * gated borrowers if no pool pod waits; the borrowers no pool lends to are released.
   */
  void lendAndReclaim(
      PoolCapacity capacity,
      List<Allocation> ledger,
      List<PoolPod> waiting,
      Optional<SeriesShape> series,
      HeldCards held,
      Map<String, String> nodes,
      List<NodeSelectorRequirement> poolNodes,
      Function<Pod, PoolPod> reader) {
    reclaim(capacity, ledger, waiting);
    if (!borrowers.terms().enabled()) {
      return;
    }
    List<PoolPod> gated = new ArrayList<>();
    for (Pod p : borrowerPods.values()) {
      if (Borrowers.isGated(p)
          && !PoolPods.isDeleting(p)
          && loans.stream().noneMatch(l -> l.uid().equals(p.getMetadata().getUid()))
          && borrowers.allowed(pool.getMetadata().getNamespace(), p)) {
        try {
          gated.add(reader.apply(p));
        } catch (RuntimeException unreadable) {
          decline(p); // requests that cannot be read: nothing to lend to
        }
      }
    }
    PoolLending.Lent lent =
        PoolLending.lend(capacity, withLoans(ledger), gated, series, held, !waiting.isEmpty(), now);
    for (Allocation a : lent.lent()) {
      Pod p = borrowerPods.get(a.uid());
      String node = lent.pins().get(a.uid());
      if (!borrowers.claims().claim(a.uid(), key)) {
        continue; // another pool lends to it
      }
      loans.add(
          new CardLoan(
              a.uid(),
              a.pod(),
              p.getMetadata().getNamespace(),
              (int) a.demand().cards(),
              now,
              node,
              false,
              null,
              null));
      nodes.put(a.uid(), node);
    }
    for (PoolPod declined : lent.declined()) {
      decline(borrowerPods.get(declined.uid()));
    }
    for (CardLoan loan : loans) {
      Pod p = borrowerPods.get(loan.uid());
      if (loan.beingReclaimed()) {
        continue;
      }
      if (!loan.started() && !now.isBefore(loan.since().plus(handOverTimeout))) {
        if (!PoolPods.isDeleting(p)) {
          actions.add(
              new PodAction.Evict(
                  p,
                  PoolPlanner.HAND_OVER_TIMED_OUT,
                  "borrower not started in time on the lent cards of node " + loan.node()));
        }
        continue;
      }
      if (!loan.started()) {
        sooner(loan.since().plus(handOverTimeout));
      }
      actions.add(new PodAction.Lend(p, loan.since(), loan.node(), poolNodes, key));
    }
  }

  // The pool pods waiting for cards take the newest loans back (PoolLending.reclaim); a borrower
  // being taken back is evicted once, then deleted when the grace period has passed.
  private void reclaim(PoolCapacity capacity, List<Allocation> ledger, List<PoolPod> waiting) {
    Duration grace =
        borrowers.terms().enabled() ? borrowers.terms().reclaimGracePeriod() : Duration.ZERO;
    List<CardLoan> marked = PoolLending.reclaim(capacity, ledger, loans, waiting, now);
    for (CardLoan loan : marked) {
      if (!loan.beingReclaimed()) {
        continue;
      }
      Pod p = borrowerPods.get(loan.uid());
      boolean fresh =
          loans.stream().anyMatch(l -> l.uid().equals(loan.uid()) && !l.beingReclaimed());
      String owner =
          waiting.stream()
              .filter(w -> w.uid().equals(loan.reclaimedFor()))
              .map(PoolPod::name)
              .findFirst()
              .orElse(loan.reclaimedFor());
      if (fresh) {
        String message =
            "the ResidentPool "
                + key
                + " needs its "
                + loan.cards()
                + " lent card(s) on node "
                + loan.node()
                + " back (pod "
                + owner
                + "): evicted with a grace period of "
                + grace.toSeconds()
                + " s";
        actions.add(new PodAction.Reclaim(p, grace, message));
        sooner(now.plus(grace).plusMillis(200)); // deleted then if still there
        events.add(
            ObjectEvent.normal(
                "reclaim-" + loan.uid(),
                CARD_RECLAIMED,
                loan.cards()
                    + " card(s) taken back from borrower "
                    + loan.namespace()
                    + "/"
                    + loan.pod()
                    + " for pod "
                    + owner
                    + " (grace period "
                    + grace.toSeconds()
                    + " s)"));
      } else {
        Instant deadline = loan.evictedAt().plus(grace);
        if (now.isBefore(deadline)) {
          sooner(deadline.plusMillis(200));
        } else {
          actions.add(
              new PodAction.DeleteBorrower(
                  p,
                  "still here "
                      + grace.toSeconds()
                      + " s after its eviction: deleted so that the ResidentPool "
                      + key
                      + " gets its card(s) back"));
          sooner(now.plusSeconds(2));
        }
      }
    }
    loans = new ArrayList<>(marked);
  }

  /** The pool is not active: it lends nothing, and its borrowers are evicted. */
  void recall(String phase) {
    for (CardLoan loan : loans) {
      Pod p = borrowerPods.get(loan.uid());
      if (!PoolPods.isDeleting(p)) {
        actions.add(
            new PodAction.Evict(
                p, LENDER_INACTIVE, "the lending ResidentPool " + key + " is " + phase));
      }
    }
  }

  private void decline(Pod p) {
    if (borrowers
        .claims()
        .declinedByAll(p.getMetadata().getUid(), key, borrowers.lenders().apply(p))) {
      actions.add(
          new PodAction.Release(
              p,
              NO_CARD_TO_LEND,
              "no ResidentPool that lends to this namespace has a free held card now: the pod runs"
                  + " as any pod of its namespace"));
    }
  }

  private void sooner(Instant at) {
    if (nextCheck.map(at::isBefore).orElse(true)) {
      nextCheck = Optional.of(at);
    }
  }

  List<PodAction> actions() {
    return actions;
  }

  List<ObjectEvent> events() {
    return events;
  }

  Optional<Instant> nextCheck(Optional<Instant> other) {
    if (other.isEmpty()) {
      return nextCheck;
    }
    return nextCheck.filter(t -> t.isBefore(other.get())).or(() -> other);
  }

  /** The loan lines and the lent count ({@code status.loans}, {@code status.lent}). */
  void writeTo(ResidentPoolStatus status) {
    List<CardLoan> ordered = new ArrayList<>(loans);
    ordered.sort(CardLoan.NEWEST_FIRST.reversed());
    status.setLoans(ordered.stream().map(PoolLoans::line).toList());
    status.setLent(loans.stream().filter(CardLoan::started).mapToInt(CardLoan::cards).sum());
  }

  private static boolean started(Pod p) {
    return p.getSpec() != null && p.getSpec().getNodeName() != null;
  }
}
