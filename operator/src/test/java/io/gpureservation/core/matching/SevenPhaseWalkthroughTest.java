package io.gpureservation.core.matching;

import static io.gpureservation.core.matching.MatchingFixtures.at;
import static io.gpureservation.core.matching.MatchingFixtures.pod;
import static io.gpureservation.core.matching.MatchingFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The "Billing example" of the public page "Container Compute Service: GPU Pod capacity
 * reservation" (docs/capacity-reservation.md, "The source's rules and numbers"): two GPU Pod
 * capacity reservations and two pods (Pod1, Pod2) across seven phases. Per phase, the slots billed
 * at the capacity reservation rate are the idle ones and the slots billed at a pod's pay-as-you-go
 * rate are the deducted ones.
 */
class SevenPhaseWalkthroughTest {
  private final NamespaceMatcher matcher = new NamespaceMatcher();
  private final List<String> reservations = List.of("reservation-1", "reservation-2");

  private void reservations(boolean active, int minute) {
    for (int i = 0; i < reservations.size(); i++) {
      matcher.upsertReservation(
          reservation(reservations.get(i)).createdAt(at(i)).active(active).build(), at(minute));
    }
  }

  private static PodDef pod1(PodDef.Lifecycle lifecycle) {
    return pod("pod1").createdAt(at(0)).lifecycle(lifecycle).build();
  }

  private static PodDef pod2(PodDef.Lifecycle lifecycle) {
    return pod("pod2").createdAt(at(1)).lifecycle(lifecycle).build();
  }

  private void assertPhase(int phase, int idle, int deducted) {
    int idleSlots = reservations.stream().mapToInt(matcher::idleSlots).sum();
    int deductedSlots = reservations.stream().mapToInt(r -> matcher.ledger(r).size()).sum();
    assertThat(idleSlots)
        .as("phase %d: slots at the capacity reservation rate", phase)
        .isEqualTo(idle);
    assertThat(deductedSlots)
        .as("phase %d: slots at a pod's pay-as-you-go rate", phase)
        .isEqualTo(deducted);
  }

  @Test
  void billingExample_twoReservationsTwoPods_sevenPhases() {
    // Phase 1: purchased and created, not yet active: no charges, nothing idle, nothing deducted.
    reservations(false, 0);
    matcher.upsertPod(pod1(PodDef.Lifecycle.PENDING), at(0));
    matcher.upsertPod(pod2(PodDef.Lifecycle.PENDING), at(0));
    assertPhase(1, 0, 0);

    // Phase 2: both reservations idle: 2 x capacity reservation rate.
    reservations(true, 10);
    assertPhase(2, 2, 0);

    // Phase 3: Pod1 running, 1 reservation idle.
    matcher.upsertPod(pod1(PodDef.Lifecycle.STARTED), at(20));
    assertPhase(3, 1, 1);
    assertThat(matcher.billingOf("uid-pod1"))
        .isEqualTo(new PodBilling.Reserved("reservation-1", 0, at(20)));

    // Phase 4: both pods running: only the pods' pay-as-you-go rates.
    matcher.upsertPod(pod2(PodDef.Lifecycle.STARTED), at(30));
    assertPhase(4, 0, 2);
    assertThat(matcher.billingOf("uid-pod2"))
        .isEqualTo(new PodBilling.Reserved("reservation-2", 0, at(30)));

    // Phase 5: Pod1 stopped, its slot is restored: Pod2 running, 1 reservation idle.
    matcher.upsertPod(pod1(PodDef.Lifecycle.ENDED), at(40));
    assertPhase(5, 1, 1);
    assertThat(matcher.billingOf("uid-pod1")).isEqualTo(PodBilling.NOT_STARTED);
    assertThat(matcher.ledger("reservation-1")).isEmpty();
    assertThat(matcher.billingOf("uid-pod2"))
        .isEqualTo(new PodBilling.Reserved("reservation-2", 0, at(30)));

    // Phase 6: both reservations idle again.
    matcher.upsertPod(pod2(PodDef.Lifecycle.ENDED), at(50));
    assertPhase(6, 2, 0);

    // Phase 7: the reservations expire and are released: nothing idle, nothing deducted.
    reservations(false, 60);
    assertPhase(7, 0, 0);
  }
}
