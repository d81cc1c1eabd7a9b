package io.gpureservation.reservation;

import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A reservation's lock-in period (docs/capacity-reservation.md, "Lock-in"). The API server's
 * admission policy refuses deletion and scale-down while {@code status.lockInEnded} is before
 * {@code spec.lockInUntil}; CEL has no clock, so the operator records the lock-in's end here.
 */
final class LockIn {
  private LockIn() {}

  static Instant until(CapacityReservation r) {
    return ReservationShapes.instant(r.getSpec().getLockInUntil());
  }

  /**
   * {@code status.lockInEnded} at {@code now}: the spec's date once it has come, else as before.
   */
  static String ended(CapacityReservation r, CapacityReservationStatus previous, Instant now) {
    Instant until = until(r);
    if (until != null && !now.isBefore(until)) {
      return r.getSpec().getLockInUntil();
    }
    return previous.getLockInEnded();
  }

  /** How long until the lock-in ends, while it is ahead. */
  static Optional<Duration> remaining(CapacityReservation r, Instant now) {
    Instant until = until(r);
    return until != null && now.isBefore(until)
        ? Optional.of(Duration.between(now, until))
        : Optional.empty();
  }
}
