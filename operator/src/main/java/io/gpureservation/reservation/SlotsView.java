package io.gpureservation.reservation;

import io.gpureservation.core.matching.Holding;
import java.util.List;

/**
 * A reservation's slots as the matcher holds them: the ledger, the idle slots, how many of those
 * are held on a node (a bound placeholder, or a hand-over in flight), how many are lent to a
 * borrower that runs on them (docs/lending.md), and why placeholders were refused (null when they
 * were not).
 */
record SlotsView(List<Holding> ledger, int idle, int held, int lent, String placeholdersRefused) {
  SlotsView {
    ledger = List.copyOf(ledger);
  }
}
