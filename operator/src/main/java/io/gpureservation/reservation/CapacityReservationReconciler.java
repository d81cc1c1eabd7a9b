package io.gpureservation.reservation;

import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * Keeps a reservation's slots in the matcher and its ledger in status; wakes up at releaseAt and on
 * the accrual timer. The finalizer lets deletion release the slots' pods first.
 */
@ControllerConfiguration(name = CapacityReservationReconciler.NAME)
public class CapacityReservationReconciler
    implements Reconciler<CapacityReservation>, Cleaner<CapacityReservation> {
  public static final String NAME = "capacityreservation";

  private final ReservationMatching matching;

  public CapacityReservationReconciler(ReservationMatching matching) {
    this.matching = matching;
  }

  @Override
  public UpdateControl<CapacityReservation> reconcile(
      CapacityReservation reservation, Context<CapacityReservation> context) {
    return UpdateControl.<CapacityReservation>noUpdate()
        .rescheduleAfter(matching.reservationChanged(reservation));
  }

  @Override
  public DeleteControl cleanup(
      CapacityReservation reservation, Context<CapacityReservation> context) {
    matching.reservationDeleted(reservation);
    return DeleteControl.defaultDelete();
  }
}
