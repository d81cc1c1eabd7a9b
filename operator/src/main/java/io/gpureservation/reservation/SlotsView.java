package io.gpureservation.reservation;

import io.gpureservation.core.matching.Holding;
import java.util.List;

/** A copy of one reservation's slots as the matcher holds them: held lines and the idle count. */
record SlotsView(List<Holding> ledger, int idle) {
  SlotsView {
    ledger = List.copyOf(ledger);
  }
}
