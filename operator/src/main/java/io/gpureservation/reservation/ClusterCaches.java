package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import java.util.List;

/** The informer caches the engine rebuilds a namespace from: no LIST reaches the API server. */
interface ClusterCaches {
  List<CapacityReservation> reservations(String namespace);

  List<CapacityReservation> allReservations();

  List<Pod> pods(String namespace);

  /**
   * Whether both caches hold the whole cluster; before that (while the operator starts) they must
   * not be read outside a reconcile — the webhook and the metrics endpoint ask first.
   */
  default boolean synced() {
    return true;
  }

  /** Blocks until both caches hold the whole cluster (they do before the first reconcile). */
  void awaitSynced();
}
