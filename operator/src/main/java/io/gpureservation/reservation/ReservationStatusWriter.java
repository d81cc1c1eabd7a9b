package io.gpureservation.reservation;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a reservation's status with optimistic concurrency: a PUT carrying the resourceVersion the
 * status was composed from. On a conflict it reads the latest object and composes again, so a
 * racing write is never overwritten blindly and nothing is counted twice.
 */
final class ReservationStatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ReservationStatusWriter.class);
  private static final int MAX_ATTEMPTS = 5;

  private final KubernetesClient client;

  ReservationStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Composes and writes the status. Returns the object as stored, or empty when it is gone.
   *
   * @param known the latest object the caller knows (may be stale)
   * @param composer builds the desired status from an object
   * @param accrue write even if only the accrual moved (the coarse accrual timer)
   */
  Optional<CapacityReservation> write(
      CapacityReservation known,
      Function<CapacityReservation, CapacityReservationStatus> composer,
      boolean accrue) {
    CapacityReservation current = known;
    for (int attempt = 1; ; attempt++) {
      CapacityReservationStatus desired = composer.apply(current);
      if (!accrue && sameState(current.getStatus(), desired)) {
        return Optional.of(current);
      }
      CapacityReservation update = copyWithStatus(current, desired);
      try {
        return Optional.of(client.resource(update).updateStatus());
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return Optional.empty();
        }
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        LOG.debug("status conflict on {}, re-reading", current.getMetadata().getName());
        current =
            client
                .resources(CapacityReservation.class)
                .inNamespace(current.getMetadata().getNamespace())
                .withName(current.getMetadata().getName())
                .get();
        if (current == null) {
          return Optional.empty();
        }
      }
    }
  }

  // Accrual and condition timestamps alone never justify a write: the timer handles those.
  private static boolean sameState(CapacityReservationStatus a, CapacityReservationStatus b) {
    if (a == null) {
      return false;
    }
    return Objects.equals(a.getLedger(), b.getLedger())
        && Objects.equals(a.getActive(), b.getActive())
        && Objects.equals(a.getIdle(), b.getIdle())
        && Objects.equals(a.getPhase(), b.getPhase())
        && Objects.equals(a.getLockInEnded(), b.getLockInEnded())
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
