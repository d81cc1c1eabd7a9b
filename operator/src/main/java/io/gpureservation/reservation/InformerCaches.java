package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.cluster.GpuPods;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/** The pod controller's informer caches, as the engine reads them. */
final class InformerCaches implements ClusterCaches {
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(5);

  private final IndexerResourceCache<Pod> pods;
  private final StoredLedgers reservations;
  private final GpuPods.PoolLookup pools;
  private final Function<String, Map<String, String>> namespaceLabels;
  private volatile BooleanSupplier synced = () -> false;
  private volatile boolean wasSynced;

  InformerCaches(
      IndexerResourceCache<Pod> pods,
      StoredLedgers reservations,
      GpuPods.PoolLookup pools,
      Function<String, Map<String, String>> namespaceLabels) {
    this.pods = pods;
    this.namespaceLabels = namespaceLabels;
    this.reservations = reservations;
    this.pools = pools;
  }

  /** How to tell that every informer of the pod controller has listed the whole cluster. */
  void syncedWhen(BooleanSupplier synced) {
    this.synced = synced;
  }

  @Override
  public List<CapacityReservation> reservations(String namespace) {
    return reservations.list(namespace).toList();
  }

  @Override
  public List<CapacityReservation> allReservations() {
    return reservations.list().toList();
  }

  @Override
  public List<Pod> pods(String namespace) {
    return pods.list(namespace).toList();
  }

  @Override
  public Map<String, String> namespaceLabels(String namespace) {
    return namespaceLabels.apply(namespace);
  }

  @Override
  public Optional<ResidentPool> pool(String namespace, String name) {
    return pools.pool(namespace, name);
  }

  // Asked on every admission request: once the informers have synced they stay so, and the
  // health indicators are no longer walked.
  @Override
  public boolean synced() {
    if (!wasSynced && synced.getAsBoolean()) {
      wasSynced = true;
    }
    return wasSynced;
  }

  @Override
  public void awaitSynced() {
    Instant deadline = Instant.now().plus(SYNC_TIMEOUT);
    while (!synced()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("pod and reservation informers did not sync");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
