package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_MODE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_SINCE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.HANDOVER_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.HANDOVER_AT_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.LENDING_POOL_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.MODE_BORROWED;
import static io.gpureservation.api.v1alpha1.GpuReservation.MODE_PAY_AS_YOU_GO;
import static io.gpureservation.api.v1alpha1.GpuReservation.MODE_RESIDENT;
import static io.gpureservation.api.v1alpha1.GpuReservation.POOL_LOAN_GATE;
import static io.gpureservation.api.v1alpha1.GpuReservation.REASON_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.RESIDENT_POOL_GATE;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.cluster.BorrowerEviction;
import io.gpureservation.cluster.Claimants;
import io.gpureservation.cluster.EventRecorder;
import io.gpureservation.cluster.GpuPods;
import io.gpureservation.cluster.NodePin;
import io.gpureservation.cluster.ObjectEvent;
import io.gpureservation.cluster.PodEdit;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out pod actions after the ledger is written. Every write is idempotent: a pod already in
 * the planned state is not written, so repeated reconciliations (and restarts) only repair.
 */
final class PodWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PodWriter.class);

  /** Reason of a pool pod billed pay-as-you-go because its eviction was refused. */
  static final String EVICTION_REFUSED = "EvictionRefused";

  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;

  PodWriter(KubernetesClient client, EventRecorder events, Clock clock) {
    this.client = client;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Carries the action out; false when it must be tried again (an eviction the API server refused,
   * e.g. for a PodDisruptionBudget).
   */
  boolean apply(PodAction action) {
    Pod pod = action.pod();
    if (action instanceof PodAction.Evict evict) {
      if (evict(evict)) {
        return true;
      }
      billWhileRunning(pod, evict.message());
      return false;
    }
    if (action instanceof PodAction.Admit admit) {
      admit(pod, admit);
    } else if (action instanceof PodAction.Lend lend) {
      lend(pod, lend);
    } else if (action instanceof PodAction.Release release) {
      release(pod, release);
    } else if (action instanceof PodAction.Reclaim reclaim) {
      boolean evicted = BorrowerEviction.evict(client, pod, reclaim.grace());
      events.record(
          pod,
          ObjectEvent.warning(
              "reclaimed",
              PoolLoanPlan.RECLAIMED,
              reclaim.message()
                  + (evicted ? "" : " (refused for now: it is deleted after the grace period)")));
      LOG.info("borrower {} evicted: {}", pod.getMetadata().getName(), reclaim.message());
    } else if (action instanceof PodAction.DeleteBorrower delete) {
      events.record(
          pod, ObjectEvent.warning("reclaim-deleted", PoolLoanPlan.DELETED, delete.message()));
      BorrowerEviction.delete(client, pod);
      LOG.info("borrower {} deleted: {}", pod.getMetadata().getName(), delete.message());
    } else if (action instanceof PodAction.Wait wait) {
      if (!wait.reason().equals(annotation(pod, REASON_ANNOTATION))
          || annotation(pod, BILLING_MODE_ANNOTATION) != null
          || annotation(pod, BILLING_SINCE_ANNOTATION) != null) {
        edit(pod, p -> waiting(p, wait.reason()));
        events.record(pod, ObjectEvent.warning(wait.reason(), wait.reason(), wait.message()));
      }
    }
    return true;
  }

  /**
   * Evicts a pod that must not run (the Eviction API honours PodDisruptionBudgets); false when the
   * API server refused it for now.
   */
  boolean evict(PodAction.Evict evict) {
    Pod pod = evict.pod();
    // Not retried: a budget's refusal would hold this reconcile for about 20 s otherwise.
    boolean evicted =
        BorrowerEviction.notRetrying(client)
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .evict();
    if (evicted) {
      events.record(pod, ObjectEvent.warning("evicted", evict.reason(), evict.message()));
      LOG.info("pod {} evicted: {}", pod.getMetadata().getName(), evict.message());
    } else {
      LOG.warn(
          "eviction of pod {} refused for now (disruption budget)", pod.getMetadata().getName());
    }
    return evicted;
  }

  // A pool pod that runs outside its pool and cannot be evicted yet is never free: it is billed
  // pay-as-you-go from its start, with the reason, until an eviction goes through
  // (docs/resident-pool.md, "Pods outside every pool").
  private void billWhileRunning(Pod pod, String why) {
    if (pod.getSpec() == null || pod.getSpec().getNodeName() == null) {
      return; // not running: nothing to bill
    }
    Instant started = GpuPods.startedAt(pod);
    String since = (started == null ? clock.instant() : started).toString();
    if (MODE_PAY_AS_YOU_GO.equals(annotation(pod, BILLING_MODE_ANNOTATION))
        && EVICTION_REFUSED.equals(annotation(pod, REASON_ANNOTATION))) {
      return;
    }
    edit(
        pod,
        p -> {
          Map<String, String> a = annotations(p);
          a.put(BILLING_MODE_ANNOTATION, MODE_PAY_AS_YOU_GO);
          a.put(BILLING_SINCE_ANNOTATION, since);
          a.put(REASON_ANNOTATION, EVICTION_REFUSED);
          return p;
        });
    events.record(
        pod,
        ObjectEvent.warning(
            "eviction-refused",
            EVICTION_REFUSED,
            "the pod must not run outside its pool ("
                + why
                + ") but its eviction was refused (a PodDisruptionBudget?): it is billed"
                + " pay-as-you-go until an eviction, retried, goes through"));
  }

  private void admit(Pod pod, PodAction.Admit admit) {
    String since = admit.since().toString();
    String node = admit.node();
    // Nominated before the gate is lifted: the scheduler then counts the held cards' node as the
    // pod's from its first attempt (docs/capacity-holding.md "Why nothing else can take a
    // hand-over's capacity").
    Pod base = pod;
    if (node != null && PoolPods.isGated(pod) && !Claimants.nominatedTo(pod, node)) {
      base = Claimants.nominate(client, pod, node); // as stored: the edit below builds on it
      if (base == null) {
        return; // the pod is gone
      }
    }
    if (PoolPods.isGated(pod)
        || !MODE_RESIDENT.equals(annotation(pod, BILLING_MODE_ANNOTATION))
        || !since.equals(annotation(pod, BILLING_SINCE_ANNOTATION))
        || annotation(pod, REASON_ANNOTATION) != null) {
      edit(base, p -> admitted(p, since, admit));
      LOG.info(
          "pod {} admitted to its resident pool{}",
          pod.getMetadata().getName(),
          node == null ? "" : ", pinned to node " + node);
    }
  }

  // A borrower is handed its lent cards as a pool pod is admitted: nominated, then pinned,
  // annotated borrowed and ungated in one patch (docs/lending.md, "Resident pools").
  private void lend(Pod pod, PodAction.Lend lend) {
    String since = lend.since().toString();
    Pod base = pod;
    if (Borrowers.isGated(pod) && !Claimants.nominatedTo(pod, lend.node())) {
      base = Claimants.nominate(client, pod, lend.node());
      if (base == null) {
        return; // the pod is gone
      }
    }
    if (Borrowers.isGated(pod)
        || !MODE_BORROWED.equals(annotation(pod, BILLING_MODE_ANNOTATION))
        || !since.equals(annotation(pod, BILLING_SINCE_ANNOTATION))
        || !lend.lender().equals(annotation(pod, LENDING_POOL_ANNOTATION))
        || annotation(pod, REASON_ANNOTATION) != null) {
      edit(base, p -> lent(p, since, lend));
      LOG.info(
          "pod {}/{} borrows {} on node {}",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          lend.lender(),
          lend.node());
    }
  }

  private static Pod lent(Pod p, String since, PodAction.Lend lend) {
    if (Borrowers.isGated(p)) {
      lend.poolNodes().forEach(onNode -> NodePin.require(p, onNode));
      NodePin.pinTo(p, lend.node());
      annotations(p).put(HANDOVER_ANNOTATION, lend.lender() + "@" + lend.node());
      annotations(p).put(HANDOVER_AT_ANNOTATION, since);
      p.getSpec().getSchedulingGates().removeIf(g -> POOL_LOAN_GATE.equals(g.getName()));
    }
    Map<String, String> a = annotations(p);
    a.put(BILLING_MODE_ANNOTATION, MODE_BORROWED);
    a.put(LENDING_POOL_ANNOTATION, lend.lender());
    a.put(BILLING_SINCE_ANNOTATION, since);
    a.remove(REASON_ANNOTATION);
    return p;
  }

  // No pool lends to it: the pool's gate goes, with the reason; what it runs as from then on is
  // its namespace's business (docs/lending.md, "Resident pools").
  private void release(Pod pod, PodAction.Release release) {
    if (!Borrowers.isGated(pod)) {
      return;
    }
    edit(
        pod,
        p -> {
          p.getSpec().getSchedulingGates().removeIf(g -> POOL_LOAN_GATE.equals(g.getName()));
          annotations(p).put(REASON_ANNOTATION, release.reason());
          return p;
        });
    events.record(pod, ObjectEvent.normal("not-lent", release.reason(), release.message()));
  }

  // Built from the pool's pod cache (whole pods), uid and resourceVersion as preconditions: no
  // read before the write (PodEdit); a pod replaced by another of its name is left alone.
  private void edit(Pod pod, UnaryOperator<Pod> change) {
    PodEdit.apply(client, pod, change);
  }

  // The pool's node restriction and the pin are written only while the pod is gated (Kubernetes
  // lets a
  // gated pod's scheduling constraints be narrowed, never an ungated one's), in the patch that
  // lifts the gate.
  private static Pod admitted(Pod p, String since, PodAction.Admit admit) {
    String node = admit.node();
    if (PoolPods.isGated(p)) {
      admit.poolNodes().forEach(onNode -> NodePin.require(p, onNode));
    }
    if (node != null && PoolPods.isGated(p)) {
      NodePin.pinTo(p, node);
      annotations(p).put(HANDOVER_ANNOTATION, PoolPods.poolOf(p).orElse("") + "@" + node);
      annotations(p).put(HANDOVER_AT_ANNOTATION, since);
    }
    if (p.getSpec().getSchedulingGates() != null) {
      p.getSpec().getSchedulingGates().removeIf(g -> RESIDENT_POOL_GATE.equals(g.getName()));
    }
    Map<String, String> a = annotations(p);
    a.put(BILLING_MODE_ANNOTATION, MODE_RESIDENT);
    a.put(BILLING_SINCE_ANNOTATION, since);
    a.remove(REASON_ANNOTATION);
    return p;
  }

  private static Pod waiting(Pod p, String reason) {
    Map<String, String> a = annotations(p);
    a.remove(BILLING_MODE_ANNOTATION);
    a.remove(BILLING_SINCE_ANNOTATION);
    a.put(REASON_ANNOTATION, reason);
    return p;
  }

  private static Map<String, String> annotations(Pod p) {
    if (p.getMetadata().getAnnotations() == null) {
      p.getMetadata().setAnnotations(new HashMap<>());
    }
    return p.getMetadata().getAnnotations();
  }

  private static String annotation(Pod pod, String key) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }
}
