package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * Feeds every GPU pod event, deletions included, to the matcher. No finalizer is ever put on a
 * user's pod: delete events arrive because the controller runs in all-events mode.
 */
@ControllerConfiguration(
    name = GpuPodReconciler.NAME,
    generationAwareEventProcessing = false,
    triggerReconcilerOnAllEvents = true)
public class GpuPodReconciler implements Reconciler<Pod> {
  public static final String NAME = "gpu-pods";

  private final ReservationMatching matching;

  public GpuPodReconciler(ReservationMatching matching) {
    this.matching = matching;
  }

  @Override
  public UpdateControl<Pod> reconcile(Pod pod, Context<Pod> context) {
    if (context.isPrimaryResourceDeleted()) {
      matching.podDeleted(pod);
    } else {
      matching.podChanged(pod);
    }
    return UpdateControl.noUpdate();
  }
}
