package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.core.holding.PlaceholderPlan;
import io.gpureservation.core.holding.PlaceholderPlanner;
import io.gpureservation.core.holding.PlaceholderState;
import io.gpureservation.core.matching.Loan;
import io.gpureservation.core.matching.NamespaceMatcher.SlotRef;
import io.gpureservation.core.matching.PodDef;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Capacity holding on top of the engine (docs/capacity-holding.md): placeholder bookkeeping from
 * pod events, the placeholder plan of a reservation, and hand-over decisions for gated pods. Every
 * call runs under the namespace's lock and makes no API call; the reconcilers act on the answers.
 */
final class CapacityHolding {
  private final ReservationEngine engine;
  private final Clock clock;

  CapacityHolding(ReservationEngine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  /** A placeholder of {@code reservation}'s {@code slot} was created, bound or began to go. */
  void placeholderChanged(Pod placeholder, String reservation, int slot) {
    String namespace = placeholder.getMetadata().getNamespace();
    PlaceholderState state = engine.gpuPods().placeholders().stateOf(placeholder);
    engine.change(
        namespace,
        (matcher, tracker) -> {
          tracker.placeholder(reservation, slot, state);
          return null;
        });
    engine.triggerReservation(namespace, reservation);
  }

  /** A placeholder is gone: the reservation re-plans, and a pod promised its slot may go on. */
  void placeholderGone(Pod placeholder, String reservation, int slot) {
    String namespace = placeholder.getMetadata().getNamespace();
    Optional<String> waiting =
        engine.change(
            namespace,
            (matcher, tracker) -> {
              tracker.placeholderGone(reservation, slot);
              return matcher.promisedPod(reservation, slot).map(matcher::podName);
            });
    engine.triggerReservation(namespace, reservation);
    waiting.ifPresent(pod -> engine.triggerPod(namespace, pod));
  }

  /** What the reservation's placeholders should be now; the nodes pods just left are used once. */
  PlaceholderPlan plan(String namespace, String reservation) {
    return engine.change(
        namespace,
        (matcher, tracker) -> {
          Set<Integer> promised = new HashSet<>(matcher.promisedSlots(reservation));
          Set<Integer> seen = new HashSet<>();
          for (int slot : promised) {
            matcher
                .promisedPod(reservation, slot)
                .filter(tracker::isClaimantSeen)
                .ifPresent(uid -> seen.add(slot));
          }
          // A slot lent to a borrower that has not started is handed over the same way: its
          // placeholder goes once the scheduler has seen the borrower (docs/lending.md, "Borrow").
          for (Loan loan : matcher.loans(reservation)) {
            if (!loan.started()) {
              promised.add(loan.slot());
              if (tracker.isClaimantSeen(loan.borrowerUid())) {
                seen.add(loan.slot());
              }
            }
          }
          PlaceholderPlan plan =
              PlaceholderPlanner.plan(
                  matcher.idleSlotIndices(reservation),
                  promised,
                  seen,
                  tracker.placeholders(reservation),
                  tracker.lastNodes(reservation));
          tracker.takeLastNodes(reservation, plan.create().keySet());
          return plan;
        });
  }

  /** The placeholders of these slots were deleted (the plan's deletions, carried out). */
  void placeholdersDeleted(String namespace, String reservation, Set<Integer> slots) {
    if (slots.isEmpty()) {
      return;
    }
    engine.change(
        namespace,
        (matcher, tracker) -> {
          slots.forEach(slot -> tracker.deletionSent(reservation, slot));
          return null;
        });
  }

  /** Why the reservation's last placeholders were refused, or null (shown in CapacityHeld). */
  void placeholdersRefused(String namespace, String reservation, String problem) {
    engine.change(
        namespace,
        (matcher, tracker) -> {
          tracker.refused(reservation, problem);
          return null;
        });
  }

  /** The reservation is gone: what was kept about its placeholders goes too. */
  void reservationGone(String namespace, String reservation) {
    engine.change(
        namespace,
        (matcher, tracker) -> {
          tracker.forgetReservation(reservation);
          return null;
        });
  }

  /**
   * The hand-over step for a gated pending pod (already known to the matcher): a promise of the
   * held slot of the reservation the matching order gives it, and the node its placeholder holds it
   * on. Only a pod whose priority can protect the hand-over ({@code protectable}) is promised
   * anything: another is ungated at once (docs/capacity-holding.md "Why nothing else can take a
   * hand-over's capacity"). A reservation whose placeholders hold the card the other way than the
   * pod gets it ({@code holdsItsWay} false: through DRA or the device plugin) offers it no slot.
   */
  HandOver handOver(
      PodDef pod, String namespace, boolean protectable, Predicate<String> holdsItsWay) {
    return engine.change(
        namespace,
        (matcher, tracker) -> {
          Optional<SlotRef> promised = matcher.promiseOf(pod.uid());
          if (promised.isEmpty() && protectable) {
            promised =
                matcher.promise(
                    pod,
                    (reservation, slot) ->
                        holdsItsWay.test(reservation) && tracker.holds(reservation, slot));
            promised.ifPresent(
                ref ->
                    tracker.handOverNode(
                        pod.uid(), tracker.placeholder(ref.reservation(), ref.slot()).node()));
          }
          if (promised.isEmpty()) {
            return new HandOver.Ungate();
          }
          SlotRef ref = promised.get();
          String node = tracker.handOverNode(pod.uid());
          if (node == null) {
            // Promised before a restart whose placeholder's node is unknown: start over.
            matcher.releasePromise(pod.uid(), clock.instant());
            return new HandOver.Ungate();
          }
          return new HandOver.Pin(ref, node);
        });
  }

  /**
   * The scheduler has tried the pod it was handed a slot for and failed (its placeholder still
   * fills the node): the pod is nominated there now, and the placeholder may go.
   */
  void claimantSeen(String namespace, String podUid) {
    Optional<SlotRef> slot =
        engine.change(
            namespace,
            (matcher, tracker) -> {
              Optional<SlotRef> ref = matcher.promiseOf(podUid);
              if (ref.isPresent() && tracker.claimantSeen(podUid)) {
                return ref;
              }
              return Optional.<SlotRef>empty();
            });
    slot.ifPresent(ref -> engine.triggerReservation(namespace, ref.reservation()));
  }

  /** After a restart: an ungated pod pinned by a hand-over keeps its slot while it starts. */
  void restoreHandOver(PodDef pod, String namespace, SlotRef slot) {
    engine.change(namespace, (matcher, tracker) -> matcher.restorePromise(pod, slot));
  }

  /** The pod did not start in time: its slot gets a placeholder again. */
  void releaseHandOver(String namespace, String podUid) {
    engine.change(
        namespace,
        (matcher, tracker) -> {
          matcher.releasePromise(podUid, clock.instant());
          tracker.handOverDone(podUid);
          return null;
        });
  }

  boolean isPromised(String namespace, String podUid) {
    return engine.change(namespace, (matcher, tracker) -> matcher.promiseOf(podUid).isPresent());
  }
}
