package io.gpureservation.pool;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpureservation.api.v1alpha1.AdmissionOrder;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolConditions;
import io.gpureservation.api.v1alpha1.ResidentPoolSpec;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.cluster.Conditions;
import io.gpureservation.cluster.ObjectEvent;
import io.gpureservation.cluster.PlaceholderPods;
import io.gpureservation.core.holding.PlaceholderPlan;
import io.gpureservation.core.holding.PlaceholderState;
import io.gpureservation.core.holding.PoolPlaceholderPlanner;
import io.gpureservation.core.pool.Admission;
import io.gpureservation.core.pool.Allocation;
import io.gpureservation.core.pool.HeldCards;
import io.gpureservation.core.pool.PoolCapacity;
import io.gpureservation.core.pool.PoolPhase;
import io.gpureservation.core.pool.PoolPod;
import io.gpureservation.core.pool.PoolPricing;
import io.gpureservation.core.pool.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Plans one reconciliation of a pool from the pool and its pods: no I/O. The ledger in status is
 * the only record of who holds a resident instance; annotations found on pods count for nothing.
 */
final class PoolPlanner {
  static final String CAPACITY_EXCEEDED = "PoolCapacityExceeded";
  static final String POOL_EXPIRED = "PoolExpired";
  static final String POOL_RELEASED = "PoolReleased";
  static final String POOL_PENDING = "PoolPending";
  static final String POOL_FRAGMENTED = "PoolFragmented";
  static final String HAND_OVER_TIMED_OUT = "HandOverTimedOut";
  static final String INVALID_POD_REQUESTS = "InvalidPodRequests";

  private final PoolTermPlanner terms;
  private final PoolStatusComposer statuses;
  private final PoolPodReader pods;
  private final Duration handOverTimeout;
  private final PlaceholderPods placeholderPods;
  private final int priority;

  /**
   * @param handOverTimeout how long a pod pinned to its held cards' node may take to start before
   *     it is evicted (docs/capacity-holding.md "Resident pools")
   * @param placeholderPods how the operator makes placeholders (an altered one is replaced)
   * @param placeholderPriority the placeholders' priority: a pod at least as high that may not
   *     preempt keeps its held cards' placeholders until the scheduler has seen it
   */
  PoolPlanner(
      PoolPricing pricing,
      PoolPodReader pods,
      Duration handOverTimeout,
      PlaceholderPods placeholderPods,
      int placeholderPriority) {
    this.handOverTimeout = handOverTimeout;
    this.priority = placeholderPriority;
    this.placeholderPods = placeholderPods;
    this.terms = new PoolTermPlanner(pricing);
    this.statuses = new PoolStatusComposer(pricing);
    this.pods = pods;
  }

