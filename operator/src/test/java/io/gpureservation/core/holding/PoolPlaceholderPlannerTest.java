package io.gpureservation.core.holding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/capacity-holding.md "Resident pools": one placeholder per free card, surplus chosen. */
class PoolPlaceholderPlannerTest {
  private static final PlaceholderState PENDING = PlaceholderState.pending();

  private static PlaceholderState on(String node) {
    return PlaceholderState.boundTo(node);
  }

  @Test
  void aNewPoolGetsOnePlaceholderPerCardPlacedByTheScheduler() {
    PlaceholderPlan plan = PoolPlaceholderPlanner.plan(3, Map.of(), Map.of(), Map.of(), List.of());

    assertThat(plan.create()).containsOnlyKeys(0, 1, 2).containsValues((String) null);
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.held()).isZero();
    assertThat(plan.wanted()).isEqualTo(3);
  }

  // docs/capacity-holding.md, "Placeholders only the operator controls".
  @Test
  void anAlteredPlaceholderGoesAndIsReplacedUnderAnotherNumber_countingForNothing() {
    Map<Integer, PlaceholderState> existing =
        Map.of(0, on("a"), 1, new PlaceholderState("a", false, true));

    PlaceholderPlan plan = PoolPlaceholderPlanner.plan(2, existing, Map.of(), Map.of(), List.of());

    assertThat(plan.delete()).containsExactly(1);
    assertThat(plan.create()).containsOnlyKeys(2);
    assertThat(plan.held()).isEqualTo(1);
  }

  @Test
  void cardsAPodGaveBackAreBoundToItsNodeInFreeSlotNumbers() {
    Map<Integer, PlaceholderState> existing = Map.of(0, on("a"), 2, on("b"));

    PlaceholderPlan plan =
        PoolPlaceholderPlanner.plan(4, existing, Map.of(), Map.of(), List.of("c", "c"));

    assertThat(plan.create()).isEqualTo(Map.of(1, "c", 3, "c"));
    assertThat(plan.held()).isEqualTo(2);
  }

  @Test
  void aPinnedPodsNodeLosesItsPlaceholdersFirst() {
    Map<Integer, PlaceholderState> existing =
        Map.of(0, on("a"), 1, on("a"), 2, on("b"), 3, on("b"));

    PlaceholderPlan plan =
        PoolPlaceholderPlanner.plan(2, existing, Map.of("b", 2), Map.of(), List.of());

    assertThat(plan.delete()).containsExactlyInAnyOrder(2, 3);
    assertThat(plan.create()).isEmpty();
    assertThat(plan.held()).isEqualTo(2);
    assertThat(plan.allHeld()).isTrue();
  }

  @Test
  void otherSurplusGoesFromPendingThenFromTheSparsestNode() {
    Map<Integer, PlaceholderState> existing = new HashMap<>();
    existing.put(0, on("a"));
    existing.put(1, on("a"));
    existing.put(2, on("b"));
    existing.put(3, PENDING);

    PlaceholderPlan plan = PoolPlaceholderPlanner.plan(2, existing, Map.of(), Map.of(), List.of());

    assertThat(plan.delete()).containsExactlyInAnyOrder(3, 2);
    assertThat(plan.held()).isEqualTo(2);
  }

  @Test
  void placeholdersOnTheirWayOutAreNeitherCountedNorReused() {
    Map<Integer, PlaceholderState> existing =
        Map.of(0, new PlaceholderState("a", true), 1, on("a"));

    PlaceholderPlan plan = PoolPlaceholderPlanner.plan(2, existing, Map.of(), Map.of(), List.of());

    assertThat(plan.create()).containsOnlyKeys(2);
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.held()).isEqualTo(1);
    assertThat(plan.allHeld()).isFalse();
  }

  @Test
  void anInactivePoolDeletesEveryPlaceholderAndAPlanAppliedIsSteady() {
    Map<Integer, PlaceholderState> existing = Map.of(0, on("a"), 1, PENDING);

    assertThat(PoolPlaceholderPlanner.plan(0, existing, Map.of(), Map.of(), List.of()).delete())
        .containsExactlyInAnyOrder(0, 1);
    assertThat(PoolPlaceholderPlanner.plan(2, existing, Map.of(), Map.of(), List.of()).isSteady())
        .isTrue();
  }

  // docs/capacity-holding.md "Why nothing else can take a hand-over's capacity".
  @Test
  void placeholdersPromisedToAPodNotSeenYetStay_neitherSurplusNorFree() {
    Map<Integer, PlaceholderState> existing =
        Map.of(
            0, PlaceholderState.boundTo("a"),
            1, PlaceholderState.boundTo("b"),
            2, PlaceholderState.boundTo("b"),
            3, PlaceholderState.boundTo("b"));
    PlaceholderPlan plan =
        PoolPlaceholderPlanner.plan(2, existing, Map.of(), Map.of("b", 2), List.of());

    assertThat(plan.isSteady()).isTrue();
    assertThat(plan.held()).isEqualTo(2);
    assertThat(plan.wanted()).isEqualTo(2);

    PlaceholderPlan seen =
        PoolPlaceholderPlanner.plan(2, existing, Map.of("b", 2), Map.of(), List.of());
    assertThat(seen.delete()).hasSize(2).allMatch(slot -> existing.get(slot).node().equals("b"));
  }
}
