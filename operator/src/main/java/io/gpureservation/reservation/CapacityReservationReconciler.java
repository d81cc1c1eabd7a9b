package io.gpureservation.reservation;

import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.cluster.PlaceholderWriter;
import io.gpureservation.core.holding.PlaceholderPlan;
import io.gpureservation.core.matching.SlotShape;
import io.gpureservation.core.window.LivePeriods;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The only writer of a reservation's status (its ledger). Each reconcile tells the engine what the
 * reservation is now, then writes the status composed from the matcher once, however many pods
 * changed since the last write. Woken by the reservation's own events, by the engine when the
 * matcher changed its slots, at releaseAt and on the accrual timer. The finalizer lets deletion
 * release the slots' pods first. A node entering or leaving a reservation's region wakes it too.
 */
@ControllerConfiguration(name = CapacityReservationReconciler.NAME)
public class CapacityReservationReconciler
    implements Reconciler<CapacityReservation>, Cleaner<CapacityReservation> {
  static final int CREATIONS_PER_RECONCILE = 64;
  private static final Duration NEXT_CREATIONS = Duration.ofMillis(10);

  public static final String NAME = "capacityreservation";

  // A timer may fire a little early; waking just after the edge finds it crossed.
  private static final Duration EDGE_MARGIN = Duration.ofMillis(5);

  private final ReservationEngine engine;
  private final ReservationShapes shapes;
  private final LedgerWriter writer;
  private final CapacityHolding holding;
  private final PlaceholderWriter placeholders;
  private final Clock clock;
  private final Duration accrualInterval;
  private final RegionNodes regionNodes;

  CapacityReservationReconciler(
      ReservationEngine engine,
      ReservationShapes shapes,
      LedgerWriter writer,
      CapacityHolding holding,
      PlaceholderWriter placeholders,
      Clock clock,
      Duration accrualInterval,
      RegionNodes regionNodes) {
    this.engine = engine;
    this.shapes = shapes;
    this.writer = writer;
    this.holding = holding;
    this.placeholders = placeholders;
    this.clock = clock;
    this.accrualInterval = accrualInterval;
    this.regionNodes = regionNodes;
  }

  @Override
  public List<EventSource<?, CapacityReservation>> prepareEventSources(
      EventSourceContext<CapacityReservation> context) {
    SimpleInboundEventSource<CapacityReservation> matcherChanges =
        new SimpleInboundEventSource<>("matcher-reservations");
    engine.onReservationChanges(matcherChanges::propagateEvent);
    return List.of(matcherChanges, regionNodes.eventSource(context));
  }

  @Override
  public UpdateControl<CapacityReservation> reconcile(
      CapacityReservation reservation, Context<CapacityReservation> context) {
    ReservationShapes.Resolution resolution = shapes.resolve(reservation.getSpec());
    regionNodes.seen(reservation);
    engine.reservationChanged(reservation, resolution);
    boolean moreToCreate = holdCapacity(reservation, resolution);
    writer.write(reservation, resolution, context, accrualDue(reservation));
    return UpdateControl.<CapacityReservation>noUpdate()
        .rescheduleAfter(moreToCreate ? NEXT_CREATIONS : nextLook(reservation, resolution));
  }

  @Override
  public DeleteControl cleanup(
      CapacityReservation reservation, Context<CapacityReservation> context) {
    engine.reservationDeleted(reservation);
    regionNodes.gone(reservation);
    ReservationShapes.Resolution resolution = shapes.resolve(reservation.getSpec());
    holdCapacity(reservation, resolution);
    // Ledger first: the emptied ledger is stored before the finalizer lets the object go.
    writer.write(reservation, resolution, context, false);
    holding.reservationGone(
        reservation.getMetadata().getNamespace(), reservation.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }

  // Placeholders first (the matcher decided which slots are idle), then the status that counts
  // them; at most CREATIONS_PER_RECONCILE creations, so a status write never waits behind
  // thousands of them. Returns whether creations are left for the next reconcile.
  private boolean holdCapacity(
      CapacityReservation reservation, ReservationShapes.Resolution resolution) {
    PlaceholderPlan plan =
        holding.plan(reservation.getMetadata().getNamespace(), reservation.getMetadata().getName());
    String problem = null;
    boolean more = false;
    if (!plan.isSteady()) {
      SlotShape shape = resolution.ok() ? resolution.shape() : null;
      PlaceholderPlan step =
          shape == null ? plan.withoutCreations() : plan.firstCreations(CREATIONS_PER_RECONCILE);
      more = step.create().size() < plan.create().size() && shape != null;
      problem =
          placeholders.apply(
              reservation,
              step,
              shape,
              shape == null ? null : shapes.placement(reservation, shape));
      holding.placeholdersDeleted(
          reservation.getMetadata().getNamespace(),
          reservation.getMetadata().getName(),
          step.delete());
    }
    holding.placeholdersRefused(
        reservation.getMetadata().getNamespace(), reservation.getMetadata().getName(), problem);
    return more;
  }

  private boolean accrualDue(CapacityReservation r) {
    if (r.getStatus() == null
        || r.getStatus().getAccrued() == null
        || r.getStatus().getAccrued().getAccruedUntil() == null) {
      return true;
    }
    Instant last = Instant.parse(r.getStatus().getAccrued().getAccruedUntil());
    return !clock.instant().isBefore(last.plus(accrualInterval));
  }

  // Wakes at the next edge (startAt, a window's edge, releaseAt: docs/time-windows.md) — no
  // polling — or on the accrual timer, whichever comes first.
  private Duration nextLook(CapacityReservation r, ReservationShapes.Resolution resolution) {
    Instant now = clock.instant();
    Duration next = accrualInterval;
    Instant edge =
        resolution.ok()
            ? resolution.periods().nextEdge(now).map(LivePeriods.Edge::at).orElse(null)
            : ReservationShapes.releaseAt(r);
    if (edge != null && now.isBefore(edge)) {
      Duration untilEdge = Duration.between(now, edge).plus(EDGE_MARGIN);
      next = untilEdge.compareTo(next) < 0 ? untilEdge : next;
    }
    // wake at the lock-in's end to record it: the admission policy waits for status.lockInEnded
    Duration current = next;
    return LockIn.remaining(r, now).filter(d -> d.compareTo(current) < 0).orElse(next);
  }
}