  /**
   * Plans one reconciliation with lending (docs/lending.md, "Resident pools"): the pool's loans
   * take its cards as ledger lines do, free held cards are lent to gated borrowers while no pool
   * pod waits, and a waiting pool pod takes the newest loan back.
   */
  PoolPlan plan(
      ResidentPool pool,
      Collection<Pod> pods,
      Collection<Pod> placeholderPods,
      Borrowers borrowers,
      String refused,
      boolean overdue,
      Instant now) {
    Integer cards = pool.getSpec().getCards();
    if (cards != null && cards > ResidentPoolSpec.MAX_CARDS) {
      // stored before the CRD bound it: planning one placeholder per card would exhaust memory
      throw new IllegalArgumentException(
          "spec.cards " + cards + " is more than " + ResidentPoolSpec.MAX_CARDS);
    }
    ResidentPoolStatus old = pool.getStatus();
    PoolTermPlanner.Outcome term = terms.plan(pool.getSpec(), old, overdue, now);
    boolean active = term.term().phase() == PoolPhase.Active;
    PoolCapacity capacity = active ? term.inForce().capacity() : PoolCapacity.NONE;

    Map<String, Pod> live = new HashMap<>();
    Map<String, Pod> all = new HashMap<>();
    for (Pod p : pods) {
      all.put(p.getMetadata().getUid(), p);
      if (!PoolPods.isTerminal(p)) {
        live.put(p.getMetadata().getUid(), p);
      }
    }
    List<Allocation> ledger = new ArrayList<>();
    List<Allocation> dropped = new ArrayList<>();
    for (Allocation a : PoolLedger.allocations(old)) {
      (live.containsKey(a.uid()) ? ledger : dropped).add(a);
    }
    Map<String, String> nodes = PoolLedger.nodes(old);
    PoolLoanPlan loans = new PoolLoanPlan(pool, borrowers, handOverTimeout, now);
    loans.read(nodes, live, all, dropped);
    Map<Integer, PlaceholderState> placeholders = placeholdersOf(pool, placeholderPods);
    Optional<PoolPlaceholders.Hold> hold =
        this.pods.hold(term.inForce().cardType(), term.inForce().region());
    HeldCards heldCards =
        hold.isPresent()
            ? PoolPlaceholders.held(
                placeholders,
                PoolPlaceholders.awaitedRoom(loans.withLoans(ledger), nodes, loans.live(live)))
            : HeldCards.untracked();
    Map<PoolPod, Integer> fragmented = Map.of();
    List<PodAction> actions = new ArrayList<>();
    List<PoolPod> candidates = new ArrayList<>();
    Set<String> held = ledger.stream().map(Allocation::uid).collect(Collectors.toSet());
    for (Pod p : live.values()) {
      if (!held.contains(p.getMetadata().getUid()) && !PoolPods.isDeleting(p)) {
        readable(p, actions).ifPresent(candidates::add);
      }
    }
    List<PoolPod> waiting;
    String reason;
    String message = null;
    if (active) {
      Admission.Rules rules =
          new Admission.Rules(this.pods.series(term.inForce().cardType()), aging(pool), heldCards);
      Admission.Plan admission =
          Admission.plan(capacity, loans.withLoans(ledger), candidates, rules, now);
      ledger.addAll(admission.admitted());
      nodes.putAll(admission.pins());
      loans.lendAndReclaim(
          capacity,
          ledger,
          admission.waiting(),
          rules.series(),
          hold.isPresent()
              ? PoolPlaceholders.held(
                  placeholders,
                  PoolPlaceholders.awaitedRoom(loans.withLoans(ledger), nodes, loans.live(live)))
              : HeldCards.untracked(),
          nodes,
          hold.map(h -> this.pods.poolNodes(h.placement())).orElse(List.of()),
          this.pods::read);
      fragmented = admission.fragmented();
      waiting = admission.waiting();
      reason = CAPACITY_EXCEEDED;
      message = waitMessage(reason, pool.getMetadata().getName());
      if (admission.blockedBy().isPresent()) {
        message +=
            "; pod "
                + admission.blockedBy().get().name()
                + (aging(pool).isZero()
                    ? " is older (strict FIFO) and goes first"
                    : " has waited longer than "
                        + aging(pool).toMinutes()
                        + " minutes and goes first");
      }
      for (Admission.Refused r : admission.refused()) {
        Pod p = live.get(r.pod().uid());
        actions.add(waitOrEvict(p, r.refusal().reason(), r.refusal().message()));
      }
    } else {
      reason =
          switch (term.term().phase()) {
            case Expired -> POOL_EXPIRED;
            case Pending -> POOL_PENDING;
            default -> POOL_RELEASED;
          };
      for (Allocation a : ledger) {
        Pod p = live.get(a.uid());
        if (!PoolPods.isDeleting(p)) {
          actions.add(new PodAction.Evict(p, reason, "the pool is " + term.term().phase()));
        }
      }
      ledger.clear();
      waiting = candidates;
      loans.recall(term.term().phase().name());
    }
    actions.addAll(loans.actions());
    Optional<Instant> nextCheck = term.nextCheck();
    for (Allocation a : ledger) {
      Pod p = live.get(a.uid());
      Instant deadline = a.since().plus(handOverTimeout);
      boolean pinnedUnstarted =
          nodes.containsKey(a.uid()) && PoolPlaceholders.awaitsRoom(p) && !PoolPods.isDeleting(p);
      if (pinnedUnstarted && !now.isBefore(deadline)) {
        actions.add(
            new PodAction.Evict(
                p, HAND_OVER_TIMED_OUT, PoolPlaceholders.timedOutMessage(nodes.remove(a.uid()))));
        continue; // its line forgets the node: the cards it never used are not bound back there
      }
      if (pinnedUnstarted && nextCheck.map(deadline::isBefore).orElse(true)) {
        nextCheck = Optional.of(deadline);
      }
      actions.add(
          new PodAction.Admit(
              p,
              a.since(),
              nodes.get(a.uid()),
              hold.map(h -> this.pods.poolNodes(h.placement())).orElse(List.of())));
    }
    if (message == null) {
      message = waitMessage(reason, pool.getMetadata().getName());
    }
    List<ObjectEvent> events = new ArrayList<>(term.events());
    events.addAll(loans.events());
    nextCheck = loans.nextCheck(nextCheck);
    for (PoolPod w : waiting) {
      Pod p = live.get(w.uid());
      String why = reason;
      String words = message;
      if (fragmented.containsKey(w)) {
        why = POOL_FRAGMENTED;
        words =
            PoolPlaceholders.fragmentedMessage(pool.getMetadata().getName(), w, fragmented.get(w));
        events.add(ObjectEvent.warning("fragmented-" + w.uid(), POOL_FRAGMENTED, words));
      }
      actions.add(waitOrEvict(p, why, words));
    }
    ledger.sort(java.util.Comparator.comparing(Allocation::since).thenComparing(Allocation::pod));
    int freeCards =
        (int) Math.max(0, capacity.minus(Admission.used(loans.withLoans(ledger))).cards());
    Predicate<Pod> seen =
        p -> PoolPlaceholders.mayFreeRoom(p, nodes.get(p.getMetadata().getUid()), priority);
    PlaceholderPlan placeholderPlan =
        PoolPlaceholderPlanner.plan(
            freeCards,
            placeholders,
            PoolPlaceholders.awaitedRoom(loans.withLoans(ledger), nodes, loans.live(live), seen),
            PoolPlaceholders.awaitedRoom(
                loans.withLoans(ledger), nodes, loans.live(live), seen.negate()),
            PoolPlaceholders.returnNodes(dropped, nodes, all));
    if (hold.isEmpty()) {
      placeholderPlan = placeholderPlan.withoutCreations();
    }
    ResidentPoolStatus status = statuses.compose(pool, term, capacity, ledger, waiting, now);
    status.setInstances(
        ledger.stream().map(a -> PoolLedger.instance(a, nodes.get(a.uid()))).toList());
    // Bound placeholders only: the count CapacityHeld's message gives (docs/capacity-holding.md).
    status.setHeldCards(placeholderPlan.held());
    loans.writeTo(status);
    status.setConditions(
        PoolPlaceholders.capacityHeld(
            status.getConditions(), placeholderPlan, hold, refused, pool, now));
    Conditions.capacityHeldChange(
            Conditions.find(
                old == null ? null : old.getConditions(), ResidentPoolConditions.CAPACITY_HELD),
            Conditions.find(status.getConditions(), ResidentPoolConditions.CAPACITY_HELD))
        .ifPresent(events::add);
    for (Refusal r : term.refusals()) {
      events.add(
          ObjectEvent.warning(
              "refused-" + r.reason() + "-" + pool.getMetadata().getGeneration(),
              "SpecChangeRefused",
              r.message()));
    }
    return new PoolPlan(
        status, actions, events, nextCheck, new PoolPlaceholders.Apply(placeholderPlan, hold));
  }

