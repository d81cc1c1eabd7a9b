package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.gpureservation.api.v1alpha1.GpuReservation;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Shrinks a pod to what matching and annotating read, for the pod informer's cache: identity,
 * labels, the operator's own annotations, the effective requests folded into one container, the
 * card-type, zone and region pins folded into the nodeSelector, the node, the phase and the bind
 * time, and the ResourceClaims it names (a pod that uses claims is kept so even before they hold a
 * GPU). {@link GpuPods} reads the same answers from the pruned pod as from the original (tested),
 * and a pod that is not a GPU pod keeps only its name. docs/performance.md, "Memory", has the
 * figures.
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
    // The model allocates an empty list for every list field; the ones never read are dropped.
    meta.setFinalizers(null);
    meta.setManagedFields(null);
    meta.setOwnerReferences(null);
    meta.setName(pod.getMetadata().getName());
    meta.setNamespace(intern(pod.getMetadata().getNamespace()));
    meta.setUid(pod.getMetadata().getUid());
    pruned.setMetadata(meta);
    // A pod with ResourceClaims may become a GPU pod when the scheduler allocates them; a pod
    // naming a pool is told when its pool does not exist (pool.PoolNotFound).
    if (!gpuPods.isGpuPod(pod) && !DraDevices.usesClaims(pod) && !GpuPods.namesAPool(pod)) {
      return pruned;
    }
    meta.setCreationTimestamp(pod.getMetadata().getCreationTimestamp());
    meta.setDeletionTimestamp(pod.getMetadata().getDeletionTimestamp());
    meta.setLabels(interned(pod.getMetadata().getLabels()));
    meta.setAnnotations(own(pod.getMetadata().getAnnotations()));
    // The controller reference tells a placeholder from a user's pod (PlaceholderPods).
    meta.setOwnerReferences(
        nullIfEmpty(
            pod.getMetadata().getOwnerReferences(), o -> Boolean.TRUE.equals(o.getController())));
    pruned.setSpec(spec(pod));
    pruned.setStatus(status(pod.getStatus()));
    return pruned;
  }

  private Map<String, String> own(Map<String, String> annotations) {
    Map<String, String> result = new HashMap<>(8);
    if (annotations != null) {
      for (String key : annotationKeys) {
        if (annotations.containsKey(key)) {
          result.put(key, intern(annotations.get(key)));
        }
      }
    }
    return result;
  }

  // Label keys and values, phases and quantities repeat across pods: one copy each.
  private static Map<String, String> interned(Map<String, String> labels) {
    if (labels == null) {
      return null;
    }
    Map<String, String> result = new HashMap<>(labels.size() * 2);
    labels.forEach((k, v) -> result.put(intern(k), intern(v)));
    return result;
  }

  // The kept items of a list, or null: no empty list is cached.
  private static <T> List<T> nullIfEmpty(List<T> items, java.util.function.Predicate<T> keep) {
    if (items == null) {
      return null;
    }
    List<T> kept = items.stream().filter(keep).toList();
    return kept.isEmpty() ? null : kept;
  }

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }

  private PodSpec spec(Pod pod) {
    PodSpec original = pod.getSpec();
    PodSpec spec = new PodSpec();
    spec.setEphemeralContainers(null);
    spec.setHostAliases(null);
    spec.setImagePullSecrets(null);
    spec.setInitContainers(null);
    spec.setReadinessGates(null);
    spec.setResourceClaims(nullIfEmpty(original.getResourceClaims(), c -> true));
    spec.setTolerations(null);
    spec.setTopologySpreadConstraints(null);
    spec.setVolumes(null);
    spec.setNodeName(intern(original.getNodeName()));
    // Whether a hand-over can be protected for the pod (Claimants).
    spec.setPriority(original.getPriority());
    spec.setPreemptionPolicy(intern(original.getPreemptionPolicy()));
    // The capacity gate (docs/capacity-holding.md) and the pool's gate (pool.PoolNotFound) are
    // the only gates the pod reconciler reads; a pod that has one keeps its other gates too, so
    // that the patch that lifts it rewrites the list from the cache, without a read first
    // (PodEdit).
    boolean gatedByUs =
        original.getSchedulingGates() != null
            && original.getSchedulingGates().stream()
                .anyMatch(
                    g ->
                        GpuReservation.CAPACITY_GATE.equals(g.getName())
                            || GpuReservation.RESIDENT_POOL_GATE.equals(g.getName()));
    spec.setSchedulingGates(gatedByUs ? List.copyOf(original.getSchedulingGates()) : null);
    Map<String, String> pins = new HashMap<>(4);
    String zone = GpuPods.zone(original);
    if (zone != null) {
      pins.put(GpuPods.ZONE_LABEL, zone);
    }
    String region = GpuPods.region(original);
    if (region != null) {
      pins.put(GpuPods.REGION_LABEL, region);
    }
    if (original.getNodeSelector() != null
        && original.getNodeSelector().containsKey(gpuPods.cardTypeNodeLabel())) {
      pins.put(
          gpuPods.cardTypeNodeLabel(), original.getNodeSelector().get(gpuPods.cardTypeNodeLabel()));
    }
    spec.setNodeSelector(pins);
    // BestEffort is "no CPU or memory anywhere", which the folded requests keep: only positive
    // amounts are copied.
    Map<String, Quantity> requests = new HashMap<>(4);
    Map<String, BigDecimal> effective = PodRequests.effective(pod);
    for (String resource : relevant()) {
      BigDecimal amount = effective.get(resource);
      if (amount != null && amount.signum() > 0) {
        requests.put(intern(resource), new Quantity(intern(amount.toPlainString())));
      }
    }
    Container folded = new Container();
    folded.setArgs(null);
    folded.setCommand(null);
    folded.setEnv(null);
    folded.setEnvFrom(null);
    folded.setPorts(null);
    folded.setResizePolicy(null);
    folded.setRestartPolicyRules(null);
    folded.setVolumeDevices(null);
    folded.setVolumeMounts(null);
    folded.setName("effective-requests");
    ResourceRequirements resources = new ResourceRequirements();
    resources.setClaims(null);
    resources.setLimits(null);
    resources.setRequests(requests);
    folded.setResources(resources);
    spec.setContainers(List.of(folded));
    if (PlaceholderPods.looksOwnedByAHolder(pod)) {
      keepWhatMakesAPlaceholder(original, spec, folded);
    }
    return spec;
  }

  // What PlaceholderPods.isAsBuilt reads (a placeholder changed after its creation is replaced):
  // the one container's image, command and arguments, any other container, the priority class.
  private static void keepWhatMakesAPlaceholder(PodSpec original, PodSpec spec, Container folded) {
    if (original.getContainers() != null && original.getContainers().size() == 1) {
      Container only = original.getContainers().get(0);
      folded.setImage(intern(only.getImage()));
      folded.setCommand(nullIfEmpty(only.getCommand(), c -> true));
      folded.setArgs(nullIfEmpty(only.getArgs(), a -> true));
    } else {
      spec.setContainers(original.getContainers());
    }
    spec.setInitContainers(nullIfEmpty(original.getInitContainers(), c -> true));
    spec.setEphemeralContainers(nullIfEmpty(original.getEphemeralContainers(), c -> true));
    spec.setPriorityClassName(intern(original.getPriorityClassName()));
    spec.setActiveDeadlineSeconds(original.getActiveDeadlineSeconds());
  }

  private List<String> relevant() {
    List<String> resources = new java.util.ArrayList<>(gpuPods.gpuResources());
    resources.add(PodRequests.CPU);
    resources.add(PodRequests.MEMORY);
    return resources;
  }

  private static PodStatus status(PodStatus original) {
    PodStatus status = new PodStatus();
    status.setContainerStatuses(null);
    status.setEphemeralContainerStatuses(null);
    status.setHostIPs(null);
    status.setInitContainerStatuses(null);
    status.setPodIPs(null);
    status.setResourceClaimStatuses(null);
    if (original == null) {
      return status;
    }
    // Which claims are the pod's (DraDevices).
    status.setResourceClaimStatuses(nullIfEmpty(original.getResourceClaimStatuses(), c -> true));
    status.setExtendedResourceClaimStatus(original.getExtendedResourceClaimStatus());
    status.setPhase(intern(original.getPhase()));
    status.setStartTime(original.getStartTime());
    status.setNominatedNodeName(intern(original.getNominatedNodeName()));
    if (original.getConditions() != null) {
      List<PodCondition> scheduled =
          original.getConditions().stream()
              .filter(c -> "PodScheduled".equals(c.getType()))
              .map(
                  c -> {
                    PodCondition kept = new PodCondition();
                    kept.setType(intern(c.getType()));
                    kept.setStatus(intern(c.getStatus()));
                    kept.setReason(intern(c.getReason()));
                    kept.setLastTransitionTime(c.getLastTransitionTime());
                    return kept;
                  })
              .toList();
      status.setConditions(scheduled);
    }
    return status;
  }
}
