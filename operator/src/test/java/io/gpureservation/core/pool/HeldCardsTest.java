package io.gpureservation.core.pool;

import static io.gpureservation.core.pool.PoolFixtures.T0;
import static io.gpureservation.core.pool.PoolFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** docs/capacity-holding.md "Resident pools": best fit over held cards, and PoolFragmented. */
class HeldCardsTest {
  private static final PoolCapacity FOUR_CARDS = PoolCapacity.of(4, 10);

  @Test
  void bestFitIsTheNodeWithTheFewestHeldCardsThatStillHasK() {
    HeldCards held = HeldCards.of(Map.of("a", 4, "b", 2, "c", 1, "d", 2));

    assertThat(held.bestFit(2)).contains("b"); // b and d hold 2: ties by name
    assertThat(held.bestFit(1)).contains("c");
    assertThat(held.bestFit(3)).contains("a");
    assertThat(held.bestFit(5)).isEmpty();
  }

  @Test
  void takingCardsPinsAndCountsThemOnce() {
    HeldCards held = HeldCards.of(Map.of("a", 2, "b", 2));

    assertThat(held.take(2)).isEqualTo(new CardPlacement.Pinned("a"));
    assertThat(held.take(2)).isEqualTo(new CardPlacement.Pinned("b"));
    assertThat(held.total()).isZero();
    assertThat(held.take(1)).isEqualTo(new CardPlacement.Anywhere());
  }

  @Test
  void enoughCardsSpreadOverNodesIsFragmented() {
    HeldCards held = HeldCards.of(Map.of("a", 2, "b", 2));

    assertThat(held.take(4)).isEqualTo(new CardPlacement.Fragmented(2));
    assertThat(held.total()).isEqualTo(4); // nothing taken
  }

  @Test
  void fewerHeldCardsThanThePodNeedsAdmitsItUnpinned() {
    assertThat(HeldCards.of(Map.of("a", 1)).take(2)).isEqualTo(new CardPlacement.Anywhere());
    assertThat(HeldCards.untracked().take(2)).isEqualTo(new CardPlacement.Anywhere());
    assertThat(HeldCards.of(Map.of("a", 1)).take(0)).isEqualTo(new CardPlacement.Anywhere());
  }

  @Test
  void twoTwoCardPodsRunOnTwoTwoBlocksAndAFourCardPodWaitsFragmented() {
    Admission.Rules rules =
        new Admission.Rules(
            Optional.empty(), Admission.DEFAULT_AGING, HeldCards.of(Map.of("n1", 2, "n2", 2)));
    PoolPod four = pod("four", "f", 1, 4, 10);
    PoolPod twoA = pod("two-a", "f", 2, 2, 10);
    PoolPod twoB = pod("two-b", "f", 3, 2, 10);

    Admission.Plan plan =
        Admission.plan(FOUR_CARDS, List.of(), List.of(four, twoA, twoB), rules, T0);

    assertThat(plan.admitted()).extracting(Allocation::pod).containsExactly("two-a", "two-b");
    assertThat(plan.pins()).isEqualTo(Map.of("uid-two-a", "n1", "uid-two-b", "n2"));
    assertThat(plan.waiting()).containsExactly(four);
    assertThat(plan.fragmented()).isEqualTo(Map.of(four, 2));
  }

  @Test
  void anAgedFragmentedPodBlocksYoungerPodsSoFreedCardsAccumulate() {
    Admission.Rules rules =
        new Admission.Rules(
            Optional.empty(), Duration.ZERO, HeldCards.of(Map.of("n1", 2, "n2", 2)));
    PoolPod four = pod("four", "f", 1, 4, 10);
    PoolPod two = pod("two", "f", 2, 2, 10);

    Admission.Plan plan =
        Admission.plan(FOUR_CARDS, List.of(), List.of(four, two), rules, T0.plusSeconds(10));

    assertThat(plan.admitted()).isEmpty();
    assertThat(plan.blockedBy()).contains(four);
    assertThat(plan.fragmented()).containsOnlyKeys(four);
  }
}
