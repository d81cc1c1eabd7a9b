package io.gpureservation.pool;

import io.gpureservation.api.v1alpha1.PoolLoan;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.core.pool.CardLoan;
import java.time.Instant;
import java.util.List;

/**
 * A pool's loan lines ({@code status.loans}, docs/lending.md "Resident pools") to and from the
 * core's {@link CardLoan}: written before the borrower is handed its cards, read back after a
 * restart.
 */
final class PoolLoans {
  private PoolLoans() {}

  static List<CardLoan> loans(ResidentPoolStatus s) {
    if (s == null || s.getLoans() == null) {
      return List.of();
    }
    return s.getLoans().stream()
        .map(
            l ->
                new CardLoan(
                    l.getPodUid(),
                    l.getPod(),
                    l.getNamespace(),
                    l.getCards() == null ? 1 : l.getCards(),
                    Instant.parse(l.getSince()),
                    l.getNode(),
                    Boolean.TRUE.equals(l.getStarted()),
                    l.getReclaimedFor(),
                    l.getEvictedAt() == null ? null : Instant.parse(l.getEvictedAt())))
        .toList();
  }

  static PoolLoan line(CardLoan loan) {
    PoolLoan l = new PoolLoan();
    l.setNamespace(loan.namespace());
    l.setPod(loan.pod());
    l.setPodUid(loan.uid());
    l.setSince(loan.since().toString());
    l.setStarted(loan.started());
    l.setReclaimedFor(loan.reclaimedFor());
    l.setCards(loan.cards());
    l.setNode(loan.node());
    l.setEvictedAt(loan.evictedAt() == null ? null : loan.evictedAt().toString());
    return l;
  }
}
