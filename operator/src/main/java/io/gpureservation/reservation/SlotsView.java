package io.gpureservation.reservation;

import io.gpureservation.core.matching.Holding;
import io.gpureservation.core.matching.Loan;
import java.util.List;

/**
 * A reservation's slots as the matcher holds them: the ledger, the idle slots, how many of those
 * are held on a node (a bound placeholder, or a hand-over in flight), how many are lent to a
 * borrower that runs on them and the loans themselves (docs/lending.md), and why placeholders were
 * refused (null when they were not).
 */
record SlotsView(
    List<Holding> ledger,
    int idle,
    int held,
    int lent,
    String placeholdersRefused,
    List<Loan> loans) {
  SlotsView {
    ledger = List.copyOf(ledger);
    loans = List.copyOf(loans);
  }

  /** A reservation that lends nothing. */
  SlotsView(List<Holding> ledger, int idle, int held, int lent, String placeholdersRefused) {
    this(ledger, idle, held, lent, placeholdersRefused, List.of());
  }
}
