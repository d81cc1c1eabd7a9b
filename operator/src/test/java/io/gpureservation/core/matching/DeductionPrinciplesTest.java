package io.gpureservation.core.matching;

import static io.gpureservation.core.matching.MatchingFixtures.T0;
import static io.gpureservation.core.matching.MatchingFixtures.at;
import static io.gpureservation.core.matching.MatchingFixtures.pod;
import static io.gpureservation.core.matching.MatchingFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * One test per row of the "Deduction principles" table, and the "Deduction example", of the public
 * page "Container Compute Service: GPU Pod capacity reservation", with the page's own numbers
 * (docs/capacity-reservation.md, "The source's rules and numbers").
 */
class DeductionPrinciplesTest {
  private final NamespaceMatcher matcher = new NamespaceMatcher();

  private PodBilling start(PodDef pod) {
    matcher.upsertPod(pod, T0);
    return matcher.billingOf(pod.uid());
  }

  @Test
  void deductionExample_1card10vcpu80gb_isFullyDeductedBy_1card1vcpu2gbPod() {
    matcher.upsertReservation(reservation("r").spec(1, 10, 80).build(), T0);

    assertThat(start(pod("p").spec(1, 1, 2).build()))
        .isEqualTo(new PodBilling.Reserved("r", 0, T0));
    assertThat(matcher.idleSlots("r")).isZero();
  }

  @Test
  void exactMatchOrDownwardCompatibility_1card16vcpu128gb_takes_1card8vcpu16gbPod() {
    matcher.upsertReservation(reservation("r").spec(1, 16, 128).build(), T0);

    assertThat(start(pod("p").spec(1, 8, 16).build()))
        .isEqualTo(new PodBilling.Reserved("r", 0, T0));
  }

  @Test
  void smallestSpecificationFirst_5vcpu30gbPodDeductsThe10vcpu80gbReservation() {
    matcher.upsertReservation(reservation("big").spec(1, 16, 128).createdAt(at(0)).build(), T0);
    matcher.upsertReservation(reservation("small").spec(1, 10, 80).createdAt(at(1)).build(), T0);

    assertThat(start(pod("p").spec(1, 5, 30).build()))
        .isEqualTo(new PodBilling.Reserved("small", 0, T0));
    assertThat(matcher.idleSlots("big")).isOne();
  }

  @Test
  void firstInFirstOut_fourPodsDeductFourReservationsFromEarliestToLatest() {
    // Created out of name order, so only creation time can explain the result.
    matcher.upsertReservation(reservation("d").spec(1, 10, 80).createdAt(at(1)).build(), T0);
    matcher.upsertReservation(reservation("c").spec(1, 10, 80).createdAt(at(2)).build(), T0);
    matcher.upsertReservation(reservation("b").spec(1, 10, 80).createdAt(at(3)).build(), T0);
    matcher.upsertReservation(reservation("a").spec(1, 10, 80).createdAt(at(4)).build(), T0);

    assertThat(start(pod("p1").spec(1, 5, 30).build()))
        .isEqualTo(new PodBilling.Reserved("d", 0, T0));
    assertThat(start(pod("p2").spec(1, 5, 30).build()))
        .isEqualTo(new PodBilling.Reserved("c", 0, T0));
    assertThat(start(pod("p3").spec(1, 5, 30).build()))
        .isEqualTo(new PodBilling.Reserved("b", 0, T0));
    assertThat(start(pod("p4").spec(1, 5, 30).build()))
        .isEqualTo(new PodBilling.Reserved("a", 0, T0));
  }

  @Test
  void multiCardAtomicity_four1cardPodsDoNotSplitA4cardReservation() {
    matcher.upsertReservation(reservation("r").spec(4, 46, 450).build(), T0);

    for (int i = 1; i <= 4; i++) {
      assertThat(start(pod("p" + i).spec(1, 10, 60).build()))
          .isEqualTo(new PodBilling.PayAsYouGo(Reasons.NO_MATCHING_RESERVATION, T0));
    }
    assertThat(matcher.idleSlots("r")).isOne();
  }

  @Test
  void mixedSpecificationMatching_onlyOne2cardPodDeductsThe2cardReservation() {
    matcher.upsertReservation(reservation("two").spec(2, 22, 225).createdAt(at(0)).build(), T0);
    matcher.upsertReservation(reservation("four").spec(4, 46, 450).createdAt(at(1)).build(), T0);

    PodBilling small1 = start(pod("s1").spec(1, 12, 60).createdAt(at(2)).build());
    PodBilling small2 = start(pod("s2").spec(1, 12, 60).createdAt(at(3)).build());
    PodBilling mid1 = start(pod("m1").spec(2, 20, 120).createdAt(at(4)).build());
    PodBilling mid2 = start(pod("m2").spec(2, 20, 120).createdAt(at(5)).build());

    assertThat(mid1).isEqualTo(new PodBilling.Reserved("two", 0, T0));
    assertThat(small1).isInstanceOf(PodBilling.PayAsYouGo.class);
    assertThat(small2).isInstanceOf(PodBilling.PayAsYouGo.class);
    assertThat(mid2).isInstanceOf(PodBilling.PayAsYouGo.class);
    assertThat(matcher.idleSlots("four")).isOne();
  }

  @Test
  void realTimeDynamicMatching_newReservationDeductsAnExistingPayAsYouGoPod() {
    assertThat(start(pod("p").spec(1, 5, 30).build())).isInstanceOf(PodBilling.PayAsYouGo.class);

    matcher.upsertReservation(reservation("r").spec(1, 10, 80).build(), at(5));

    assertThat(matcher.billingOf("uid-p")).isEqualTo(new PodBilling.Reserved("r", 0, at(5)));
    assertThat(matcher.drainChangedPods()).contains("uid-p");
  }

  @Test
  void exceedingTheReservedSpecification_podRunsPayAsYouGo() {
    matcher.upsertReservation(reservation("r").spec(1, 10, 80).build(), T0);

    assertThat(start(pod("cpu").spec(1, 11, 80).build()))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.NO_MATCHING_RESERVATION, T0));
    assertThat(start(pod("mem").spec(1, 10, 81).build()))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.NO_MATCHING_RESERVATION, T0));
    assertThat(start(pod("type").cardType("A10").spec(1, 1, 1).build()))
        .isEqualTo(new PodBilling.PayAsYouGo(Reasons.NO_MATCHING_RESERVATION, T0));
  }
}
