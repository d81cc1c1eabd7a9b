package io.gpureservation.core.matching;

import java.time.Instant;
import java.util.Objects;

/**
 * An idle held slot lent to a pod of another namespace (docs/lending.md, "Slot states").
 *
 * @param since when the loan was made, or, once the borrower started, when it started: a lent slot
 *     is billed to the borrower from then on
 * @param started whether the borrower runs on the slot (before that the slot is billed as idle, as
 *     a slot promised in a hand-over is)
 * @param reclaimedFor the uid of the owner's pod the slot is being taken back for, or null
 */
public record Loan(
    String reservation,
    int slot,
    String borrowerUid,
    String borrowerNamespace,
    String borrowerName,
    Instant since,
    boolean started,
    String reclaimedFor) {
  public Loan {
    Objects.requireNonNull(reservation, "reservation");
    Objects.requireNonNull(borrowerUid, "borrowerUid");
    Objects.requireNonNull(borrowerNamespace, "borrowerNamespace");
    Objects.requireNonNull(borrowerName, "borrowerName");
    Objects.requireNonNull(since, "since");
  }

  Loan startedAt(Instant at) {
    return new Loan(
        reservation, slot, borrowerUid, borrowerNamespace, borrowerName, at, true, reclaimedFor);
  }

  Loan reclaimingFor(String ownerPodUid) {
    return new Loan(
        reservation,
        slot,
        borrowerUid,
        borrowerNamespace,
        borrowerName,
        since,
        started,
        ownerPodUid);
  }
}
