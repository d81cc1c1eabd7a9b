package io.gpureservation.core.matching;

import static io.gpureservation.core.matching.MatchingFixtures.T0;
import static io.gpureservation.core.matching.MatchingFixtures.at;
import static io.gpureservation.core.matching.MatchingFixtures.pod;
import static io.gpureservation.core.matching.MatchingFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.core.matching.NamespaceMatcher.SlotRef;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/capacity-holding.md "Hand-over": a gated pod is promised the first held idle slot in
 * matching order; the promise keeps the slot from other pods and from a new placeholder, and the
 * pod takes exactly that slot when it starts.
 */
class HandOverTest {
  private final NamespaceMatcher matcher = new NamespaceMatcher();

  @Test
  void promisesTheFirstHeldSlotInMatchingOrder() {
    matcher.upsertReservation(reservation("large").spec(1, 32, 256).quantity(1).build(), T0);
    matcher.upsertReservation(reservation("small").spec(1, 16, 128).quantity(2).build(), T0);
    PodDef gated = pod("infer").pending().build();

    // small/0 is not held (its placeholder waits for a node); small/1 is.
    assertThat(matcher.promise(gated, (r, slot) -> !(r.equals("small") && slot == 0)))
        .contains(new SlotRef("small", 1));
    assertThat(matcher.idleSlotIndices("small")).containsExactly(0);
    assertThat(matcher.promisedSlots("small")).containsExactly(1);
    assertThat(matcher.idleSlots("small")).isEqualTo(2); // still idle for billing and status
  }

  // Seen on the cluster: while the smaller reservation's placeholder waited for a node, the pod
  // was handed the larger reservation's held slot. The matching order decides the reservation.
  @Test
  void aLargerHeldSlotNeverOvertakesTheSmallerReservationTheMatchingOrderGives() {
    matcher.upsertReservation(reservation("large").spec(1, 32, 256).quantity(1).build(), T0);
    matcher.upsertReservation(reservation("small").spec(1, 16, 128).quantity(1).build(), T0);

    assertThat(matcher.promise(pod("infer").pending().build(), (r, slot) -> r.equals("large")))
        .isEmpty();
    matcher.upsertPod(pod("infer").build(), at(1));
    assertThat(matcher.billingOf("uid-infer"))
        .isEqualTo(new PodBilling.Reserved("small", 0, at(1)));
  }

  @Test
  void aPodThatFitsNoHeldSlotIsPromisedNothing() {
    matcher.upsertReservation(reservation("r").quantity(1).build(), T0);
    assertThat(matcher.promise(pod("p").pending().build(), (r, slot) -> false)).isEmpty();
    assertThat(matcher.promise(pod("a10").cardType("A10").pending().build(), (r, s) -> true))
        .isEmpty();
    assertThat(matcher.promise(pod("be").bestEffort().pending().build(), (r, s) -> true)).isEmpty();
  }

  @Test
  void askingTwiceGivesTheSamePromise() {
    matcher.upsertReservation(reservation("r").quantity(2).build(), T0);
    PodDef gated = pod("p").pending().build();
    SlotRef first = matcher.promise(gated, (r, s) -> true).orElseThrow();
    assertThat(matcher.promise(gated, (r, s) -> true)).contains(first);
    assertThat(matcher.promisedSlots("r")).hasSize(1);
  }

  @Test
  void thePromisedPodTakesExactlyItsSlotWhenItStarts() {
    matcher.upsertReservation(reservation("r").quantity(2).build(), T0);
    PodDef gated = pod("p").pending().build();
    assertThat(matcher.promise(gated, (r, s) -> s == 1)).contains(new SlotRef("r", 1));

    matcher.upsertPod(pod("p").build(), at(1));
    assertThat(matcher.billingOf("uid-p")).isEqualTo(new PodBilling.Reserved("r", 1, at(1)));
    assertThat(matcher.promisedSlots("r")).isEmpty();
    assertThat(matcher.idleSlotIndices("r")).containsExactly(0);
    assertThat(matcher.promiseOf("uid-p")).isEmpty();
  }

  @Test
  void aPromisedSlotIsNotTakenByAStartedPayAsYouGoPod() {
    matcher.upsertReservation(reservation("r").quantity(1).build(), T0);
    matcher.promise(pod("gated").pending().build(), (r, s) -> true);
    matcher.upsertPod(pod("running").build(), at(1));
    assertThat(matcher.billingOf("uid-running")).isInstanceOf(PodBilling.PayAsYouGo.class);
  }

  @Test
  void aReleasedPromiseGoesToTheOldestWaitingPod() {
    matcher.upsertReservation(reservation("r").quantity(1).build(), T0);
    matcher.promise(pod("gated").pending().build(), (r, s) -> true);
    matcher.upsertPod(pod("waiting").build(), at(1));

    matcher.releasePromise("uid-gated", at(2));
    assertThat(matcher.billingOf("uid-waiting")).isEqualTo(new PodBilling.Reserved("r", 0, at(2)));
    assertThat(matcher.promiseOf("uid-gated")).isEmpty();
  }

  @Test
  void aPromisedPodThatIsDeletedGivesTheSlotBack() {
    matcher.upsertReservation(reservation("r").quantity(1).build(), T0);
    matcher.upsertPod(pod("gated").pending().build(), T0);
    matcher.promise(pod("gated").pending().build(), (r, s) -> true);
    matcher.removePod("uid-gated", at(1));
    assertThat(matcher.idleSlotIndices("r")).containsExactly(0);
    assertThat(matcher.promisedSlots("r")).isEmpty();
  }

  @Test
  void scaleDownDropsPromisesAfterIdleSlotsAndBeforeDeductions() {
    matcher.upsertReservation(reservation("r").quantity(3).build(), T0);
    matcher.upsertPod(pod("running").build(), T0);
    matcher.promise(pod("gated").pending().build(), (r, s) -> true);

    matcher.upsertReservation(reservation("r").quantity(1).build(), at(1));
    assertThat(matcher.billingOf("uid-running")).isEqualTo(new PodBilling.Reserved("r", 0, T0));
    assertThat(matcher.promiseOf("uid-gated")).isEmpty();
    assertThat(matcher.idleSlots("r")).isZero();
  }

  @Test
  void expiryDropsEveryPromise() {
    matcher.upsertReservation(reservation("r").quantity(1).build(), T0);
    matcher.promise(pod("gated").pending().build(), (r, s) -> true);
    matcher.upsertReservation(reservation("r").inactive().build(), at(1));
    assertThat(matcher.promiseOf("uid-gated")).isEmpty();
    matcher.upsertPod(pod("gated").build(), at(2));
    assertThat(matcher.billingOf("uid-gated")).isInstanceOf(PodBilling.PayAsYouGo.class);
  }

  @Test
  void aRestartRestoresARecordedPromiseWhileItsSlotIsStillIdle() {
    matcher.upsertReservation(reservation("r").quantity(2).build(), T0);
    PodDef gated = pod("gated").pending().build();
    assertThat(matcher.restorePromise(gated, new SlotRef("r", 1))).isTrue();
    assertThat(matcher.promisedSlots("r")).containsExactly(1);
    assertThat(matcher.restorePromise(pod("other").pending().build(), new SlotRef("r", 1)))
        .isFalse();
    assertThat(matcher.restorePromise(pod("x").pending().build(), new SlotRef("gone", 0)))
        .isFalse();
    assertThat(matcher.idleSlotIndices("r")).isEqualTo(Set.of(0));
  }
}
