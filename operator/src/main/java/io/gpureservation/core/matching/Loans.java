package io.gpureservation.core.matching;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The matcher's index of loans (docs/lending.md): which slot each borrower has, and which loan each
 * owner's pod is taking back. The loans themselves live in their reservation's slots; this class
 * keeps the two indexes in step with them.
 */
final class Loans {
  private final Map<String, NamespaceMatcher.SlotRef> byBorrower = new HashMap<>();
  private final Map<String, NamespaceMatcher.SlotRef> byReclaimer = new HashMap<>();
  private final List<Loan> recalled = new ArrayList<>();

  static int count(ReservationSlots r, boolean started) {
    return (int) r.lent.values().stream().filter(l -> l.started() == started).count();
  }

  void put(ReservationSlots r, Loan loan) {
    Loan before = r.lent.put(loan.slot(), loan);
    if (before != null && before.reclaimedFor() != null) {
      byReclaimer.remove(before.reclaimedFor());
    }
    NamespaceMatcher.SlotRef ref = new NamespaceMatcher.SlotRef(r.name(), loan.slot());
    byBorrower.put(loan.borrowerUid(), ref);
    if (loan.reclaimedFor() != null) {
      byReclaimer.put(loan.reclaimedFor(), ref);
    }
  }

  void remove(ReservationSlots r, Loan loan) {
    r.lent.remove(loan.slot());
    byBorrower.remove(loan.borrowerUid());
    if (loan.reclaimedFor() != null) {
      byReclaimer.remove(loan.reclaimedFor());
    }
  }

  /** The reservation no longer has the slot: the loan ends and its borrower is to be evicted. */
  void recall(ReservationSlots r, Loan loan) {
    remove(r, loan);
    recalled.add(loan);
  }

  /** A recorded loan the matcher cannot keep (its slot is gone or taken): to be evicted. */
  void recallUnrecorded(Loan loan) {
    recalled.add(loan);
  }

  List<Loan> drainRecalled() {
    List<Loan> result = List.copyOf(recalled);
    recalled.clear();
    return result;
  }

  Optional<Loan> of(String borrowerUid, Map<String, ReservationSlots> reservations) {
    return lookup(byBorrower.get(borrowerUid), reservations);
  }

  Optional<Loan> reclaimedBy(String ownerPodUid, Map<String, ReservationSlots> reservations) {
    return lookup(byReclaimer.get(ownerPodUid), reservations);
  }

  boolean isReclaimer(String podUid) {
    return byReclaimer.containsKey(podUid);
  }

  /** The owner's pod is gone: the loan it was taking back is a plain loan again. */
  void forgetReclaimer(String ownerPodUid, Map<String, ReservationSlots> reservations) {
    NamespaceMatcher.SlotRef ref = byReclaimer.remove(ownerPodUid);
    ReservationSlots r = ref == null ? null : reservations.get(ref.reservation());
    Loan loan = r == null ? null : r.lent.get(ref.slot());
    if (loan != null) {
      r.lent.put(ref.slot(), loan.reclaimingFor(null));
    }
  }

  private static Optional<Loan> lookup(
      NamespaceMatcher.SlotRef ref, Map<String, ReservationSlots> reservations) {
    ReservationSlots r = ref == null ? null : reservations.get(ref.reservation());
    return Optional.ofNullable(r == null ? null : r.lent.get(ref.slot()));
  }
}
