package io.gpureservation.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who is lent a pool's free held cards, and which loan a waiting pool pod takes back. */
class PoolLendingTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final PoolCapacity FOUR = PoolCapacity.of(4, 10);

  private static PoolPod pod(String name, int cards, int secondsAfterT0) {
    return new PoolPod(
        "uid-" + name,
        name,
        "f",
        T0.plusSeconds(secondsAfterT0),
        new PoolCapacity(cards, cards * 10 * PoolCapacity.GIB),
        1);
  }

  private static CardLoan loan(String name, int cards, int secondsAfterT0, String node) {
    return new CardLoan(
        "uid-" + name,
        name,
        "batch",
        cards,
        T0.plusSeconds(secondsAfterT0),
        node,
        true,
        null,
        null);
  }

  private static Allocation line(String name, int cards) {
    return new Allocation(
        "uid-" + name, name, "f", new PoolCapacity(cards, cards * 10 * PoolCapacity.GIB), 1, T0);
  }

  @Test
  void aFreeHeldCardIsLentOnTheBestFitNodeAndTakesNoDisk() {
    HeldCards held = HeldCards.of(Map.of("n1", 1, "n2", 2));
    PoolLending.Lent lent =
        PoolLending.lend(
            FOUR,
            List.of(line("a", 1)),
            List.of(pod("batch", 1, 5)),
            Optional.empty(),
            held,
            false,
            T0.plusSeconds(10));
    assertThat(lent.lent())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.uid()).isEqualTo("uid-batch");
              assertThat(a.demand()).isEqualTo(new PoolCapacity(1, 0));
              assertThat(a.since()).isEqualTo(T0.plusSeconds(10));
            });
    assertThat(lent.pins()).containsEntry("uid-batch", "n1");
    assertThat(lent.declined()).isEmpty();
  }

  @Test
  void nothingIsLentWhileAPoolPodWaits() {
    PoolLending.Lent lent =
        PoolLending.lend(
            FOUR,
            List.of(),
            List.of(pod("batch", 1, 5)),
            Optional.empty(),
            HeldCards.of(Map.of("n1", 4)),
            true,
            T0);
    assertThat(lent.lent()).isEmpty();
    assertThat(lent.declined()).extracting(PoolPod::name).containsExactly("batch");
  }

  @Test
  void anUnheldFreeCardIsNotLent_norACardTheLedgerOrALoanTakes() {
    PoolLending.Lent unheld =
        PoolLending.lend(
            FOUR,
            List.of(),
            List.of(pod("batch", 1, 5)),
            Optional.empty(),
            HeldCards.untracked(),
            false,
            T0);
    assertThat(unheld.lent()).isEmpty();
    // 3 cards in the ledger and one lent: the held card left over is no free card
    PoolLending.Lent full =
        PoolLending.lend(
            FOUR,
            List.of(line("a", 3), loan("other", 1, 0, "n1").asAllocation()),
            List.of(pod("batch", 1, 5)),
            Optional.empty(),
            HeldCards.of(Map.of("n1", 1)),
            false,
            T0);
    assertThat(full.lent()).isEmpty();
    assertThat(full.declined()).extracting(PoolPod::name).containsExactly("batch");
  }

  @Test
  void aBorrowerOfNoCardOrOfCardsNoNodeHoldsTogetherIsDeclined() {
    PoolLending.Lent lent =
        PoolLending.lend(
            FOUR,
            List.of(),
            List.of(pod("cpu", 0, 1), pod("two", 2, 2)),
            Optional.empty(),
            HeldCards.of(Map.of("n1", 1, "n2", 1)),
            false,
            T0);
    assertThat(lent.lent()).isEmpty();
    assertThat(lent.declined()).extracting(PoolPod::name).containsExactly("cpu", "two");
  }

  @Test
  void aWaitingPoolPodTakesTheNewestLoanBack_once() {
    List<CardLoan> loans =
        List.of(loan("old", 1, 10, "n1"), loan("new", 1, 20, "n2"), loan("mid", 1, 15, "n1"));
    List<PoolPod> waiting = List.of(pod("serving", 1, 30));
    List<CardLoan> marked =
        PoolLending.reclaim(FOUR, List.of(line("a", 1)), loans, waiting, T0.plusSeconds(40));
    assertThat(marked)
        .filteredOn(CardLoan::beingReclaimed)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.pod()).isEqualTo("new");
              assertThat(l.reclaimedFor()).isEqualTo("uid-serving");
              assertThat(l.evictedAt()).isEqualTo(T0.plusSeconds(40));
            });
    // asked again: the same mark, no second loan taken back
    assertThat(
            PoolLending.reclaim(FOUR, List.of(line("a", 1)), marked, waiting, T0.plusSeconds(50)))
        .containsExactlyInAnyOrderElementsOf(marked);
  }

  @Test
  void aTwoCardPodTakesBackAsManyLoansAsItNeeds_andNoneWhenFreeCardsSuffice() {
    List<CardLoan> loans = List.of(loan("x", 1, 10, "n1"), loan("y", 1, 20, "n1"));
    List<CardLoan> two =
        PoolLending.reclaim(FOUR, List.of(line("a", 2)), loans, List.of(pod("big", 2, 30)), T0);
    assertThat(two).allMatch(CardLoan::beingReclaimed);
    List<CardLoan> none =
        PoolLending.reclaim(FOUR, List.of(line("a", 1)), loans, List.of(pod("one", 1, 30)), T0);
    assertThat(none).noneMatch(CardLoan::beingReclaimed);
  }

  @Test
  void aPodThePoolCouldNeverRunTakesNothingBack() {
    List<CardLoan> loans = List.of(loan("x", 1, 10, "n1"));
    assertThat(
            PoolLending.reclaim(
                FOUR, List.of(line("a", 3)), loans, List.of(pod("huge", 2, 30)), T0))
        .noneMatch(CardLoan::beingReclaimed);
  }
}
