package io.gpureservation.pool;

import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.cluster.ObjectEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one reconciliation of a pool decided: the new status (ledger first), the placeholders and
 * pod writes that follow it, the Events, and when the pool next needs a look.
 */
record PoolPlan(
    ResidentPoolStatus status,
    List<PodAction> podActions,
    List<ObjectEvent> events,
    Optional<Instant> nextCheck,
    PoolPlaceholders.Apply placeholders) {}
