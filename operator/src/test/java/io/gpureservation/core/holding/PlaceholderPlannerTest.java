package io.gpureservation.core.holding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/capacity-holding.md "Placeholders": one placeholder per idle slot, none for the rest. */
class PlaceholderPlannerTest {
  private static final Map<Integer, String> NO_NODES = Map.of();

  @Test
  void everyIdleSlotWithoutAPlaceholderGetsOne() {
    PlaceholderPlan plan =
        PlaceholderPlanner.plan(Set.of(0, 1, 2), Set.of(), Set.of(), Map.of(), NO_NODES);
    assertThat(plan.create()).containsOnlyKeys(0, 1, 2);
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.held()).isZero();
    assertThat(plan.wanted()).isEqualTo(3);
    assertThat(plan.allHeld()).isFalse();
  }

  @Test
  void aLargePlanCreatesInStepsLowestSlotsFirst_keepingEveryDeletionAndTheCounts() {
    Map<Integer, String> create = new HashMap<>();
    for (int slot = 0; slot < 100; slot++) {
      create.put(slot, slot == 3 ? "l20-a-1" : null);
    }
    PlaceholderPlan plan = new PlaceholderPlan(create, Set.of(200, 201), 5, 105);

    PlaceholderPlan step = plan.firstCreations(4);
    assertThat(step.create()).containsOnlyKeys(0, 1, 2, 3).containsEntry(3, "l20-a-1");
    assertThat(step.delete()).containsExactlyInAnyOrder(200, 201);
    assertThat(step.held()).isEqualTo(5);
    assertThat(step.wanted()).isEqualTo(105);
    assertThat(plan.firstCreations(100)).isSameAs(plan);
  }

  // docs/capacity-holding.md, "Placeholders only the operator controls".
  @Test
  void anAlteredPlaceholderHoldsNothingAndGoes_itsSlotGetsANewOneOnceItIsGone() {
    Map<Integer, PlaceholderState> existing =
        Map.of(
            0,
            PlaceholderState.boundTo("l20-a-1"),
            1,
            new PlaceholderState("l20-a-2", false, true));

    PlaceholderPlan plan =
        PlaceholderPlanner.plan(Set.of(0, 1), Set.of(), Set.of(), existing, NO_NODES);
    assertThat(plan.delete()).containsExactly(1);
    assertThat(plan.create()).isEmpty();
    assertThat(plan.held()).isEqualTo(1);

    PlaceholderPlan afterwards =
        PlaceholderPlanner.plan(
            Set.of(0, 1),
            Set.of(),
            Set.of(),
            Map.of(0, PlaceholderState.boundTo("l20-a-1")),
            NO_NODES);
    assertThat(afterwards.create()).containsOnlyKeys(1);
  }

  @Test
  void boundPlaceholdersHoldTheirSlotsAndPendingOnesDoNot() {
    Map<Integer, PlaceholderState> existing =
        Map.of(
            0, PlaceholderState.boundTo("l20-a-1"),
            1, PlaceholderState.boundTo("l20-a-2"),
            2, PlaceholderState.pending());
    PlaceholderPlan plan =
        PlaceholderPlanner.plan(Set.of(0, 1, 2), Set.of(), Set.of(), existing, NO_NODES);
    assertThat(plan.isSteady()).isTrue();
    assertThat(plan.held()).isEqualTo(2);
    assertThat(plan.wanted()).isEqualTo(3);
  }

  @Test
  void aSlotAPodTookLosesItsPlaceholder() {
    Map<Integer, PlaceholderState> existing =
        Map.of(0, PlaceholderState.boundTo("n1"), 1, PlaceholderState.boundTo("n2"));
    PlaceholderPlan plan =
        PlaceholderPlanner.plan(Set.of(1), Set.of(), Set.of(), existing, NO_NODES);
    assertThat(plan.delete()).containsExactly(0);
    assertThat(plan.create()).isEmpty();
    assertThat(plan.held()).isEqualTo(1);
  }

  @Test
  void aHolderThatIsNoLongerLiveRemovesEveryPlaceholder() {
    Map<Integer, PlaceholderState> existing =
        Map.of(0, PlaceholderState.boundTo("n1"), 1, PlaceholderState.pending());
    PlaceholderPlan plan =
        PlaceholderPlanner.plan(Set.of(), Set.of(), Set.of(), existing, NO_NODES);
    assertThat(plan.delete()).containsExactlyInAnyOrder(0, 1);
    assertThat(plan.wanted()).isZero();
    assertThat(plan.allHeld()).isTrue();
  }

  @Test
  void aSlotBeingHandedOverGetsNoNewPlaceholderAndCountsAsHeld() {
    PlaceholderPlan plan =
        PlaceholderPlanner.plan(
            Set.of(0, 1), Set.of(1), Set.of(), Map.of(0, PlaceholderState.boundTo("n1")), NO_NODES);
    assertThat(plan.isSteady()).isTrue();
    assertThat(plan.held()).isEqualTo(2);
    assertThat(plan.allHeld()).isTrue();
  }

  @Test
  void aHandedOverSlotKeepsItsPlaceholderUntilTheSchedulerHasSeenItsPod_thenLosesIt() {
    Map<Integer, PlaceholderState> existing =
        Map.of(0, PlaceholderState.boundTo("n1"), 1, PlaceholderState.boundTo("n1"));
    PlaceholderPlan before =
        PlaceholderPlanner.plan(Set.of(0), Set.of(1), Set.of(), existing, NO_NODES);
    assertThat(before.isSteady()).isTrue();

    PlaceholderPlan seen =
        PlaceholderPlanner.plan(Set.of(0), Set.of(1), Set.of(1), existing, NO_NODES);
    assertThat(seen.delete()).containsExactly(1);
    assertThat(seen.create()).isEmpty();
    PlaceholderPlan gone =
        PlaceholderPlanner.plan(
            Set.of(0), Set.of(1), Set.of(1), Map.of(0, PlaceholderState.boundTo("n1")), NO_NODES);
    assertThat(gone.isSteady()).as("no new placeholder for a slot handed over").isTrue();
  }

  @Test
  void aSlotAPodJustLeftIsHeldAgainOnThatPodsNode() {
    Map<Integer, String> lastNodes = new HashMap<>();
    lastNodes.put(2, "l20-b-1");
    PlaceholderPlan plan =
        PlaceholderPlanner.plan(Set.of(1, 2), Set.of(), Set.of(), Map.of(), lastNodes);
    assertThat(plan.create()).containsEntry(2, "l20-b-1").containsEntry(1, null);
  }

  @Test
  void aTerminatingPlaceholderIsWaitedForNotDeletedAgainNorReplacedYet() {
    Map<Integer, PlaceholderState> existing = Map.of(0, new PlaceholderState("n1", true));
    assertThat(PlaceholderPlanner.plan(Set.of(), Set.of(), Set.of(), existing, NO_NODES).isSteady())
        .isTrue();
    PlaceholderPlan stillIdle =
        PlaceholderPlanner.plan(Set.of(0), Set.of(), Set.of(), existing, NO_NODES);
    assertThat(stillIdle.isSteady()).isTrue();
    assertThat(stillIdle.held()).isZero();
  }

  @Test
  void applyingAPlanGivesASteadyOne() {
    Set<Integer> idle = Set.of(0, 3, 4);
    Map<Integer, PlaceholderState> existing = new HashMap<>(Map.of(1, PlaceholderState.pending()));
    PlaceholderPlan plan = PlaceholderPlanner.plan(idle, Set.of(), Set.of(), existing, NO_NODES);
    plan.delete().forEach(existing::remove);
    plan.create().keySet().forEach(s -> existing.put(s, PlaceholderState.pending()));
    assertThat(PlaceholderPlanner.plan(idle, Set.of(), Set.of(), existing, NO_NODES).isSteady())
        .isTrue();
  }
}
