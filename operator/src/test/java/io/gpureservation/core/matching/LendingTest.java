package io.gpureservation.core.matching;

import static io.gpureservation.core.matching.MatchingFixtures.T0;
import static io.gpureservation.core.matching.MatchingFixtures.at;
import static io.gpureservation.core.matching.MatchingFixtures.pod;
import static io.gpureservation.core.matching.MatchingFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/lending.md "Who gets a slot" and "Reclaim": borrowers get only idle held slots no owner's
 * pod waits for, never displace each other, and the most recent one gives its slot back when an
 * owner's pod finds no idle slot.
 */
class LendingTest {
  private static final String BATCH = "team-batch";
  private final NamespaceMatcher matcher = new NamespaceMatcher();

  private Loan lend(String borrower, int minute) {
    return matcher
        .lend("r", BATCH, pod(borrower).pending().build(), (r, s) -> true, at(minute))
        .orElseThrow();
  }

  @Test
  void aBorrowerGetsAnIdleHeldSlotWhichIsLentOnceItStarts() {
    matcher.upsertReservation(reservation("r").quantity(2).build(), T0);

    Loan loan = lend("batch", 1);
    assertThat(loan.slot()).isEqualTo(1); // the lowest slots stay for the owner
    assertThat(matcher.slotStates("r")).isEqualTo(Map.of(0, SlotState.IDLE, 1, SlotState.PROMISED));
    assertThat(matcher.idleSlots("r")).isEqualTo(2); // billed as idle until the borrower runs

    matcher.borrowerStarted("uid-batch", at(2));
    assertThat(matcher.slotStates("r")).isEqualTo(Map.of(0, SlotState.IDLE, 1, SlotState.LENT));
    assertThat(matcher.idleSlots("r")).isEqualTo(1);
    assertThat(matcher.lentSlots("r")).isEqualTo(1);
    assertThat(matcher.loanOf("uid-batch").orElseThrow().since()).isEqualTo(at(2));
  }

  @Test
  void onlyHeldSlotsAreLent() {
    matcher.upsertReservation(reservation("r").quantity(2).build(), T0);
    assertThat(matcher.lend("r", BATCH, pod("b").pending().build(), (r, s) -> false, at(1)))
        .isEmpty();
    assertThat(matcher.lend("r", BATCH, pod("b").pending().build(), (r, s) -> s == 0, at(1)))
        .map(Loan::slot)
        .contains(0);
  }

  @Test
  void aSlotAnOwnersPodWaitsForIsNotLent() {
    matcher.upsertReservation(reservation("r").quantity(1).build(), T0);
    matcher.upsertPod(pod("owner").pending().build(), at(1));

    assertThat(matcher.lend("r", BATCH, pod("b").pending().build(), (r, s) -> true, at(2)))
        .isEmpty();
  }

  @Test
  void aBorrowerNeverDisplacesAnother() {
    matcher.upsertReservation(reservation("r").quantity(1).build(), T0);
    Loan first = lend("a", 1);

    assertThat(matcher.lend("r", BATCH, pod("b").pending().build(), (r, s) -> true, at(2)))
        .isEmpty();
    assertThat(matcher.loans("r")).containsExactly(first);
  }

  @Test
  void aBorrowerMustFitTheSlotShape() {
    matcher.upsertReservation(reservation("r").spec(1, 16, 128).quantity(1).build(), T0);
    assertThat(
            matcher.lend(
                "r", BATCH, pod("big").spec(1, 32, 8).pending().build(), (r, s) -> true, T0))
        .isEmpty();
    assertThat(
            matcher.lend(
                "r", BATCH, pod("a10").cardType("A10").pending().build(), (r, s) -> true, T0))
        .isEmpty();
    assertThat(
            matcher.lend(
                "r", BATCH, pod("two").spec(2, 8, 8).pending().build(), (r, s) -> true, T0))
        .isEmpty();
    assertThat(
            matcher.lend("r", BATCH, pod("be").bestEffort().pending().build(), (r, s) -> true, T0))
        .isEmpty();
  }

