package io.gpureservation.pool;

import static io.gpureservation.pool.Pools.created;
import static io.gpureservation.pool.Pools.pod;
import static io.gpureservation.pool.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.cluster.OperatorConfig;
import io.gpureservation.cluster.PlaceholderPods;
import io.gpureservation.core.holding.PlaceholderPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pool's plan with capacity holding (docs/capacity-holding.md "Resident pools"). */
class PoolHoldingPlanTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private final PoolPlanner planner = Pools.planner();

  private PoolPlan plan(ResidentPool pool, List<Pod> pods, List<Pod> placeholders, Instant now) {
    PoolPlan plan = planner.plan(pool, pods, placeholders, Borrowers.none(), null, false, now);
    pool.setStatus(plan.status());
    return plan;
  }

  private static Pod poolPod(String name, int cards, int second) {
    return created(pod(name, "pool", "f", cards, "1Gi"), T0.plusSeconds(second));
  }

  private static Pod placeholder(ResidentPool pool, int slot, String node) {
    return Pools.placeholder(pool, slot, node);
  }

  /** Placeholders of slots 0, 1, ... bound to the given nodes. */
  private static List<Pod> heldOn(ResidentPool pool, String... nodes) {
    List<Pod> result = new ArrayList<>();
    for (int slot = 0; slot < nodes.length; slot++) {
      result.add(placeholder(pool, slot, nodes[slot]));
    }
    return result;
  }

  private static Condition capacityHeld(ResidentPool pool) {
    return pool.getStatus().getConditions().stream()
        .filter(c -> "CapacityHeld".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aNewPoolAsksForOneAdaPlaceholderPerCardAndSaysNoneIsHeldYet() {
    ResidentPool pool = pool("pool", 4, 10);

    PoolPlan plan = plan(pool, List.of(), List.of(), T0);

    PoolPlaceholders.Apply holding = plan.placeholders();
    assertThat(holding.plan().create()).hasSize(4);
    assertThat(holding.hold()).isPresent();
    assertThat(holding.hold().get().shape().cards()).isEqualTo(1);
    assertThat(holding.hold().get().shape().cpuMillis()).isEqualTo(8000); // Ada: 8 vCPU per card
    assertThat(holding.hold().get().shape().memoryBytes()).isEqualTo(64L << 30);
    assertThat(holding.hold().get().placement().cardTypeValues()).contains("L20", "NVIDIA-L20");
    assertThat(holding.hold().get().placement().region()).isEqualTo("cn-hangzhou");
    assertThat(pool.getStatus().getHeldCards()).isZero();
    assertThat(capacityHeld(pool))
        .returns("False", Condition::getStatus)
        .returns("InsufficientCapacity", Condition::getReason)
        .returns(
            "0 of 4 free cards held; no node with 1 × Ada, 8 vCPU, 64Gi free in region cn-hangzhou",
            Condition::getMessage);
  }

  @Test
  void aTwoCardPodIsPinnedToTheBestFitNodeAndItsPlaceholdersThereGo() {
    ResidentPool pool = pool("pool", 5, 10);
    List<Pod> held = heldOn(pool, "n1", "n1", "n1", "n2", "n2");
    Pod two = poolPod("two", 2, 1);

    PoolPlan plan = plan(pool, List.of(two), held, T0.plusSeconds(5));

    assertAdmittedOnAda(plan.podActions(), two, T0.plusSeconds(5), "n2");
    assertThat(plan.placeholders().plan().delete()).containsExactlyInAnyOrder(3, 4);
    assertThat(pool.getStatus().getInstances().get(0).getNode()).isEqualTo("n2");
    assertThat(pool.getStatus().getHeldCards()).isEqualTo(3);
    assertThat(capacityHeld(pool).getMessage()).isEqualTo("3 of 3 free cards held");
  }

  // docs/capacity-holding.md "Why nothing else can take a hand-over's capacity": a claimant's held
  // cards stay held by their placeholders until the scheduler has tried it on their node.
  @Test
  void aClaimantsPlaceholdersStayUntilTheSchedulerHasSeenIt() {
    ResidentPool pool = pool("pool", 5, 10);
    List<Pod> held = heldOn(pool, "n1", "n1", "n1", "n2", "n2");
    Pod two = claimant(poolPod("two", 2, 1));

    PoolPlan admitted = plan(pool, List.of(two), held, T0.plusSeconds(5));
    assertAdmittedOnAda(admitted.podActions(), two, T0.plusSeconds(5), "n2");
    assertThat(admitted.placeholders().plan().delete()).as("kept for the claimant").isEmpty();
    assertThat(admitted.placeholders().plan().create()).isEmpty();
    assertThat(pool.getStatus().getHeldCards()).as("free cards held").isEqualTo(3);
    assertThat(capacityHeld(pool).getMessage()).isEqualTo("3 of 3 free cards held");

    Pod pinned = ungatedOn(two, "n2", false);
    PoolPlan nominated = plan(pool, List.of(pinned), held, T0.plusSeconds(6));
    assertThat(nominated.placeholders().plan().isSteady()).as("not seen yet").isTrue();

    PoolPlan seen = plan(pool, List.of(ungatedOn(two, "n2", true)), held, T0.plusSeconds(7));
    assertThat(seen.placeholders().plan().delete()).containsExactlyInAnyOrder(3, 4);
    assertThat(seen.placeholders().plan().create()).isEmpty();
    assertThat(pool.getStatus().getHeldCards()).isEqualTo(3);
  }

  private static Pod claimant(Pod pod) {
    return new PodBuilder(pod)
        .editSpec()
        .withPriorityClassName(OperatorConfig.defaults().holding().claimantPriorityClass())
        .withPriority(OperatorConfig.defaults().holding().priority())
        .withPreemptionPolicy("Never")
        .endSpec()
        .build();
  }

  // The pod as the pool reconciler leaves it (nominated, gate lifted), after the scheduler's first
  // attempt or before it.
  private static Pod ungatedOn(Pod pod, String node, boolean tried) {
    PodBuilder b =
        new PodBuilder(pod)
            .editSpec()
            .withSchedulingGates()
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .withNominatedNodeName(node)
            .endStatus();
    if (tried) {
      b.editStatus()
          .addNewCondition()
          .withType("PodScheduled")
          .withStatus("False")
          .withReason("Unschedulable")
          .endCondition()
          .endStatus();
    }
    return b.build();
  }

  @Test
  void aFourCardPodWaitsFragmentedWithAPoolEventWhileTwoCardPodsRun() {
    ResidentPool pool = pool("pool", 4, 10);
    List<Pod> held = heldOn(pool, "n1", "n1", "n2", "n2");
    Pod big = poolPod("big", 4, 1);

    PoolPlan plan = plan(pool, List.of(big), held, T0.plusSeconds(5));

    assertThat(plan.podActions())
        .singleElement()
        .isInstanceOfSatisfying(
            PodAction.Wait.class,
            w -> {
              assertThat(w.reason()).isEqualTo("PoolFragmented");
              assertThat(w.message()).contains("at most 2 on one node");
            });
    assertThat(plan.events()).anyMatch(e -> "PoolFragmented".equals(e.reason()));
    assertThat(plan.placeholders().plan().isSteady()).isTrue();

    List<Pod> pods = List.of(big, poolPod("two-a", 2, 2), poolPod("two-b", 2, 3));
    PoolPlan next = plan(pool, pods, held, T0.plusSeconds(6));

    assertThat(next.podActions())
        .filteredOn(PodAction.Admit.class::isInstance)
        .map(a -> ((PodAction.Admit) a).node())
        .containsExactlyInAnyOrder("n1", "n2");
    assertThat(next.placeholders().plan().delete()).hasSize(4);
  }

  @Test
  void aPodAdmittedWhileNoCardIsHeldStillRunsOnlyOnNodesOfThePoolsSeries() {
    ResidentPool pool = pool("pool", 2, 10);
    Pod one = poolPod("one", 1, 1);

    PoolPlan plan = plan(pool, List.of(one), List.of(), T0);

    assertAdmittedOnAda(plan.podActions(), one, T0, null);
  }

  // One admission, of the pod on that node (or unpinned), restricted to Ada nodes (the L20's
  // node-label values, never the A10's) of the pool's region.
  private static void assertAdmittedOnAda(
      List<PodAction> actions, Pod pod, java.time.Instant since, String node) {
    assertThat(actions)
        .singleElement()
        .isInstanceOfSatisfying(
            PodAction.Admit.class,
            a -> {
              assertThat(a.pod()).isSameAs(pod);
              assertThat(a.since()).isEqualTo(since);
              assertThat(a.node()).isEqualTo(node);
              assertThat(a.poolNodes()).hasSize(2);
              assertThat(a.poolNodes().get(0).getKey()).isEqualTo("nvidia.com/gpu.product");
              assertThat(a.poolNodes().get(0).getOperator()).isEqualTo("In");
              assertThat(a.poolNodes().get(0).getValues())
                  .contains("L20", "NVIDIA-L20")
                  .doesNotContain("A10", "NVIDIA-A10");
              assertThat(a.poolNodes().get(1).getKey()).isEqualTo("topology.kubernetes.io/region");
              assertThat(a.poolNodes().get(1).getValues()).containsExactly("cn-hangzhou");
            });
  }

  @Test
  void aPodThatEndsGivesItsCardsBackAsPlaceholdersBoundToItsNode() {
    ResidentPool pool = pool("pool", 2, 10);
    Pod two = poolPod("two", 2, 1);
    plan(pool, List.of(two), heldOn(pool, "n1", "n1"), T0);
    Pod running = new PodBuilder(two).editSpec().withNodeName("n1").endSpec().build();
    assertThat(plan(pool, List.of(running), List.of(), T0.plusSeconds(1)).status().getHeldCards())
        .as("a started pod's cards are allocated, not held")
        .isZero();

    PoolPlan ended = plan(pool, List.of(), List.of(), T0.plusSeconds(60));

    PlaceholderPlan placeholders = ended.placeholders().plan();
    assertThat(placeholders.create()).isEqualTo(Map.of(0, "n1", 1, "n1"));
  }

  @Test
  void aPodLabelledLikeAPlaceholderButNotControlledByThePoolIsNoPlaceholder() {
    ResidentPool pool = pool("pool", 1, 10);
    Pod impostor =
        new PodBuilder(placeholder(pool, 0, "n1"))
            .editMetadata()
            .editFirstOwnerReference()
            .withUid("another-uid")
            .endOwnerReference()
            .addToLabels(PlaceholderPods.HOLDER_LABEL, "pool")
            .endMetadata()
            .build();

    PoolPlan plan = plan(pool, List.of(), new ArrayList<>(List.of(impostor)), T0);

    assertThat(plan.placeholders().plan().create()).hasSize(1);
    assertThat(pool.getStatus().getHeldCards()).isZero();
  }

  @Test
  void aPinnedPodThatDoesNotStartInTimeIsEvictedAndItsCardsComeBack() {
    ResidentPool pool = pool("pool", 2, 10);
    Pod two = poolPod("two", 2, 1);
    PoolPlan pinned = plan(pool, List.of(two), heldOn(pool, "gone", "gone"), T0);
    assertThat(pinned.nextCheck()).contains(T0.plusSeconds(120));

    PoolPlan stillWaiting = plan(pool, List.of(two), List.of(), T0.plusSeconds(119));
    assertThat(stillWaiting.podActions()).singleElement().isInstanceOf(PodAction.Admit.class);

    PoolPlan late = plan(pool, List.of(two), List.of(), T0.plusSeconds(120));
    assertThat(late.podActions())
        .singleElement()
        .isInstanceOfSatisfying(
            PodAction.Evict.class,
            e -> {
              assertThat(e.reason()).isEqualTo("HandOverTimedOut");
              assertThat(e.message()).contains("node gone");
            });

    PoolPlan evicted = plan(pool, List.of(), List.of(), T0.plusSeconds(121));
    // The pod never ran there: its cards are held wherever the scheduler finds room.
    assertThat(evicted.placeholders().plan().create())
        .containsOnlyKeys(0, 1)
        .containsValues((String) null);
  }

  @Test
  void aRestartBetweenTheLedgerAndThePinFinishesTheHandOver() {
    ResidentPool pool = pool("pool", 3, 10);
    List<Pod> held = heldOn(pool, "n1", "n2", "n2");
    Pod two = poolPod("two", 2, 1);
    plan(pool, List.of(two), held, T0); // the ledger line (node n2) is written, then a crash

    PoolPlan again =
        Pools.planner()
            .plan(pool, List.of(two), held, Borrowers.none(), null, false, T0.plusSeconds(5));

    assertAdmittedOnAda(again.podActions(), two, T0, "n2");
    assertThat(again.placeholders().plan().delete()).containsExactlyInAnyOrder(1, 2);
    assertThat(again.placeholders().plan().create()).isEmpty();
  }

  @Test
  void everyChangeOfCapacityHeldIsAnEventOnThePool() {
    ResidentPool pool = pool("pool", 2, 10);
    PoolPlan first = plan(pool, List.of(), List.of(), T0);
    assertThat(first.events())
        .anySatisfy(
            e -> {
              assertThat(e.reason()).isEqualTo("InsufficientCapacity");
              assertThat(e.type()).isEqualTo("Warning");
            });

    PoolPlan held = plan(pool, List.of(), heldOn(pool, "n1", "n1"), T0.plusSeconds(1));
    assertThat(held.events())
        .anySatisfy(
            e -> {
              assertThat(e.reason()).isEqualTo("CapacityHeld");
              assertThat(e.message()).isEqualTo("2 of 2 free cards held");
            });
    PoolPlan steady = plan(pool, List.of(), heldOn(pool, "n1", "n1"), T0.plusSeconds(2));
    assertThat(steady.events()).noneMatch(e -> e.reason().equals("CapacityHeld"));
  }
}
