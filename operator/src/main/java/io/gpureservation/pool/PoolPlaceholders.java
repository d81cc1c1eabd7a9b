package io.gpureservation.pool;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservationConditions;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolConditions;
import io.gpureservation.cluster.Claimants;
import io.gpureservation.cluster.Conditions;
import io.gpureservation.cluster.PlaceholderPods;
import io.gpureservation.core.holding.HeldCapacity;
import io.gpureservation.core.holding.PlaceholderPlan;
import io.gpureservation.core.holding.PlaceholderState;
import io.gpureservation.core.matching.SlotShape;
import io.gpureservation.core.pool.Allocation;
import io.gpureservation.core.pool.HeldCards;
import io.gpureservation.core.pool.PoolPod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The capacity-holding half of a pool's plan (docs/capacity-holding.md "Resident pools"), no I/O:
 * the pool's placeholders as its own pods show them, the cards they hold by node for admission, the
 * room pinned pods still wait for, and the nodes pods just gave cards back on.
 */
final class PoolPlaceholders {
  /** How one free card of the pool is held: the placeholder's shape and where it may go. */
  record Hold(SlotShape shape, PlaceholderPods.Placement placement) {}

  /** The plan to apply after the status, with what placeholders to make. */
  record Apply(PlaceholderPlan plan, Optional<Hold> hold) {}

  private PoolPlaceholders() {}

  /**
   * The pool's placeholders by slot: pods controlled by the pool's uid and named after it (never
   * recognised by labels).
   */
  static Map<Integer, PlaceholderState> of(
      ResidentPool pool, Collection<Pod> pods, PlaceholderPods placeholders) {
    Map<Integer, PlaceholderState> result = new HashMap<>();
    for (Pod pod : pods) {
      PlaceholderPods.slotOf(pod, pool)
          .ifPresent(slot -> result.put(slot, placeholders.stateOf(pod)));
    }
    return result;
  }

  /** Node → cards that ledger pods pinned there and not yet started still need. */
  static Map<String, Integer> awaitedRoom(
      List<Allocation> ledger, Map<String, String> nodes, Map<String, Pod> live) {
    return awaitedRoom(ledger, nodes, live, pod -> true);
  }

  /**
   * Node → cards that ledger pods pinned there, not yet started and for which {@code which} holds,
   * still need.
   */
  static Map<String, Integer> awaitedRoom(
      List<Allocation> ledger,
      Map<String, String> nodes,
      Map<String, Pod> live,
      Predicate<Pod> which) {
    Map<String, Integer> room = new HashMap<>();
    for (Allocation a : ledger) {
      String node = nodes.get(a.uid());
      Pod pod = live.get(a.uid());
      if (node != null && awaitsRoom(pod) && which.test(pod)) {
        room.merge(node, (int) a.demand().cards(), Integer::sum);
      }
    }
    return room;
  }

  /**
   * Whether a pinned pod's placeholders may go (docs/capacity-holding.md "Why nothing else can take
   * a hand-over's capacity"): the scheduler has tried it on its node, so the capacity they free
   * counts as its own; a pod whose hand-over cannot be protected (it may preempt, or is below the
   * placeholders' priority) gains nothing from waiting.
   */
  static boolean mayFreeRoom(Pod pod, String node, int placeholderPriority) {
    return !Claimants.protectable(pod, placeholderPriority)
        || (Claimants.seenByScheduler(pod) && Claimants.nominatedTo(pod, node));
  }

  /**
   * Free cards held by bound placeholders, by node, less the room pinned pods wait for there (their
   * placeholders are on their way out): what admission may hand over now.
   */
  static HeldCards held(Map<Integer, PlaceholderState> placeholders, Map<String, Integer> room) {
    Map<String, Integer> byNode = new HashMap<>();
    placeholders.values().stream()
        .filter(PlaceholderState::holds)
        .forEach(s -> byNode.merge(s.node(), 1, Integer::sum));
    room.forEach((node, cards) -> byNode.computeIfPresent(node, (n, held) -> held - cards));
    return HeldCards.of(byNode);
  }

  /** One node per card that pods of dropped ledger lines gave back: where each pod ran. */
  static List<String> returnNodes(
      List<Allocation> dropped, Map<String, String> nodes, Map<String, Pod> all) {
    List<String> result = new ArrayList<>();
    for (Allocation a : dropped) {
      Pod pod = all.get(a.uid());
      String node =
          pod != null && pod.getSpec() != null && pod.getSpec().getNodeName() != null
              ? pod.getSpec().getNodeName()
              : nodes.get(a.uid());
      if (node != null) {
        result.addAll(Collections.nCopies((int) a.demand().cards(), node));
      }
    }
    return result;
  }

  /** The words of CapacityHeld: {@code "2 of 4 free cards held; no node with 1 × Ada, ..."}. */
  static String message(PlaceholderPlan plan, Optional<Hold> hold) {
    return hold.map(
            h ->
                HeldCapacity.message(
                    plan.held(),
                    plan.wanted(),
                    h.shape(),
                    null,
                    h.placement().region(),
                    "free card"))
        .orElse("the catalog has no card shape or node label for this series: nothing is held");
  }

  /** Whether a live ledger pod has not been bound to a node yet. */
  static boolean awaitsRoom(Pod pod) {
    return pod != null && !started(pod);
  }

  static String timedOutMessage(String node) {
    return "pinned to node "
        + node
        + " where its held cards were, but not started in time (the node may be gone); evicted so"
        + " that its replacement goes through the pool again";
  }

  private static boolean started(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getNodeName() != null;
  }

  // CapacityHeld (docs/capacity-holding.md "Resident pools"): every free card held, or why not.
  static List<Condition> capacityHeld(
      List<Condition> conditions,
      PlaceholderPlan plan,
      Optional<Hold> hold,
      String refused,
      ResidentPool pool,
      Instant now) {
    boolean all = plan.allHeld() && hold.isPresent();
    String reason =
        all
            ? CapacityReservationConditions.REASON_ALL_HELD
            : refused != null || hold.isEmpty()
                ? CapacityReservationConditions.REASON_PLACEHOLDER_REFUSED
                : CapacityReservationConditions.REASON_INSUFFICIENT_CAPACITY;
    String message = message(plan, hold);
    if (!all && refused != null) {
      message += "; placeholders refused: " + refused;
    }
    return Conditions.set(
        conditions,
        ResidentPoolConditions.CAPACITY_HELD,
        all,
        reason,
        message,
        pool.getMetadata().getGeneration(),
        now);
  }

  /** Why a pod waits with reason PoolFragmented. */
  static String fragmentedMessage(String pool, PoolPod pod, int largest) {
    return "ResidentPool "
        + pool
        + " holds enough free cards for this pod's "
        + pod.demand().cards()
        + " but no node holds "
        + pod.demand().cards()
        + " of them (at most "
        + largest
        + " on one node); it waits until a node has them together";
  }
}
