package io.gpureservation.core.holding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpureservation.core.holding.CardPacking.Placement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/capacity-holding.md "Resident pools": k cards on one node, best fit, or PoolFragmented. */
class CardPackingTest {
  @Test
  void twoTwoCardPodsFitAPoolHeldAsTwoPlusTwo() {
    Map<String, Integer> held = Map.of("n1", 2, "n2", 2);
    assertThat(CardPacking.place(held, 2)).isEqualTo(new Placement.OnNode("n1"));
    assertThat(CardPacking.place(Map.of("n2", 2), 2)).isEqualTo(new Placement.OnNode("n2"));
  }

  @Test
  void aFourCardPodOnAPoolHeldAsTwoPlusTwoIsFragmented() {
    assertThat(CardPacking.place(Map.of("n1", 2, "n2", 2), 4))
        .isEqualTo(new Placement.Fragmented(4, 2));
  }

  @Test
  void fewerHeldCardsThanThePodNeedsIsNotFragmentation() {
    assertThat(CardPacking.place(Map.of("n1", 1, "n2", 1), 4))
        .isEqualTo(new Placement.NotEnoughHeld(2));
    assertThat(CardPacking.place(Map.of(), 1)).isEqualTo(new Placement.NotEnoughHeld(0));
  }

  @Test
  void bestFitKeepsTheFullestNodeForLargePods() {
    assertThat(CardPacking.place(Map.of("big", 8, "small", 2), 2))
        .isEqualTo(new Placement.OnNode("small"));
    assertThat(CardPacking.place(Map.of("big", 8, "small", 2), 4))
        .isEqualTo(new Placement.OnNode("big"));
  }

  @Test
  void refusesANonPositiveCardCount() {
    assertThatThrownBy(() -> CardPacking.place(Map.of("n1", 1), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