  @Test
  void askingTwiceGivesTheSameLoan() {
    matcher.upsertReservation(reservation("r").quantity(3).build(), T0);
    Loan loan = lend("b", 1);
    assertThat(lend("b", 2)).isEqualTo(loan);
    assertThat(matcher.loans("r")).hasSize(1);
  }

  @Test
  void anOwnersPodThatStartsNeverTakesALentSlot() {
    matcher.upsertReservation(reservation("r").quantity(1).build(), T0);
    lend("b", 1);
    matcher.borrowerStarted("uid-b", at(1));

    matcher.upsertPod(pod("owner").build(), at(2));
    assertThat(matcher.billingOf("uid-owner")).isInstanceOf(PodBilling.PayAsYouGo.class);
    assertThat(matcher.slotStates("r")).isEqualTo(Map.of(0, SlotState.LENT));
  }

  @Test
  void theMostRecentBorrowerGivesItsSlotBackToAnOwnersPod() {
    matcher.upsertReservation(reservation("r").quantity(2).build(), T0);
    lend("early", 1);
    matcher.borrowerStarted("uid-early", at(1));
    lend("late", 2);
    matcher.borrowerStarted("uid-late", at(2));
    PodDef owner = pod("owner").pending().build();
    matcher.upsertPod(owner, at(3));
    assertThat(matcher.promise(owner, (r, s) -> true)).isEmpty();

    Loan reclaimed = matcher.reclaimFor(owner).orElseThrow();
    assertThat(reclaimed.borrowerUid()).isEqualTo("uid-late");
    assertThat(reclaimed.reclaimedFor()).isEqualTo("uid-owner");
    assertThat(matcher.reclaimFor(owner)).contains(reclaimed); // idempotent
    // Still lent (and billed to the borrower) until the borrower is gone.
    assertThat(matcher.lentSlots("r")).isEqualTo(2);

    matcher.endLoan("uid-late", at(4));
    assertThat(matcher.promiseOf("uid-owner"))
        .contains(new NamespaceMatcher.SlotRef("r", reclaimed.slot()));
    assertThat(matcher.slotStates("r").get(reclaimed.slot())).isEqualTo(SlotState.PROMISED);

    matcher.upsertPod(pod("owner").build(), at(5));
    assertThat(matcher.billingOf("uid-owner"))
        .isEqualTo(new PodBilling.Reserved("r", reclaimed.slot(), at(5)));
    assertThat(matcher.slotStates("r"))
        .containsEntry(reclaimed.slot(), SlotState.ACTIVE)
        .containsValue(SlotState.LENT);
  }

  @Test
  void aSecondOwnersPodTakesBackTheNextLoan() {
    matcher.upsertReservation(reservation("r").quantity(2).build(), T0);
    lend("early", 1);
    lend("late", 2);
    PodDef first = pod("o1").pending().build();
    PodDef second = pod("o2").pending().build();
    matcher.upsertPod(first, at(3));
    matcher.upsertPod(second, at(3));

    assertThat(matcher.reclaimFor(first).map(Loan::borrowerUid)).contains("uid-late");
    assertThat(matcher.reclaimFor(second).map(Loan::borrowerUid)).contains("uid-early");
    assertThat(matcher.reclaimFor(pod("o3").pending().build())).isEmpty();
  }

  @Test
  void nothingIsTakenBackWhileAnIdleSlotAdmitsThePod() {
    matcher.upsertReservation(reservation("r").quantity(2).build(), T0);
    lend("b", 1);
    // Slot 0 is idle but not held (its placeholder waits for a node): the pod will deduct it
    // when it starts, so no borrower is evicted for it.
    assertThat(matcher.reclaimFor(pod("owner").pending().build())).isEmpty();
  }

