package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpureservation.api.v1alpha1.GpuReservation;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Shrinks a pod to what matching and annotating read, for the pod informer's cache: identity,
 * labels, the operator's own annotations, the effective requests folded into one container, the
 * card-type and zone pins folded into the nodeSelector, the node, the phase and the bind time.
 * {@link GpuPods} reads the same answers from the pruned pod as from the original (tested), and a
 * pod that is not a GPU pod keeps only its name. docs/performance.md, "Memory", has the figures.
 */
public final class PrunedPods implements UnaryOperator<Pod> {
  private final GpuPods gpuPods;
  private final List<String> annotationKeys;

  /**
   * @param annotationKeys the annotations to keep (the operator's own)
   */
  public PrunedPods(GpuPods gpuPods, List<String> annotationKeys) {
    this.gpuPods = gpuPods;
    this.annotationKeys = List.copyOf(annotationKeys);
  }

  @Override
  public Pod apply(Pod pod) {
    Pod pruned = new Pod();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(pod.getMetadata().getName());
    meta.setNamespace(pod.getMetadata().getNamespace());
    meta.setUid(pod.getMetadata().getUid());
    pruned.setMetadata(meta);
    if (!gpuPods.isGpuPod(pod)) {
      return pruned;
    }
    meta.setCreationTimestamp(pod.getMetadata().getCreationTimestamp());
    meta.setDeletionTimestamp(pod.getMetadata().getDeletionTimestamp());
    meta.setLabels(pod.getMetadata().getLabels());
    meta.setAnnotations(own(pod.getMetadata().getAnnotations()));
    // The controller reference tells a placeholder from a user's pod (PlaceholderPods).
    if (pod.getMetadata().getOwnerReferences() != null) {
      meta.setOwnerReferences(
          pod.getMetadata().getOwnerReferences().stream()
              .filter(o -> Boolean.TRUE.equals(o.getController()))
              .toList());
    }
    pruned.setSpec(spec(pod));
    pruned.setStatus(status(pod.getStatus()));
    return pruned;
  }

  private Map<String, String> own(Map<String, String> annotations) {
    Map<String, String> result = new HashMap<>();
    if (annotations != null) {
      for (String key : annotationKeys) {
        if (annotations.containsKey(key)) {
          result.put(key, annotations.get(key));
        }
      }
    }
    return result;
  }

  private PodSpec spec(Pod pod) {
    PodSpec original = pod.getSpec();
    PodSpec spec = new PodSpec();
    spec.setNodeName(original.getNodeName());
    if (original.getSchedulingGates() != null) {
      spec.setSchedulingGates(
          original.getSchedulingGates().stream()
              .filter(g -> GpuReservation.CAPACITY_GATE.equals(g.getName()))
              .toList());
    }
    Map<String, String> pins = new HashMap<>();
    String zone = GpuPods.zone(original);
    if (zone != null) {
      pins.put(GpuPods.ZONE_LABEL, zone);
    }
    if (original.getNodeSelector() != null
        && original.getNodeSelector().containsKey(gpuPods.cardTypeNodeLabel())) {
      pins.put(
          gpuPods.cardTypeNodeLabel(), original.getNodeSelector().get(gpuPods.cardTypeNodeLabel()));
    }
    spec.setNodeSelector(pins);
    // BestEffort is "no CPU or memory anywhere", which the folded requests keep: only positive
    // amounts are copied.
    Map<String, Quantity> requests = new TreeMap<>();
    Map<String, BigDecimal> effective = PodRequests.effective(pod);
    for (String resource : relevant()) {
      BigDecimal amount = effective.get(resource);
      if (amount != null && amount.signum() > 0) {
        requests.put(resource, new Quantity(amount.toPlainString()));
      }
    }
    spec.setContainers(
        List.of(
            new ContainerBuilder()
                .withName("effective-requests")
                .withNewResources()
                .withRequests(requests)
                .endResources()
                .build()));
    return spec;
  }

  private List<String> relevant() {
    List<String> resources = new java.util.ArrayList<>(gpuPods.gpuResources());
    resources.add(PodRequests.CPU);
    resources.add(PodRequests.MEMORY);
    return resources;
  }

  private static PodStatus status(PodStatus original) {
    PodStatus status = new PodStatus();
    if (original == null) {
      return status;
    }
    status.setPhase(original.getPhase());
    status.setStartTime(original.getStartTime());
    if (original.getConditions() != null) {
      List<PodCondition> scheduled =
          original.getConditions().stream()
              .filter(c -> "PodScheduled".equals(c.getType()))
              .map(
                  c -> {
                    PodCondition kept = new PodCondition();
                    kept.setType(c.getType());
                    kept.setStatus(c.getStatus());
                    kept.setLastTransitionTime(c.getLastTransitionTime());
                    return kept;
                  })
              .toList();
      status.setConditions(scheduled);
    }
    return status;
  }
}
