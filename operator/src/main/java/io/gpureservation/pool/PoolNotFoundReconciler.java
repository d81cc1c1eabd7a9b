package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.RESIDENT_POOL_LABEL;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tells a pool pod whose pool does not exist why it waits: reason {@code PoolNotFound} on the pod
 * and a Warning Event (docs/resident-pool.md, "Pods"). The pod keeps its gate; once the pool is
 * created, the pool's own reconciler admits it or gives its reason. A pod whose gate someone else
 * lifted and that runs is evicted, retried while the API server refuses (docs/resident-pool.md,
 * "Pods outside every pool"). Writes only its pod.
 */
@ControllerConfiguration(
    name = PoolNotFoundReconciler.NAME,
    informer = @Informer(labelSelector = RESIDENT_POOL_LABEL),
    generationAwareEventProcessing = false)
public class PoolNotFoundReconciler implements Reconciler<Pod> {
  public static final String NAME = "resident-pool-not-found";
  static final String POOL_NOT_FOUND = "PoolNotFound";

  private final PodWriter pods;

  PoolNotFoundReconciler(PodWriter pods) {
    this.pods = pods;
  }

  @Override
  public List<EventSource<?, Pod>> prepareEventSources(EventSourceContext<Pod> context) {
    // A pool created or deleted re-examines the pods that name it.
    var pools =
        InformerEventSourceConfiguration.from(ResidentPool.class, Pod.class)
            .withSecondaryToPrimaryMapper(
                (ResidentPool pool) ->
                    context
                        .getPrimaryCache()
                        .list(
                            pool.getMetadata().getNamespace(),
                            p -> PoolPods.poolOf(p).equals(Optional.of(poolName(pool))))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withPrimaryToSecondaryMapper(
                (Pod pod) ->
                    PoolPods.poolOf(pod)
                        .map(p -> Set.of(new ResourceID(p, pod.getMetadata().getNamespace())))
                        .orElse(Set.of()))
            .build();
    return List.of(new InformerEventSource<>(pools, context));
  }

  @Override
  public UpdateControl<Pod> reconcile(Pod pod, Context<Pod> context) {
    if (PoolPods.isTerminal(pod) || PoolPods.isDeleting(pod)) {
      return UpdateControl.noUpdate();
    }
    boolean poolExists =
        context.getSecondaryResource(ResidentPool.class).filter(Objects::nonNull).isPresent();
    if (poolExists) {
      return UpdateControl.noUpdate();
    }
    String pool = PoolPods.poolOf(pod).orElse("");
    String missing =
        "ResidentPool \""
            + pool
            + "\" does not exist in namespace "
            + pod.getMetadata().getNamespace();
    if (PoolPods.isGated(pod)) {
      pods.apply(
          new PodAction.Wait(
              pod,
              POOL_NOT_FOUND,
              missing
                  + "; the pod waits until it is created (check the label "
                  + RESIDENT_POOL_LABEL
                  + ")"));
      return UpdateControl.noUpdate();
    }
    if (!isBound(pod) || pool.isEmpty()) {
      // not running yet (its binding brings it back here), or naming no pool at all: an
      // ordinary GPU pod, billed by the reservation side
      return UpdateControl.noUpdate();
    }
    // Its gate was lifted by someone else: a pool pod must not run outside its pool. Until the
    // eviction goes through, the reservation side bills it pay-as-you-go (a pod of no existing
    // pool is an ordinary GPU pod there: docs/resident-pool.md, "Pods outside every pool").
    boolean evicted =
        pods.evict(
            new PodAction.Evict(
                pod, POOL_NOT_FOUND, missing + ": a pool pod does not run outside its pool"));
    return evicted
        ? UpdateControl.noUpdate()
        : UpdateControl.<Pod>noUpdate().rescheduleAfter(PoolSync.EVICTION_RETRY);
  }

  private static boolean isBound(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getNodeName() != null;
  }

  private static String poolName(ResidentPool pool) {
    return pool.getMetadata().getName();
  }
}