  @Test
  void aBorrowerThatLeavesGivesTheSlotToAWaitingOwnersPodFirst() {
    matcher.upsertReservation(reservation("r").quantity(1).build(), T0);
    lend("b", 1);
    matcher.borrowerStarted("uid-b", at(1));
    matcher.upsertPod(pod("owner").build(), at(2)); // started, pay-as-you-go: no idle slot

    matcher.endLoan("uid-b", at(3));
    assertThat(matcher.billingOf("uid-owner")).isEqualTo(new PodBilling.Reserved("r", 0, at(3)));
    assertThat(matcher.loans("r")).isEmpty();
  }

  @Test
  void anOwnersPodThatGoesAwayLeavesThePlainLoan() {
    matcher.upsertReservation(reservation("r").quantity(1).build(), T0);
    lend("b", 1);
    PodDef owner = pod("owner").pending().build();
    matcher.upsertPod(owner, at(2));
    matcher.reclaimFor(owner).orElseThrow();

    matcher.removePod("uid-owner", at(3));
    assertThat(matcher.loanOf("uid-b").orElseThrow().reclaimedFor()).isNull();
    matcher.endLoan("uid-b", at(4));
    assertThat(matcher.slotStates("r")).isEqualTo(Map.of(0, SlotState.IDLE));
  }

  @Test
  void scaleDownDropsIdleSlotsFirstThenRecallsTheNewestLoans() {
    matcher.upsertReservation(reservation("r").quantity(3).build(), T0);
    matcher.lend("r", BATCH, pod("a").pending().build(), (r, s) -> s != 0, at(1));
    matcher.lend("r", BATCH, pod("b").pending().build(), (r, s) -> s != 0, at(2));

    matcher.upsertReservation(reservation("r").quantity(1).build(), at(3));
    assertThat(matcher.drainRecalledLoans()).extracting(Loan::borrowerUid).containsExactly("uid-b");
    assertThat(matcher.loans("r")).extracting(Loan::borrowerUid).containsExactly("uid-a");
    assertThat(matcher.slotStates("r")).hasSize(1);
    assertThat(matcher.drainRecalledLoans()).isEmpty();
  }

  @Test
  void anExpiredReservationRecallsEveryLoan() {
    matcher.upsertReservation(reservation("r").quantity(2).build(), T0);
    lend("a", 1);
    lend("b", 2);

    matcher.upsertReservation(reservation("r").quantity(2).inactive().build(), at(3));
    assertThat(matcher.drainRecalledLoans())
        .extracting(Loan::borrowerUid)
        .containsExactlyInAnyOrder("uid-a", "uid-b");
    assertThat(matcher.slotStates("r")).isEmpty();
  }

  /** docs/lending.md "Restart": loans come back before pay-as-you-go pods are matched. */
  @Test
  void aRestartKeepsRecordedLoansOnIdleSlotsAndRecallsTheRest() {
    ReservationDef r = reservation("r").quantity(2).build();
    Loan kept = new Loan("r", 1, "uid-b", BATCH, "b", at(1), true, "uid-gone");
    Loan taken = new Loan("r", 0, "uid-c", BATCH, "c", at(1), true, null);
    Loan beyond = new Loan("r", 5, "uid-d", BATCH, "d", at(1), true, null);
    PodDef holder = pod("holder").build();
    PodDef waiting = pod("waiting").build(); // started pay-as-you-go: must not take slot 1

    matcher.restore(
        List.of(r),
        List.of(new Holding("r", 0, holder.uid(), "holder", at(0))),
        List.of(kept, taken, beyond),
        List.of(holder, waiting),
        Map.of(),
        at(2));

    assertThat(matcher.loans("r"))
        .containsExactly(new Loan("r", 1, "uid-b", BATCH, "b", at(1), true, null));
    assertThat(matcher.drainRecalledLoans()).containsExactly(taken, beyond);
    assertThat(matcher.billingOf(waiting.uid())).isInstanceOf(PodBilling.PayAsYouGo.class);
    assertThat(matcher.slotStates("r")).isEqualTo(Map.of(0, SlotState.ACTIVE, 1, SlotState.LENT));
  }
}
