package io.gpureservation.pool;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.cluster.EventRecorder;
import io.gpureservation.cluster.PlaceholderWriter;
import io.gpureservation.core.holding.PoolPlaceholderPlanner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * One reconciliation of a pool, with its writes in ledger order: Events (deterministic names), then
 * the status (PUT with resourceVersion; on 409 the pool is read again and planned again), then the
 * placeholders (deletions first: a pinned pod's node is freed before the pod is ungated), then the
 * pods. A crash between the status and the pods leaves a ledger (with each pinned pod's node) that
 * the next run projects onto the placeholders and pods again.
 */
final class PoolSync {
  private static final int MAX_ATTEMPTS = 5;

  /** How soon a refused eviction is tried again. */
  static final Duration EVICTION_RETRY = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final Clock clock;
  private final PoolPlanner planner;
  private final EventRecorder events;
  private final PodWriter pods;
  private final PlaceholderWriter placeholders;
  // Why a pool's placeholders were last refused (shown in CapacityHeld); memory only: a restart
  // tries again and finds out again.
  private final Map<String, String> refusals = new ConcurrentHashMap<>();

  PoolSync(KubernetesClient client, Clock clock, PoolPlanner planner, PlaceholderWriter holders) {
    this.client = client;
    this.clock = clock;
    this.planner = planner;
    this.events = new EventRecorder(client, clock);
    this.pods = new PodWriter(client, events, clock);
    this.placeholders = holders;
  }

  /**
   * Reconciles the pool with its pods and placeholders; returns when it next needs a look, if ever.
   * The first plan is made from {@code known} (the controller's cache); only a conflicting status
   * write reads the pool again (docs/performance.md, "Round 20: no read before a write"). {@code
   * stored} is told each status as the API server stored it, so that the next reconcile plans from
   * it even before the informer has it.
   */
  Optional<Instant> sync(
      ResidentPool known,
      Collection<Pod> poolPods,
      Collection<Pod> placeholderPods,
      Borrowers borrowers,
      boolean overdue,
      BiConsumer<ResidentPool, ResidentPool> stored) {
    String namespace = known.getMetadata().getNamespace();
    String name = known.getMetadata().getName();
    String key = namespace + "/" + name;
    for (int attempt = 1; ; attempt++) {
      ResidentPool pool =
          attempt == 1
              ? known
              : client.resources(ResidentPool.class).inNamespace(namespace).withName(name).get();
      if (pool == null || pool.getMetadata().getDeletionTimestamp() != null) {
        return Optional.empty();
      }
      String refused = refusals.get(key);
      PoolPlan plan;
      try {
        plan =
            planner.plan(
                pool, poolPods, placeholderPods, borrowers, refused, overdue, clock.instant());
      } catch (RuntimeException unforeseen) {
        plan = PoolPlanner.unprocessable(pool, unforeseen, clock.instant());
      }
      plan.events().forEach(e -> events.record(pool, e));
      if (!Serialization.asJson(plan.status()).equals(Serialization.asJson(pool.getStatus()))) {
        ResidentPool update = copyWithStatus(pool, plan.status());
        try {
          stored.accept(client.resource(update).updateStatus(), update);
        } catch (KubernetesClientException e) {
          if (e.getCode() == 409 && attempt < MAX_ATTEMPTS) {
            continue;
          }
          throw e;
        }
      }
      PoolPlaceholders.Apply holding = plan.placeholders();
      String problem =
          holding.hold().isEmpty()
              ? placeholders.apply(pool, holding.plan(), null, null)
              : placeholders.apply(
                  pool,
                  holding.plan(),
                  holding.hold().get().shape(),
                  holding.hold().get().placement());
      if (problem == null) {
        refusals.remove(key);
      } else {
        refusals.put(key, problem);
      }
      boolean allDone = true;
      for (PodAction action : plan.podActions()) {
        allDone &= pods.apply(action);
      }
      if (!allDone) {
        // a refused eviction is retried (docs/resident-pool.md, "Pods outside every pool")
        return Optional.of(clock.instant().plus(EVICTION_RETRY));
      }
      // A new refusal, or one cleared, shows in CapacityHeld at the next look.
      return Objects.equals(problem, refused)
          ? plan.nextCheck()
          : Optional.of(clock.instant().plusSeconds(1));
    }
  }

  // The cached pool is never changed in place: a failed write must leave the cache as it was.
  private static ResidentPool copyWithStatus(ResidentPool source, ResidentPoolStatus status) {
    ResidentPool copy = new ResidentPool();
    copy.setMetadata(source.getMetadata());
    copy.setSpec(source.getSpec());
    copy.setStatus(status);
    return copy;
  }

  /** The pool is being deleted: its placeholders go first, so its cards are no longer held. */
  void release(ResidentPool pool, Collection<Pod> placeholderPods) {
    refusals.remove(pool.getMetadata().getNamespace() + "/" + pool.getMetadata().getName());
    placeholders.apply(
        pool,
        PoolPlaceholderPlanner.plan(
            0, planner.placeholdersOf(pool, placeholderPods), Map.of(), Map.of(), List.of()),
        null,
        null);
  }
}