  /**
   * The general guard (docs/resident-pool.md, "A pool the operator cannot process"): a pool whose
   * spec or status the operator cannot compute with is {@code Ready=False}, reason {@code
   * Unprocessable}; its ledger, placeholders and pods are left as they are, and every other pool
   * carries on.
   */
  static PoolPlan unprocessable(ResidentPool pool, RuntimeException cause, Instant now) {
    ResidentPoolStatus status =
        pool.getStatus() == null ? new ResidentPoolStatus() : Serialization.clone(pool.getStatus());
    status.setConditions(
        Conditions.set(
            status.getConditions(),
            ResidentPoolConditions.READY,
            false,
            ResidentPoolConditions.REASON_UNPROCESSABLE,
            "the operator cannot process this pool: " + cause,
            pool.getMetadata().getGeneration(),
            now));
    return new PoolPlan(
        status,
        List.of(),
        List.of(),
        Optional.empty(),
        new PoolPlaceholders.Apply(
            new PlaceholderPlan(Map.of(), Set.of(), 0, 0), Optional.empty()));
  }

  // A pod whose requests cannot be read (an overflowing quantity) is reported, never admitted;
  // it must not run outside the pool, so an ungated one is evicted. Its pool carries on.
  private Optional<PoolPod> readable(Pod p, List<PodAction> actions) {
    try {
      return Optional.of(this.pods.read(p));
    } catch (RuntimeException unreadable) {
      String message = "the pod's resource requests cannot be read: " + unreadable.getMessage();
      actions.add(waitOrEvict(p, INVALID_POD_REQUESTS, message));
      return Optional.empty();
    }
  }

  // A pod the pool does not admit waits behind its gate; one without it (its gate lifted, or a
  // running pod labelled into the pool) must not run outside the pool, so it is evicted
  // (docs/resident-pool.md, "Pods outside every pool").
  private static PodAction waitOrEvict(Pod p, String reason, String message) {
    return PoolPods.isGated(p)
        ? new PodAction.Wait(p, reason, message)
        : new PodAction.Evict(p, reason, "ungated pod outside the pool: " + message);
  }

  /** The pool's placeholders by slot, each with whether it is still as the operator made it. */
  Map<Integer, PlaceholderState> placeholdersOf(ResidentPool pool, Collection<Pod> pods) {
    return PoolPlaceholders.of(pool, pods, placeholderPods);
  }

  // Strict FIFO is an aging bound of zero: the oldest pod that could ever fit goes first.
  private static Duration aging(ResidentPool pool) {
    return pool.getSpec().getAdmissionOrder() == AdmissionOrder.Strict
        ? Duration.ZERO
        : Admission.DEFAULT_AGING;
  }

  private static String waitMessage(String reason, String pool) {
    return switch (reason) {
      case CAPACITY_EXCEEDED ->
          "ResidentPool "
              + pool
              + " has no free cards or disk for this pod; it waits in FIFO order";
      case POOL_EXPIRED -> "ResidentPool " + pool + " has expired; renew it to run this pod";
      case POOL_PENDING ->
          "ResidentPool " + pool + " is not purchased yet (the namespace is overdue)";
      default -> "ResidentPool " + pool + " was released; purchase a new pool";
    };
  }
}
