package io.gpureservation.pool;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.cluster.EventRecorder;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * One reconciliation of a pool, with its writes in ledger order: Events (deterministic names), then
 * the status (PUT with resourceVersion; on 409 the pool is read again and planned again), then the
 * pods. A crash between the status and the pods leaves a ledger that the next run projects onto the
 * pods again.
 */
final class PoolSync {
  private static final int MAX_ATTEMPTS = 5;

  private final KubernetesClient client;
  private final Clock clock;
  private final PoolPlanner planner;
  private final EventRecorder events;
  private final PodWriter pods;

  PoolSync(KubernetesClient client, Clock clock, PoolPlanner planner) {
    this.client = client;
    this.clock = clock;
    this.planner = planner;
    this.events = new EventRecorder(client, clock);
    this.pods = new PodWriter(client, events);
  }

  /** Reconciles the named pool with its pods; returns when it next needs a look, if ever. */
  Optional<Instant> sync(String namespace, String name, Collection<Pod> poolPods, boolean overdue) {
    for (int attempt = 1; ; attempt++) {
      ResidentPool pool =
          client.resources(ResidentPool.class).inNamespace(namespace).withName(name).get();
      if (pool == null || pool.getMetadata().getDeletionTimestamp() != null) {
        return Optional.empty();
      }
      PoolPlan plan = planner.plan(pool, poolPods, overdue, clock.instant());
      plan.events().forEach(e -> events.record(pool, e));
      if (!Serialization.asJson(plan.status()).equals(Serialization.asJson(pool.getStatus()))) {
        pool.setStatus(plan.status());
        try {
          client.resource(pool).updateStatus();
        } catch (KubernetesClientException e) {
          if (e.getCode() == 409 && attempt < MAX_ATTEMPTS) {
            continue;
          }
          throw e;
        }
      }
      plan.podActions().forEach(pods::apply);
      return plan.nextCheck();
    }
  }
}
