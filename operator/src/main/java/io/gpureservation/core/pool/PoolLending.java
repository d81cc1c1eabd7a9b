package io.gpureservation.core.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of a ResidentPool that lends (docs/lending.md, "Resident pools"), pure: which gated
 * borrowers are lent free held cards, and which loans a waiting pool pod takes back. A loan takes
 * cards of the pool as a ledger line does ({@link CardLoan#asAllocation()}), so admission, held
 * cards and placeholders count it without knowing about lending.
 */
public final class PoolLending {
  private PoolLending() {}

  /** Borrowers lent cards (each pinned to the node its cards are held on) and those declined. */
  public record Lent(
      List<Allocation> lent, java.util.Map<String, String> pins, List<PoolPod> declined) {}

  /**
   * Lends free held cards to borrowers, oldest first, each its k cards on one node (best fit, as a
   * pool pod). Nothing is lent while a pod of the pool waits (a borrower never takes a card a pool
   * pod is waiting for), nor without a held card (an unheld free card is nobody's to lend), nor to
   * a borrower of no card or one the series cannot run.
   *
   * @param held the pool's ledger and its loans, with the pods just admitted
   */
  public static Lent lend(
      PoolCapacity capacity,
      List<Allocation> held,
      List<PoolPod> borrowers,
      Optional<SeriesShape> series,
      HeldCards heldCards,
      boolean poolPodsWait,
      Instant now) {
    if (poolPodsWait || borrowers.isEmpty()) {
      return new Lent(List.of(), java.util.Map.of(), List.copyOf(borrowers));
    }
    List<PoolPod> withoutDisk = new ArrayList<>();
    for (PoolPod b : borrowers) {
      withoutDisk.add(
          new PoolPod(
              b.uid(),
              b.name(),
              CardLoan.BORROWED,
              b.createdAt(),
              new PoolCapacity(b.demand().cards(), 0),
              1,
              b.shape()));
    }
    Admission.Plan plan =
        Admission.plan(
            capacity,
            held,
            withoutDisk,
            new Admission.Rules(series, Duration.ofSeconds(Long.MAX_VALUE), heldCards),
            now);
    List<Allocation> lent =
        plan.admitted().stream()
            .filter(a -> a.demand().cards() > 0 && plan.pins().containsKey(a.uid()))
            .toList();
    Set<String> lentUids = new HashSet<>();
    lent.forEach(a -> lentUids.add(a.uid()));
    return new Lent(
        lent, plan.pins(), borrowers.stream().filter(b -> !lentUids.contains(b.uid())).toList());
  }

  /**
   * Marks the loans a waiting pool pod takes back: for the oldest waiting pod that the pool could
   * run without its loans, the newest loans not already being taken back, until the free cards and
   * those being taken back cover it. Loans already marked keep their mark; a borrower is never
   * moved to another card.
   *
   * @param ledger the pool's own ledger (without loans)
   * @param waiting the pool's pods waiting for capacity, oldest first
   */
  public static List<CardLoan> reclaim(
      PoolCapacity capacity,
      List<Allocation> ledger,
      List<CardLoan> loans,
      List<PoolPod> waiting,
      Instant now) {
    PoolCapacity withoutLoans = capacity.minus(Admission.used(ledger));
    long lentCards = loans.stream().mapToLong(CardLoan::cards).sum();
    long free = withoutLoans.cards() - lentCards;
    long coming = loans.stream().filter(CardLoan::beingReclaimed).mapToLong(CardLoan::cards).sum();
    Optional<PoolPod> first =
        waiting.stream()
            .filter(w -> w.demand().cards() > 0 && withoutLoans.fits(w.demand()))
            .findFirst();
    if (first.isEmpty()) {
      return loans;
    }
    long deficit = first.get().demand().cards() - free - coming;
    List<CardLoan> newestFirst = new ArrayList<>(loans);
    newestFirst.sort(CardLoan.NEWEST_FIRST);
    List<CardLoan> result = new ArrayList<>();
    for (CardLoan loan : newestFirst) {
      if (deficit > 0 && !loan.beingReclaimed()) {
        result.add(loan.reclaimedFor(first.get().uid(), now));
        deficit -= loan.cards();
      } else {
        result.add(loan);
      }
    }
    result.sort(CardLoan.NEWEST_FIRST.reversed());
    return List.copyOf(result);
  }
}
