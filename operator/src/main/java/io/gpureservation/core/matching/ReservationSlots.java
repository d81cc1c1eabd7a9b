package io.gpureservation.core.matching;

import java.util.Comparator;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** The slots of one reservation: which are held, by whom, and which are idle. */
final class ReservationSlots {
  /** FIFO by creation time, then name: the tie-break after "smallest spec first". */
  static final Comparator<ReservationSlots> FIFO =
      Comparator.comparing((ReservationSlots r) -> r.def.createdAt())
          .thenComparing(r -> r.def.name());

  ReservationDef def;
  final NavigableMap<Integer, Holding> held = new TreeMap<>();
  final NavigableSet<Integer> idle = new TreeSet<>();

  /** Idle slots promised to a pending pod in a hand-over, by slot: the pod's uid. */
  final NavigableMap<Integer, String> promised = new TreeMap<>();

  /** Idle held slots lent to a borrower of another namespace, by slot (docs/lending.md). */
  final NavigableMap<Integer, Loan> lent = new TreeMap<>();

  ReservationSlots(ReservationDef def) {
    this.def = def;
  }

  String name() {
    return def.name();
  }

  int slotCount() {
    return held.size() + idle.size() + promised.size() + lent.size();
  }

  /** Adds idle slots with the smallest indices that are not in use. */
  void addIdleSlots(int count) {
    int candidate = 0;
    while (count > 0) {
      if (!held.containsKey(candidate)
          && !idle.contains(candidate)
          && !promised.containsKey(candidate)
          && !lent.containsKey(candidate)) {
        idle.add(candidate);
        count--;
      }
      candidate++;
    }
  }

  /** The loan made last (ties: the higher slot index), not already being taken back. */
  Loan newestLoan(boolean includeReclaiming) {
    return lent.values().stream()
        .filter(l -> includeReclaiming || l.reclaimedFor() == null)
        .max(Comparator.comparing(Loan::since).thenComparing(Loan::slot))
        .orElse(null);
  }

  /** The held slot whose deduction is newest (ties: the higher slot index). */
  Holding newestHolding() {
    return held.values().stream()
        .max(Comparator.comparing(Holding::since).thenComparing(Holding::slot))
        .orElseThrow();
  }
}
