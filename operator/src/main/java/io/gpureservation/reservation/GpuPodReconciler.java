package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.cluster.GpuPods;
import io.gpureservation.cluster.Pods;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.List;

/**
 * The only writer of a GPU pod's billing annotations. Each reconcile tells the engine what the pod
 * is now, then projects the stored ledger onto the pod. It is woken by the pod's own events, by the
 * engine when the matcher changed the pod's billing, and by {@link StoredLedgers} when a stored
 * ledger line naming the pod changed. No finalizer is ever put on a user's pod: delete events
 * arrive because the controller runs in all-events mode.
 */
@ControllerConfiguration(
    name = GpuPodReconciler.NAME,
    generationAwareEventProcessing = false,
    triggerReconcilerOnAllEvents = true)
public class GpuPodReconciler implements Reconciler<Pod> {
  public static final String NAME = "gpu-pods";

  private final ReservationEngine engine;
  private final PodAnnotator annotator;
  private StoredLedgers ledgers;

  GpuPodReconciler(ReservationEngine engine, PodAnnotator annotator) {
    this.engine = engine;
    this.annotator = annotator;
  }

  @Override
  public List<EventSource<?, Pod>> prepareEventSources(EventSourceContext<Pod> context) {
    ledgers = new StoredLedgers(context, engine);
    SimpleInboundEventSource<Pod> matcherChanges = new SimpleInboundEventSource<>("matcher-pods");
    engine.onPodChanges(matcherChanges::propagateEvent);
    engine.useCaches(new InformerCaches(context.getPrimaryCache(), ledgers));
    return List.of(ledgers, matcherChanges);
  }

  @Override
  public UpdateControl<Pod> reconcile(Pod pod, Context<Pod> context) {
    // A pod that joins a ResidentPool leaves the reservations: the pool bills it from now on.
    if (context.isPrimaryResourceDeleted() || GpuPods.isResidentPoolPod(pod)) {
      engine.podGone(pod);
      return UpdateControl.noUpdate();
    }
    engine.podChanged(pod);
    if (!Pods.hasEnded(pod)) {
      String uid = pod.getMetadata().getUid();
      PodAnnotator.desired(
              engine.billingOf(pod.getMetadata().getNamespace(), uid), ledgers.linesOf(uid))
          .ifPresent(desired -> annotator.apply(pod, desired));
    }
    return UpdateControl.noUpdate();
  }
}
