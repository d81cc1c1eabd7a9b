package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.RESIDENT_POOL_LABEL;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.cluster.EventRecorder;
import io.gpureservation.cluster.GpuPods;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells a pool pod whose pool does not exist why it waits: reason {@code PoolNotFound} on the pod
 * and a Warning Event (docs/resident-pool.md, "Pods"). The pod keeps its gate; once the pool is
 * created, the pool's own reconciler admits it or gives its reason. A pod whose gate someone else
 * lifted and that runs is evicted, retried while the API server refuses (docs/resident-pool.md,
 * "Pods outside every pool").
 *
 * <p>A step of the GPU pod reconciler, which watches every pod that names a pool and the pools'
 * creation and deletion anyway: so pool-labelled pods are watched once, and one reconciler writes
 * such a pod (docs/architecture.md, "How one pod event travels").
 */
public final class PoolNotFound {
  static final String POOL_NOT_FOUND = "PoolNotFound";

  /**
   * What the step did with a pod naming a missing pool.
   *
   * @param waits the pod waits behind its gate with the reason: its annotations are this step's
   * @param retry when to look again (an eviction the API server refused), or null
   */
  public record Taken(boolean waits, Duration retry) {}

  private final PodWriter pods;

  PoolNotFound(PodWriter pods) {
    this.pods = pods;
  }

  public static PoolNotFound of(KubernetesClient client, Clock clock) {
    return new PoolNotFound(new PodWriter(client, new EventRecorder(client, clock), clock));
  }

  /**
   * Acts on a pod that names a pool which does not exist: a gated pod waits with the reason, a
   * bound one is evicted. Empty when the pod is not such a pod, or is neither gated nor bound (its
   * binding brings it back): the caller treats it as an ordinary pod.
   */
  public Optional<Taken> examine(Pod pod, GpuPods.PoolLookup pools) {
    Optional<String> named = PoolPods.poolOf(pod);
    if (named.isEmpty()
        || PoolPods.isTerminal(pod)
        || PoolPods.isDeleting(pod)
        || pools.pool(pod.getMetadata().getNamespace(), named.get()).isPresent()) {
      return Optional.empty();
    }
    String missing =
        "ResidentPool \""
            + named.get()
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
      return Optional.of(new Taken(true, null));
    }
    if (pod.getSpec() == null || pod.getSpec().getNodeName() == null) {
      return Optional.empty(); // not running yet: its binding brings it back here
    }
    // Its gate was lifted by someone else: a pool pod must not run outside its pool. Until the
    // eviction goes through, the reservation side bills it (a pod of no existing pool is an
    // ordinary GPU pod there: docs/resident-pool.md, "Pods outside every pool").
    boolean evicted =
        pods.evict(
            new PodAction.Evict(
                pod, POOL_NOT_FOUND, missing + ": a pool pod does not run outside its pool"));
    return Optional.of(new Taken(false, evicted ? null : PoolSync.EVICTION_RETRY));
  }
}
