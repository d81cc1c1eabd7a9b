package io.gpureservation.reservation;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.cluster.ConflictRetry;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes a reservation's status, composed from the matcher, with {@link ConflictRetry}; nothing is
 * written when only the accrual clock moved (the accrual timer writes that). The stored object is
 * handed to the controller's cache so the next reconcile composes from it, not from an informer
 * copy that has not caught up (which would only cost a conflict and a re-read).
 */
final class LedgerWriter {
  private final KubernetesClient client;
  private final ReservationEngine engine;
  private final ReservationStatusComposer composer;
  private final Clock clock;

  LedgerWriter(
      KubernetesClient client,
      ReservationEngine engine,
      ReservationStatusComposer composer,
      Clock clock) {
    this.client = client;
    this.engine = engine;
    this.composer = composer;
    this.clock = clock;
  }

  void write(
      CapacityReservation known,
      ReservationShapes.Resolution resolution,
      Context<CapacityReservation> context,
      boolean accrue) {
    String namespace = known.getMetadata().getNamespace();
    String name = known.getMetadata().getName();
    ConflictRetry.write(
        known,
        current -> {
          CapacityReservationStatus desired =
              composer.compose(current, resolution, engine.slots(namespace, name), clock.instant());
          return !accrue && sameState(current.getStatus(), desired)
              ? Optional.empty()
              : Optional.of(copyWithStatus(current, desired));
        },
        update -> {
          CapacityReservation stored = client.resource(update).updateStatus();
          context
              .eventSourceRetriever()
              .getControllerEventSource()
              .handleRecentResourceUpdate(ResourceID.fromResource(stored), stored, update);
          return stored;
        },
        current ->
            client
                .resources(CapacityReservation.class)
                .inNamespace(namespace)
                .withName(name)
                .get());
  }

  // Accrual and condition timestamps alone never justify a write: the timer handles those.
  static boolean sameState(CapacityReservationStatus a, CapacityReservationStatus b) {
    if (a == null) {
      return false;
    }
    return Objects.equals(a.getLedger(), b.getLedger())
        && Objects.equals(a.getLoans(), b.getLoans())
        && Objects.equals(a.getActive(), b.getActive())
        && Objects.equals(a.getIdle(), b.getIdle())
        && Objects.equals(a.getHeld(), b.getHeld())
        && Objects.equals(a.getLent(), b.getLent())
        && Objects.equals(a.getPhase(), b.getPhase())
        && Objects.equals(a.getLockInEnded(), b.getLockInEnded())
        && Objects.equals(a.getNextEdge(), b.getNextEdge())
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getSlotCpu(), b.getSlotCpu())
        && Objects.equals(a.getSlotMemory(), b.getSlotMemory())
        && Objects.equals(conditionKey(a), conditionKey(b))
        && a.getAccrued() != null;
  }

  private static String conditionKey(CapacityReservationStatus s) {
    return s.getConditions().stream()
        .map(c -> c.getType() + c.getStatus() + c.getReason() + c.getMessage())
        .reduce("", String::concat);
  }

  private static CapacityReservation copyWithStatus(
      CapacityReservation source, CapacityReservationStatus status) {
    CapacityReservation copy = new CapacityReservation();
    copy.setMetadata(source.getMetadata());
    copy.setSpec(source.getSpec());
    copy.setStatus(status);
    return copy;
  }
}
