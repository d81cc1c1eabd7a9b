package io.gpureservation.api.v1alpha1;

/** How a ResidentPool orders waiting pods (docs/resident-pool.md, "Admission"). */
public enum AdmissionOrder {
  /** Best-effort FIFO: smaller pods may pass a waiting one, for at most 5 minutes. */
  Aging,
  /** Strict FIFO: no pod is admitted before an older one that the pool could ever run. */
  Strict
}
