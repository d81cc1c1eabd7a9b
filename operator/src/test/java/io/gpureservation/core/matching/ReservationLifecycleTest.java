package io.gpureservation.core.matching;

import static io.gpureservation.core.matching.MatchingFixtures.T0;
import static io.gpureservation.core.matching.MatchingFixtures.at;
import static io.gpureservation.core.matching.MatchingFixtures.pod;
import static io.gpureservation.core.matching.MatchingFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Eligibility, restoration, scale-down, expiry and restart rules beyond the source's table
 * (docs/capacity-reservation.md, "Which pods take part" and "Choosing a slot").
 */
class ReservationLifecycleTest {
  private final NamespaceMatcher matcher = new NamespaceMatcher();

  @Test
  void bestEffortPodsNeverMatch() {
    matcher.upsertReservation(reservation("r").build(), T0);
    matcher.upsertPod(pod("p").bestEffort().build(), T0);

    assertThat(matcher.billingOf("uid-p"))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.BEST_EFFORT, T0));
    assertThat(matcher.idleSlots("r")).isOne();
  }

  @Test
  void podsWithoutCardTypeRunPayAsYouGo() {
    matcher.upsertReservation(reservation("r").build(), T0);
    matcher.upsertPod(pod("p").noCardType().build(), T0);

    assertThat(matcher.billingOf("uid-p"))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.NO_CARD_TYPE, T0));
  }

  @Test
  void podThatGainsACardTypeLabelIsNoLongerReportedAsNoCardType() {
    // Found by MatchingProperties: the NoCardType reason used to stick to the pod.
    matcher.upsertPod(pod("p").noCardType().build(), T0);
    matcher.upsertPod(pod("p").label("gpureservation.io/card-type", "L20").build(), at(1));

    assertThat(matcher.billingOf("uid-p"))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.NO_MATCHING_RESERVATION, T0));
    assertThat(matcher.drainChangedPods()).contains("uid-p");
  }

  // docs/capacity-reservation.md "The node decides the card".
  @Test
  void aPodOnANodeOfAnotherCardTypeIsMatchedByItsNode_andSaysSoWhenNothingTakesIt() {
    matcher.upsertReservation(reservation("l20").cardType("L20").build(), T0);
    matcher.upsertPod(pod("p").cardType("A10").declaring("L20").build(), T0);

    assertThat(matcher.billingOf("uid-p"))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.DECLARED_CARD_TYPE_IGNORED, T0));
    assertThat(matcher.idleSlots("l20")).isOne();

    matcher.upsertReservation(reservation("a10").cardType("A10").build(), at(1));
    assertThat(matcher.billingOf("uid-p")).isInstanceOf(PodBilling.Reserved.class);
  }

  @Test
  void zonedReservationTakesOnlyPodsPinnedToItsZone() {
    matcher.upsertReservation(reservation("r").zone("zone-a").build(), T0);
    matcher.upsertPod(pod("unpinned").createdAt(at(0)).build(), T0);
    matcher.upsertPod(pod("other").zone("zone-b").createdAt(at(1)).build(), T0);
    matcher.upsertPod(pod("pinned").zone("zone-a").createdAt(at(2)).build(), T0);

    assertThat(matcher.billingOf("uid-unpinned")).isInstanceOf(PodBilling.PayAsYouGo.class);
    assertThat(matcher.billingOf("uid-other")).isInstanceOf(PodBilling.PayAsYouGo.class);
    assertThat(matcher.billingOf("uid-pinned")).isEqualTo(new PodBilling.Reserved("r", 0, T0));
  }

  // docs/capacity-reservation.md "Region": only a region pin counts; a zone does not imply it.
  @Test
  void regionalReservationTakesOnlyPodsPinnedToItsRegion() {
    matcher.upsertReservation(reservation("r").region("cn-shanghai").quantity(2).build(), T0);
    matcher.upsertPod(pod("unpinned").createdAt(at(0)).build(), T0);
    matcher.upsertPod(pod("zoneOnly").zone("cn-shanghai-a").createdAt(at(1)).build(), T0);
    matcher.upsertPod(pod("other").region("cn-hangzhou").createdAt(at(2)).build(), T0);
    matcher.upsertPod(pod("pinned").region("cn-shanghai").createdAt(at(3)).build(), T0);

    assertThat(matcher.billingOf("uid-unpinned")).isInstanceOf(PodBilling.PayAsYouGo.class);
    assertThat(matcher.billingOf("uid-zoneOnly")).isInstanceOf(PodBilling.PayAsYouGo.class);
    assertThat(matcher.billingOf("uid-other")).isInstanceOf(PodBilling.PayAsYouGo.class);
    assertThat(matcher.billingOf("uid-pinned")).isEqualTo(new PodBilling.Reserved("r", 0, T0));
  }

  @Test
  void reservationWithoutRegionTakesPodsOfAnyRegion() {
    matcher.upsertReservation(reservation("r").build(), T0);
    matcher.upsertPod(pod("pinned").region("cn-shanghai").build(), T0);

    assertThat(matcher.billingOf("uid-pinned")).isEqualTo(new PodBilling.Reserved("r", 0, T0));
  }

  @Test
  void podSelectorNarrowsWhichPodsMatch() {
    PodSelector inference =
        new PodSelector(
            Map.of("team", "ml"),
            List.of(
                new PodSelector.Requirement(
                    "tier", PodSelector.Operator.IN, Set.of("inference", "batch"))));
    matcher.upsertReservation(reservation("r").quantity(2).selector(inference).build(), T0);
    matcher.upsertPod(pod("wrong-team").label("team", "web").label("tier", "batch").build(), T0);
    matcher.upsertPod(pod("no-tier").label("team", "ml").build(), T0);
    matcher.upsertPod(pod("ok").label("team", "ml").label("tier", "inference").build(), T0);

    assertThat(matcher.billingOf("uid-wrong-team")).isInstanceOf(PodBilling.PayAsYouGo.class);
    assertThat(matcher.billingOf("uid-no-tier")).isInstanceOf(PodBilling.PayAsYouGo.class);
    assertThat(matcher.billingOf("uid-ok")).isEqualTo(new PodBilling.Reserved("r", 0, T0));
  }

  @Test
  void endedPodRestoresItsSlotToTheOldestFittingPayAsYouGoPod() {
    matcher.upsertReservation(reservation("r").build(), T0);
    matcher.upsertPod(pod("holder").createdAt(at(0)).build(), T0);
    matcher.upsertPod(pod("younger").createdAt(at(2)).build(), T0);
    matcher.upsertPod(pod("older").createdAt(at(1)).build(), T0);
    matcher.upsertPod(pod("too-big").spec(1, 64, 500).createdAt(at(0)).build(), T0);

    matcher.upsertPod(pod("holder").createdAt(at(0)).ended().build(), at(10));

    assertThat(matcher.billingOf("uid-holder")).isEqualTo(PodBilling.NOT_STARTED);
    assertThat(matcher.billingOf("uid-older")).isEqualTo(new PodBilling.Reserved("r", 0, at(10)));
    assertThat(matcher.billingOf("uid-younger")).isInstanceOf(PodBilling.PayAsYouGo.class);
  }

  @Test
  void deductionIsStable_podNeverMovesToASmallerSlotThatFreesLater() {
    matcher.upsertReservation(reservation("big").spec(1, 16, 128).build(), T0);
    matcher.upsertPod(pod("p").build(), T0);
    matcher.upsertReservation(reservation("small").spec(1, 10, 80).build(), at(1));
    matcher.upsertPod(pod("p").label("touched", "yes").build(), at(2));

    assertThat(matcher.billingOf("uid-p")).isEqualTo(new PodBilling.Reserved("big", 0, T0));
    assertThat(matcher.idleSlots("small")).isOne();
  }

  @Test
  void pendingPodsHoldNothing_andEndingWhilePendingChangesNothing() {
    matcher.upsertReservation(reservation("r").build(), T0);
    matcher.upsertPod(pod("p").pending().build(), T0);

    assertThat(matcher.billingOf("uid-p")).isEqualTo(PodBilling.NOT_STARTED);
    assertThat(matcher.idleSlots("r")).isOne();

    matcher.drainChangedReservations();
    matcher.upsertPod(pod("p").ended().build(), at(1));
    assertThat(matcher.drainChangedReservations()).isEmpty();
    assertThat(matcher.idleSlots("r")).isOne();
  }

  @Test
  void loweringQuantityFreesIdleSlotsFirstThenReturnsTheNewestDeductions() {
    matcher.upsertReservation(reservation("r").quantity(4).build(), T0);
    matcher.upsertPod(pod("first").build(), at(1));
    matcher.upsertPod(pod("second").build(), at(2));
    matcher.upsertPod(pod("third").build(), at(3));

    matcher.upsertReservation(reservation("r").quantity(2).build(), at(10));

    assertThat(matcher.billingOf("uid-first")).isEqualTo(new PodBilling.Reserved("r", 0, at(1)));
    assertThat(matcher.billingOf("uid-second")).isEqualTo(new PodBilling.Reserved("r", 1, at(2)));
    assertThat(matcher.billingOf("uid-third"))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.RESERVATION_SCALED_DOWN, at(10)));
    assertThat(matcher.idleSlots("r")).isZero();
  }

  @Test
  void raisingQuantityMatchesWaitingPodsOldestFirst() {
    matcher.upsertReservation(reservation("r").quantity(0).build(), T0);
    matcher.upsertPod(pod("young").createdAt(at(2)).build(), T0);
    matcher.upsertPod(pod("old").createdAt(at(1)).build(), T0);

    matcher.upsertReservation(reservation("r").quantity(1).build(), at(5));

    assertThat(matcher.billingOf("uid-old")).isEqualTo(new PodBilling.Reserved("r", 0, at(5)));
    assertThat(matcher.billingOf("uid-young")).isInstanceOf(PodBilling.PayAsYouGo.class);
  }

  @Test
  void expiryReturnsPodsToPayAsYouGoWithReservationExpired() {
    matcher.upsertReservation(reservation("r").build(), T0);
    matcher.upsertPod(pod("p").build(), T0);

    matcher.upsertReservation(reservation("r").inactive().build(), at(60));

    assertThat(matcher.billingOf("uid-p"))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.RESERVATION_EXPIRED, at(60)));
    assertThat(matcher.ledger("r")).isEmpty();
    assertThat(matcher.idleSlots("r")).isZero();
  }

  @Test
  void podsReleasedByExpiryTakeAnotherFreeSlotWhenOneFits() {
    matcher.upsertReservation(reservation("old").createdAt(at(0)).build(), T0);
    matcher.upsertPod(pod("p").build(), T0);
    matcher.upsertReservation(reservation("spare").createdAt(at(1)).build(), T0);

    matcher.removeReservation("old", Reasons.RESERVATION_DELETED, at(30));

    assertThat(matcher.billingOf("uid-p")).isEqualTo(new PodBilling.Reserved("spare", 0, at(30)));
  }

  @Test
  void restoreKeepsLedgerDeductionsAndReleasesLinesOfVanishedPods() {
    ReservationDef r = reservation("r").quantity(2).build();
    PodDef alive = pod("alive").build();
    PodDef waiting = pod("waiting").createdAt(at(1)).build();
    List<Holding> ledger =
        List.of(
            new Holding("r", 1, "uid-alive", "alive", at(3)),
            new Holding("r", 0, "uid-gone", "gone", at(2)));

    matcher.restore(List.of(r), ledger, List.of(alive, waiting), at(20));

    assertThat(matcher.billingOf("uid-alive")).isEqualTo(new PodBilling.Reserved("r", 1, at(3)));
    assertThat(matcher.billingOf("uid-waiting")).isEqualTo(new PodBilling.Reserved("r", 0, at(20)));
    assertThat(matcher.drainChangedReservations()).containsExactly("r");
  }

  @Test
  void spoofedHoldingsNeverTwoPodsInOneSlot() {
    ReservationDef r = reservation("r").quantity(1).build();
    List<Holding> ledger =
        List.of(new Holding("r", 0, "uid-a", "a", at(1)), new Holding("r", 0, "uid-b", "b", at(2)));

    matcher.restore(List.of(r), ledger, List.of(pod("a").build(), pod("b").build()), at(5));

    assertThat(matcher.ledger("r")).hasSize(1);
    assertThat(matcher.billingOf("uid-b")).isInstanceOf(PodBilling.PayAsYouGo.class);
  }

  @Test
  void payAsYouGoSinceIsWhenThePodStarted_soARestartDoesNotMoveIt() {
    PodDef pod = pod("p").startedAt(at(3)).build();
    matcher.upsertPod(pod, at(5));
    assertThat(matcher.billingOf("uid-p"))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.NO_MATCHING_RESERVATION, at(3)));

    NamespaceMatcher restarted = new NamespaceMatcher();
    restarted.restore(List.of(), List.of(), List.of(pod), at(60));

    assertThat(restarted.billingOf("uid-p")).isEqualTo(matcher.billingOf("uid-p"));
  }

  @Test
  void bindTimeRecordedAfterThePodWasFirstSeenBecomesItsPayAsYouGoSince_asARestartReadsIt() {
    // A pod created with spec.nodeName is seen bound before its node records when it started.
    matcher.upsertPod(pod("p").build(), at(5));
    matcher.upsertPod(pod("p").startedAt(at(6)).build(), at(7));

    NamespaceMatcher restarted = new NamespaceMatcher();
    restarted.restore(List.of(), List.of(), List.of(pod("p").startedAt(at(6)).build()), at(60));

    assertThat(matcher.billingOf("uid-p"))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.NO_MATCHING_RESERVATION, at(6)))
        .isEqualTo(restarted.billingOf("uid-p"));
  }

  @Test
  void releasedPodIsPayAsYouGoSinceTheRelease() {
    matcher.upsertReservation(reservation("r").build(), T0);
    matcher.upsertPod(pod("p").startedAt(T0).build(), T0);

    matcher.upsertReservation(reservation("r").inactive().build(), at(30));

    assertThat(matcher.billingOf("uid-p"))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.RESERVATION_EXPIRED, at(30)));
  }

  // docs/capacity-reservation.md, "Holders that no longer fit".
  @Test
  void
      holderResizedBeyondItsSlotIsReleasedWithPodExceedsSlot_andTheSlotGoesToTheOldestFittingPod() {
    matcher.upsertReservation(reservation("r").spec(1, 16, 128).build(), T0);
    matcher.upsertPod(pod("holder").spec(1, 8, 64).createdAt(at(0)).build(), T0);
    matcher.upsertPod(pod("waiter").spec(1, 8, 64).createdAt(at(1)).build(), at(1));

    matcher.upsertPod(pod("holder").spec(1, 20, 64).createdAt(at(0)).build(), at(5));

    assertThat(matcher.billingOf("uid-holder"))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.POD_EXCEEDS_SLOT, at(5)));
    assertThat(matcher.billingOf("uid-waiter")).isEqualTo(new PodBilling.Reserved("r", 0, at(5)));
  }

  @Test
  void restartReleasesALedgerLineWhoseHolderNoLongerFitsItsSlot() {
    ReservationDef r = reservation("r").spec(1, 16, 128).build();
    PodDef grown = pod("grown").spec(1, 16, 200).build();
    List<Holding> ledger = List.of(new Holding("r", 0, "uid-grown", "grown", at(1)));

    matcher.restore(List.of(r), ledger, List.of(grown), at(5));

    assertThat(matcher.ledger("r")).isEmpty();
    assertThat(matcher.idleSlots("r")).isOne();
    assertThat(matcher.billingOf("uid-grown")).isInstanceOf(PodBilling.PayAsYouGo.class);
  }
}
