package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationConditions;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.cluster.Conditions;
import io.gpureservation.cluster.EventRecorder;
import io.gpureservation.cluster.ObjectEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Events about a reservation's lifecycle, as pools have (docs/capacity-reservation.md, "Events"):
 * {@code Expired} when it reaches {@code spec.releaseAt}, {@code Opened} / {@code Closed} when a
 * live period of its time windows begins or ends, {@code ScaledDown} when its quantity is lowered,
 * {@code Released} when it is deleted, and {@code CapacityHeld} / {@code InsufficientCapacity}
 * whenever condition {@code CapacityHeld} changes (docs/capacity-holding.md). Read from the changes
 * of the stored object, apart from the write path; Event names are deterministic, so replicas and
 * restarts record each once.
 */
public final class ReservationEvents implements AutoCloseable {
  private final SharedIndexInformer<CapacityReservation> informer;

  private ReservationEvents(SharedIndexInformer<CapacityReservation> informer) {
    this.informer = informer;
  }

  /** Watches every reservation and records its lifecycle Events. */
  public static ReservationEvents start(KubernetesClient client, Clock clock) {
    EventRecorder recorder = new EventRecorder(client, clock);
    SharedIndexInformer<CapacityReservation> informer =
        client
            .resources(CapacityReservation.class)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(CapacityReservation r) {}

                  @Override
                  public void onUpdate(CapacityReservation before, CapacityReservation after) {
                    between(before, after).forEach(e -> recorder.record(after, e));
                  }

                  @Override
                  public void onDelete(CapacityReservation r, boolean finalStateUnknown) {
                    between(r, null).forEach(e -> recorder.record(r, e));
                  }
                });
    return new ReservationEvents(informer);
  }

  @Override
  public void close() {
    informer.close();
  }

  /** The Events a change from {@code before} to {@code after} (null: deleted) calls for. */
  static List<ObjectEvent> between(CapacityReservation before, CapacityReservation after) {
    List<ObjectEvent> events = new ArrayList<>();
    int held = holders(before);
    if (after == null) {
      events.add(
          ObjectEvent.normal(
              "released",
              "Released",
              "reservation deleted: its "
                  + quantity(before)
                  + " slot(s) are released"
                  + (held > 0 ? "; " + held + " pod(s) holding one return to pay-as-you-go" : "")));
      return events;
    }
    if (!isExpired(before) && isExpired(after)) {
      String at = after.getStatus().getExpiredAt();
      events.add(
          ObjectEvent.warning(
              "expired-" + at,
              "Expired",
              "reservation reached spec.releaseAt ("
                  + at
                  + "): its slots are released"
                  + (held > 0 ? "; " + held + " pod(s) holding one return to pay-as-you-go" : "")));
    }
    Conditions.capacityHeldChange(capacityHeld(before), capacityHeld(after)).ifPresent(events::add);
    if (quantity(after) < quantity(before)) {
      events.add(
          ObjectEvent.normal(
              "scaleddown-" + after.getMetadata().getGeneration(),
              "ScaledDown",
              "quantity "
                  + quantity(before)
                  + " -> "
                  + quantity(after)
                  + ": idle slots are released first, then the newest deductions return to"
                  + " pay-as-you-go"));
    }
    events.addAll(windowEdges(before, after, held));
    return events;
  }

  // docs/time-windows.md: a live period began or ended. The edge crossed is the one the status
  // before it named, so the Event's name is the same for every replica.
  private static List<ObjectEvent> windowEdges(
      CapacityReservation before, CapacityReservation after, int held) {
    String edge = before.getStatus() == null ? null : before.getStatus().getNextEdge();
    if (edge == null || after.getStatus() == null) {
      return List.of();
    }
    boolean opened =
        isPhase(before, CapacityReservationStatus.PHASE_PENDING)
            && isPhase(after, CapacityReservationStatus.PHASE_ACTIVE);
    boolean closed =
        isPhase(before, CapacityReservationStatus.PHASE_ACTIVE)
            && isPhase(after, CapacityReservationStatus.PHASE_PENDING);
    if (!opened && !closed) {
      return List.of();
    }
    String message =
        opened
            ? "live period began at " + edge + ": slots are offered and held again"
            : "live period ended at "
                + edge
                + ": its slots are released until the next window"
                + (held > 0 ? "; " + held + " pod(s) holding one return to pay-as-you-go" : "");
    return List.of(
        ObjectEvent.normal(
            (opened ? "opened-" : "closed-") + edge, opened ? "Opened" : "Closed", message));
  }

  private static boolean isPhase(CapacityReservation r, String phase) {
    return r.getStatus() != null && phase.equals(r.getStatus().getPhase());
  }

  private static Condition capacityHeld(CapacityReservation r) {
    return r.getStatus() == null || r.getStatus().getConditions() == null
        ? null
        : r.getStatus().getConditions().stream()
            .filter(c -> CapacityReservationConditions.CAPACITY_HELD.equals(c.getType()))
            .findFirst()
            .orElse(null);
  }

  private static boolean isExpired(CapacityReservation r) {
    return isPhase(r, CapacityReservationStatus.PHASE_EXPIRED);
  }

  private static int quantity(CapacityReservation r) {
    return r.getSpec() == null || r.getSpec().getQuantity() == null ? 0 : r.getSpec().getQuantity();
  }

  private static int holders(CapacityReservation r) {
    return r.getStatus() == null || r.getStatus().getLedger() == null
        ? 0
        : r.getStatus().getLedger().size();
  }
}
