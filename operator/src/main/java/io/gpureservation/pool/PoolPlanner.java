package io.gpureservation.pool;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.AdmissionOrder;
import io.gpureservation.api.v1alpha1.CapacityReservationConditions;
import io.gpureservation.api.v1alpha1.PoolFees;
import io.gpureservation.api.v1alpha1.PoolFunctionStatus;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolConditions;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.cluster.Conditions;
import io.gpureservation.cluster.ObjectEvent;
import io.gpureservation.core.holding.PlaceholderPlan;
import io.gpureservation.core.holding.PlaceholderState;
import io.gpureservation.core.holding.PoolPlaceholderPlanner;
import io.gpureservation.core.pool.Admission;
import io.gpureservation.core.pool.Allocation;
import io.gpureservation.core.pool.Fees;
import io.gpureservation.core.pool.FunctionUsage;
import io.gpureservation.core.pool.HeldCards;
import io.gpureservation.core.pool.PoolCapacity;
import io.gpureservation.core.pool.PoolPhase;
import io.gpureservation.core.pool.PoolPod;
import io.gpureservation.core.pool.PoolPricing;
import io.gpureservation.core.pool.Refusal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  private final PoolTermPlanner terms;
  private final PoolPricing pricing;
  private final PoolPodReader pods;

  PoolPlanner(PoolPricing pricing, PoolPodReader pods) {
    this.terms = new PoolTermPlanner(pricing);
    this.pricing = pricing;
    this.pods = pods;
  }

  PoolPlan plan(ResidentPool pool, Collection<Pod> pods, boolean overdue, Instant now) {
    return plan(pool, pods, List.of(), null, overdue, now);
  }

  /**
   * Plans with capacity holding (docs/capacity-holding.md "Resident pools"): the pool's placeholder
   * pods, and why placeholders were last refused (null when they were not).
   */
  PoolPlan plan(
      ResidentPool pool,
      Collection<Pod> pods,
      Collection<Pod> placeholderPods,
      String refused,
      boolean overdue,
      Instant now) {
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
    Map<Integer, PlaceholderState> placeholders = PoolPlaceholders.of(pool, placeholderPods);
    Optional<PoolPlaceholders.Hold> hold = this.pods.hold(term.inForce().cardType());
    HeldCards heldCards =
        hold.isPresent()
            ? PoolPlaceholders.held(placeholders, PoolPlaceholders.awaitedRoom(ledger, nodes, live))
            : HeldCards.untracked();
    Map<PoolPod, Integer> fragmented = Map.of();
    List<PodAction> actions = new ArrayList<>();
    List<PoolPod> candidates = new ArrayList<>();
    Set<String> held = ledger.stream().map(Allocation::uid).collect(Collectors.toSet());
    for (Pod p : live.values()) {
      if (!held.contains(p.getMetadata().getUid()) && !PoolPods.isDeleting(p)) {
        candidates.add(this.pods.read(p));
      }
    }
    List<PoolPod> waiting;
    String reason;
    String message = null;
    if (active) {
      Admission.Rules rules =
          new Admission.Rules(this.pods.series(term.inForce().cardType()), aging(pool), heldCards);
      Admission.Plan admission = Admission.plan(capacity, ledger, candidates, rules, now);
      ledger.addAll(admission.admitted());
      nodes.putAll(admission.pins());
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
        actions.add(new PodAction.Wait(p, r.refusal().reason(), r.refusal().message()));
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
    }
    for (Allocation a : ledger) {
      actions.add(new PodAction.Admit(live.get(a.uid()), a.since(), nodes.get(a.uid())));
    }
    if (message == null) {
      message = waitMessage(reason, pool.getMetadata().getName());
    }
    List<ObjectEvent> events = new ArrayList<>(term.events());
    for (PoolPod w : waiting) {
      Pod p = live.get(w.uid());
      String why = reason;
      String words = message;
      if (fragmented.containsKey(w)) {
        why = POOL_FRAGMENTED;
        words = fragmentedMessage(pool.getMetadata().getName(), w, fragmented.get(w));
        events.add(ObjectEvent.warning("fragmented-" + w.uid(), POOL_FRAGMENTED, words));
      }
      actions.add(
          PoolPods.isGated(p)
              ? new PodAction.Wait(p, why, words)
              : new PodAction.Evict(p, why, "ungated pod outside the pool: " + words));
    }
    ledger.sort(java.util.Comparator.comparing(Allocation::since).thenComparing(Allocation::pod));
    int freeCards = (int) capacity.minus(Admission.used(ledger)).cards();
    PlaceholderPlan placeholderPlan =
        PoolPlaceholderPlanner.plan(
            freeCards,
            placeholders,
            PoolPlaceholders.awaitedRoom(ledger, nodes, live),
            PoolPlaceholders.returnNodes(dropped, nodes, all));
    if (hold.isEmpty()) {
      placeholderPlan = placeholderPlan.withoutCreations();
    }
    ResidentPoolStatus status = status(pool, term, capacity, ledger, waiting, now);
    status.setInstances(
        ledger.stream().map(a -> PoolLedger.instance(a, nodes.get(a.uid()))).toList());
    status.setHeldCards(PoolPlaceholders.heldCards(placeholderPlan, ledger, live));
    status.setConditions(
        capacityHeld(status.getConditions(), placeholderPlan, hold, refused, pool, now));
    for (Refusal r : term.refusals()) {
      events.add(
          ObjectEvent.warning(
              "refused-" + r.reason() + "-" + pool.getMetadata().getGeneration(),
              "SpecChangeRefused",
              r.message()));
    }
    return new PoolPlan(
        status,
        actions,
        events,
        term.nextCheck(),
        new PoolPlaceholders.Apply(placeholderPlan, hold));
  }

  // Strict FIFO is an aging bound of zero: the oldest pod that could ever fit goes first.
  private static Duration aging(ResidentPool pool) {
    return pool.getSpec().getAdmissionOrder() == AdmissionOrder.Strict
        ? Duration.ZERO
        : Admission.DEFAULT_AGING;
  }

  private ResidentPoolStatus status(
      ResidentPool pool,
      PoolTermPlanner.Outcome term,
      PoolCapacity capacity,
      List<Allocation> ledger,
      List<PoolPod> waiting,
      Instant now) {
    ResidentPoolStatus old = pool.getStatus() == null ? new ResidentPoolStatus() : pool.getStatus();
    ResidentPoolStatus s = new ResidentPoolStatus();
    Long generation = pool.getMetadata().getGeneration();
    s.setObservedGeneration(generation);
    PoolLedger.writeTerm(s, term.term());
    s.setInForce(PoolLedger.sizeStatus(term.inForce()));
    PoolCapacity used = Admission.used(ledger);
    s.setCapacity(PoolLedger.resources(capacity));
    s.setAllocated(PoolLedger.resources(used));
    s.setRemaining(PoolLedger.resources(capacity.minus(used)));
    s.setCardUsage(used.cards() + "/" + capacity.cards());
    s.setDiskUsage(PoolLedger.disk(used.diskBytes()) + "/" + PoolLedger.disk(capacity.diskBytes()));
    s.setInstances(ledger.stream().map(PoolLedger::instance).toList());
    s.setWaitingPods(waiting.size());
    s.setFunctions(functions(ledger, waiting));
    s.setFees(fees(term));

    List<Refusal> refusals = term.refusals();
    var conditions = old.getConditions();
    conditions =
        Conditions.set(
            conditions,
            ResidentPoolConditions.READY,
            term.term().phase() == PoolPhase.Active,
            term.term().phase().name(),
            readyMessage(term),
            generation,
            now);
    conditions =
        Conditions.set(
            conditions,
            ResidentPoolConditions.SPEC_APPLIED,
            refusals.isEmpty(),
            refusals.isEmpty() ? ResidentPoolConditions.REASON_APPLIED : refusals.get(0).reason(),
            refusals.isEmpty()
                ? "the spec is in force"
                : refusals.stream().map(Refusal::message).collect(Collectors.joining("; ")),
            generation,
            now);
    conditions =
        Conditions.set(
            conditions,
            ResidentPoolConditions.FEES_COMPUTED,
            term.priceError().isEmpty(),
            term.priceError().isEmpty()
                ? ResidentPoolConditions.REASON_PRICED
                : ResidentPoolConditions.REASON_PRICE_UNAVAILABLE,
            term.priceError().orElse("fees from the billing catalog"),
            generation,
            now);
    s.setConditions(conditions);
    return s;
  }

  private PoolFees fees(PoolTermPlanner.Outcome term) {
    PoolFees fees = new PoolFees();
    fees.setCurrency(pricing.currency());
    fees.setPaid(term.paid().setScale(2, RoundingMode.HALF_UP).toPlainString());
    fees.setTermPaid(term.termPaid().setScale(2, RoundingMode.HALF_UP).toPlainString());
    if (term.priceError().isEmpty()) {
      fees.setMonthly(pricing.subscriptionFee(term.inForce(), 1).toPlainString());
      if (term.term().phase() != PoolPhase.Pending) {
        BigDecimal daily =
            Fees.dailyPrice(
                term.termPaid(), term.term().termStart(), term.term().expiresAt(), pricing);
        fees.setDaily(daily.toPlainString());
      }
    }
    return fees;
  }

  private static List<PoolFunctionStatus> functions(
      List<Allocation> ledger, List<PoolPod> waiting) {
    Map<String, Long> waitingByFunction =
        waiting.stream().collect(Collectors.groupingBy(PoolPod::function, Collectors.counting()));
    List<PoolFunctionStatus> result = new ArrayList<>();
    for (FunctionUsage u : FunctionUsage.of(ledger)) {
      PoolFunctionStatus f = new PoolFunctionStatus();
      f.setName(u.function());
      f.setResidentInstances(u.instances());
      f.setInstanceConcurrency(u.instanceConcurrency());
      f.setMaxConcurrentRequests(u.maxConcurrentRequests());
      f.setCards(u.used().cards());
      f.setDisk(PoolLedger.disk(u.used().diskBytes()));
      f.setWaiting(waitingByFunction.getOrDefault(u.function(), 0L).intValue());
      waitingByFunction.remove(u.function());
      result.add(f);
    }
    waitingByFunction.forEach(
        (name, count) -> {
          PoolFunctionStatus f = new PoolFunctionStatus();
          f.setName(name);
          f.setResidentInstances(0);
          f.setMaxConcurrentRequests(0L);
          f.setWaiting(count.intValue());
          result.add(f);
        });
    result.sort(java.util.Comparator.comparing(PoolFunctionStatus::getName));
    return result;
  }

  // CapacityHeld (docs/capacity-holding.md "Resident pools"): every free card held, or why not.
  private static List<Condition> capacityHeld(
      List<Condition> conditions,
      PlaceholderPlan plan,
      Optional<PoolPlaceholders.Hold> hold,
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
    String message = PoolPlaceholders.message(plan, hold);
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

  private static String fragmentedMessage(String pool, PoolPod pod, int largest) {
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

  private static String readyMessage(PoolTermPlanner.Outcome term) {
    return switch (term.term().phase()) {
      case Active -> "active until " + term.term().expiresAt();
      case Expired ->
          "expired at "
              + term.term().expiresAt()
              + "; renew (increase spec.subscription.renewals) before "
              + term.term().releaseAt();
      case Released -> "released at " + term.term().releaseAt() + "; purchase a new pool";
      case Pending -> "not purchased: " + term.refusals().get(0).message();
    };
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
