package io.gpureservation.pool;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A write to a pool pod, decided by the planner and carried out after the ledger is written. */
sealed interface PodAction {
  Pod pod();

  /**
   * Holds a resident instance: ungate, annotate {@code billing-mode: resident} and since; while
   * still gated, restricted to nodes of the pool's card series in its region ({@code poolNodes},
   * when the catalog names the series) and, with a {@code node}, pinned there (its held cards are
   * there).
   */
  record Admit(Pod pod, Instant since, String node, List<NodeSelectorRequirement> poolNodes)
      implements PodAction {
    Admit(Pod pod, Instant since) {
      this(pod, since, null, List.of());
    }
  }

  /** Keeps waiting behind the gate, annotated with the reason. */
  record Wait(Pod pod, String reason, String message) implements PodAction {}

  /** Runs outside the pool's rules (expired pool, or never admitted): deleted. */
  record Evict(Pod pod, String reason, String message) implements PodAction {}

  /**
   * A borrower handed the pool's free cards on {@code node} (docs/lending.md, "Resident pools"): as
   * {@link Admit}, with the pool's loan gate lifted and {@code billing-mode: borrowed} naming the
   * lending pool {@code lender} ({@code <namespace>/<pool>}).
   */
  record Lend(
      Pod pod, Instant since, String node, List<NodeSelectorRequirement> poolNodes, String lender)
      implements PodAction {}

  /** A borrower no pool lends to now: its loan gate is lifted, it runs as any pod would. */
  record Release(Pod pod, String reason, String message) implements PodAction {}

  /** A borrower whose cards a pool pod takes back: evicted with the pool's grace period. */
  record Reclaim(Pod pod, Duration grace, String message) implements PodAction {}

  /** A borrower still there after its grace period: deleted at once. */
  record DeleteBorrower(Pod pod, String message) implements PodAction {}
}
