package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/**
 * A claimant is a pod promised held capacity on a node (docs/capacity-holding.md "Why nothing else
 * can take a hand-over's capacity"). kube-scheduler counts a pod nominated to a node there when it
 * places pods of equal or lower priority, and keeps the nomination of a pod that may not preempt
 * after a failed attempt; so a claimant at the placeholders' priority with {@code preemptionPolicy:
 * Never}, nominated to the node, is the only pod that can take what its placeholder frees — once
 * the scheduler has seen it.
 */
public final class Claimants {
  static final String NEVER = "Never";

  private Claimants() {}

  /** Whether a hand-over to the pod can be protected: placeholders' priority or more, Never. */
  public static boolean protectable(Pod pod, int placeholderPriority) {
    Integer priority = pod.getSpec() == null ? null : pod.getSpec().getPriority();
    return priority != null
        && priority >= placeholderPriority
        && NEVER.equals(pod.getSpec().getPreemptionPolicy());
  }

  /**
   * Whether the scheduler has tried the ungated pod and failed ({@code PodScheduled=False, reason
   * Unschedulable}): it then is in the scheduler's nominator, and its placeholder may go.
   */
  public static boolean seenByScheduler(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    return pod.getStatus().getConditions().stream()
        .anyMatch(
            c ->
                "PodScheduled".equals(c.getType())
                    && "False".equals(c.getStatus())
                    && "Unschedulable".equals(c.getReason()));
  }

  /** Whether the pod is nominated to {@code node}. */
  public static boolean nominatedTo(Pod pod, String node) {
    return pod.getStatus() != null && node.equals(pod.getStatus().getNominatedNodeName());
  }

  /**
   * Nominates the pod to {@code node}: a status patch, with the pod's uid as a precondition. A
   * gated pod is not in the scheduler's nominator yet; it enters it with this nomination when its
   * gate is lifted, so this goes first. Returns the pod as stored (whole, with its resourceVersion:
   * the gate patch that follows is built from it), or null when the pod is gone.
   */
  public static Pod nominate(KubernetesClient client, Pod pod, String node) {
    try {
      return PodPatch.patchStatus(
          client,
          pod,
          PatchType.JSON_MERGE,
          Map.of(
              "metadata",
              Map.of("uid", pod.getMetadata().getUid()),
              "status",
              Map.of("nominatedNodeName", node)));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 409) {
        return null;
      }
      throw e;
    }
  }
}
