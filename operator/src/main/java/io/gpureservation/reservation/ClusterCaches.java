package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.ResidentPool;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The informer caches the engine rebuilds a namespace from: no LIST reaches the API server. */
interface ClusterCaches {
  List<CapacityReservation> reservations(String namespace);

  List<CapacityReservation> allReservations();

  List<Pod> pods(String namespace);

  /** The namespace's ResidentPool of that name, if it exists (which pods a pool bills). */
  Optional<ResidentPool> pool(String namespace, String name);

  /**
   * Whether both caches hold the whole cluster; before that (while the operator starts) they must
   * not be read outside a reconcile — the webhook and the metrics endpoint ask first.
   */
  default boolean synced() {
    return true;
  }

  /**
   * The labels of a Namespace (who may borrow is a selector on them, docs/lending.md "The API");
   * empty for a namespace the cache does not hold.
   */
  default Map<String, String> namespaceLabels(String namespace) {
    return Map.of();
  }

  /** Blocks until both caches hold the whole cluster (they do before the first reconcile). */
  void awaitSynced();
}
