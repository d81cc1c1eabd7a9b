package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.matching.PodDef;
import io.gpureservation.core.matching.SlotShape;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Translates Kubernetes pods into what the matching core needs. */
public final class GpuPods {
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
  public static final String REGION_LABEL = "topology.kubernetes.io/region";

  private final List<String> gpuResources;
  private final String cardTypeNodeLabel;
  private final Catalog catalog;
  private final PlaceholderPods placeholders;
  private final NodeCardTypes nodes;

  /** A node's card-type label value by node name (an informer cache); empty when unknown. */
  @FunctionalInterface
  public interface NodeCardTypes {
    NodeCardTypes NONE = node -> Optional.empty();

    Optional<String> cardTypeLabel(String node);
  }

  private final DraGpus dra;

  String cardTypeNodeLabel() {
    return cardTypeNodeLabel;
  }

  List<String> gpuResources() {
    return gpuResources;
  }

  /** Pods read without their nodes: a pod's card type is the one it declares. */
  public GpuPods(OperatorConfig config, Catalog catalog) {
    this(config, catalog, NodeCardTypes.NONE);
  }

  /** Pods read with their nodes: a bound pod's card type is its node's. */
  public GpuPods(OperatorConfig config, Catalog catalog, NodeCardTypes nodes) {
    this.gpuResources = config.gpuResources();
    this.cardTypeNodeLabel = config.cardTypeNodeLabel();
    this.catalog = catalog;
    this.placeholders = PlaceholderPods.of(config);
    this.nodes = nodes;
    this.dra = new DraGpus(new DraDevices(catalog, config.gpuDrivers()));
  }

  /**
   * The pods' GPUs claimed through DRA (docs/capacity-reservation.md "GPUs claimed through DRA").
   */
  public DraGpus dra() {
    return dra;
  }

  /** Placeholders as this operator makes them: how to tell one that was altered. */
  public PlaceholderPods placeholders() {
    return placeholders;
  }

  /**
   * Whether the pod requests any configured GPU resource or has GPU devices allocated through DRA.
   * Malformed pods are not GPU pods.
   */
  public boolean isGpuPod(Pod pod) {
    try {
      return gpuCount(PodRequests.effective(pod)) > 0 || dra.read(pod).cards() > 0;
    } catch (RuntimeException malformed) {
      return false;
    }
  }

  /** The ResidentPools the operator knows, by namespace and name (an informer cache). */
  @FunctionalInterface
  public interface PoolLookup {
    Optional<ResidentPool> pool(String namespace, String name);
  }

  /**
   * Whether the pod names a ResidentPool by its label (whether or not the pool exists): the pod
   * controller keeps such a pod in its cache and reconciles it (pool.PoolNotFound).
   */
  public static boolean namesAPool(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String named = labels == null ? null : labels.get(GpuReservation.RESIDENT_POOL_LABEL);
    return named != null && !named.isBlank();
  }

  /**
   * Whether a ResidentPool bills this pod, so that reservations never match it: the pod names a
   * pool that exists in its namespace, or it is the placeholder the pool made (controlled by the
   * pool's uid, named after it). A label with no value, a pool that does not exist or an owner
   * reference to one make no pod invisible: such a pod is billed like any GPU pod
   * (docs/resident-pool.md, "Pods outside every pool").
   */
  public static boolean belongsToAPool(Pod pod, PoolLookup pools) {
    String namespace = pod.getMetadata().getNamespace();
    Map<String, String> labels = pod.getMetadata().getLabels();
    String named = labels == null ? null : labels.get(GpuReservation.RESIDENT_POOL_LABEL);
    if (named != null && !named.isBlank() && pools.pool(namespace, named).isPresent()) {
      return true;
    }
    if (isPoolBorrower(pod, pools)) {
      return true;
    }
    if (!PlaceholderPods.looksOwnedByAPool(pod)) {
      return false;
    }
    return pod.getMetadata().getOwnerReferences().stream()
        .filter(o -> Boolean.TRUE.equals(o.getController()))
        .flatMap(o -> pools.pool(namespace, o.getName()).stream())
        .anyMatch(pool -> PlaceholderPods.slotOf(pod, pool).isPresent());
  }

  /**
   * Whether the pod is a ResidentPool's borrower (docs/lending.md, "Resident pools"): it waits
   * behind the pool loan gate, or a pool's stored loan lines name its uid and its lending-pool
   * annotation names that pool. The pool bills it; an annotation alone proves nothing.
   */
  static boolean isPoolBorrower(Pod pod, PoolLookup pools) {
    if (pod.getSpec() != null
        && pod.getSpec().getSchedulingGates() != null
        && pod.getSpec().getSchedulingGates().stream()
            .anyMatch(g -> GpuReservation.POOL_LOAN_GATE.equals(g.getName()))) {
      return true;
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String lender =
        annotations == null ? null : annotations.get(GpuReservation.LENDING_POOL_ANNOTATION);
    int slash = lender == null ? -1 : lender.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String uid = pod.getMetadata().getUid();
    return pools
        .pool(lender.substring(0, slash), lender.substring(slash + 1))
        .map(ResidentPool::getStatus)
        .filter(s -> s.getLoans() != null)
        .map(s -> s.getLoans().stream().anyMatch(l -> uid != null && uid.equals(l.getPodUid())))
        .orElse(false);
  }

  /** The pod as the matcher sees it; empty when its resources cannot be read. */
  public Optional<PodDef> toPodDef(Pod pod) {
    Map<String, BigDecimal> requests;
    try {
      requests = PodRequests.effective(pod);
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
    // What the pod got decides its card type: its DRA devices' product, else its node's label
    // (docs/capacity-reservation.md "The node decides the card"); before that, what it declares.
    DraDevices.Reading devices = dra.read(pod);
    Optional<String> declared = cardType(pod);
    Optional<String> got = Optional.ofNullable(devices.cardType()).or(() -> nodeCardType(pod));
    String ignored =
        got.isPresent() && declared.isPresent() && !declared.equals(got) ? declared.get() : null;
    Optional<String> type = devices.reason() != null ? Optional.empty() : got.or(() -> declared);
    SlotShape size =
        type.map(
                t ->
                    new SlotShape(
                        t,
                        (int) Math.min(Integer.MAX_VALUE, gpuCount(requests) + devices.cards()),
                        PodRequests.cpuMillis(requests),
                        PodRequests.whole(requests, PodRequests.MEMORY)))
            .orElse(null);
    Map<String, String> labels = pod.getMetadata().getLabels();
    return Optional.of(
        new PodDef(
            pod.getMetadata().getUid(),
            pod.getMetadata().getName(),
            Pods.createdAt(pod),
            size,
            zone(pod.getSpec()),
            labels == null ? Map.of() : interned(labels),
            PodRequests.isBestEffort(pod),
            lifecycle(pod),
            startedAt(pod),
            region(pod.getSpec()),
            ignored,
            devices.reason()));
  }

  // docs/capacity-reservation.md "The node decides the card": once bound, the node's label names
  // the card, whatever the pod declares. A node the cache does not know yet decides nothing.
  private Optional<String> nodeCardType(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (node == null || node.isEmpty()) {
      return Optional.empty();
    }
    return nodes.cardTypeLabel(node).map(raw -> catalog.canonicalCardType(raw).orElse(raw));
  }

  // The matcher keeps every tracked pod's labels: keys and values repeat across pods.
  private static Map<String, String> interned(Map<String, String> labels) {
    Map<String, String> result = new java.util.HashMap<>(labels.size() * 2);
    labels.forEach((k, v) -> result.put(k.intern(), v == null ? null : v.intern()));
    return result;
  }

  // When the pod was bound: the PodScheduled condition's transition, else the kubelet's startTime.
  public static Instant startedAt(Pod pod) {
    if (pod.getStatus() == null) {
      return null;
    }
    String time = pod.getStatus().getStartTime();
    if (pod.getStatus().getConditions() != null) {
      for (var c : pod.getStatus().getConditions()) {
        if ("PodScheduled".equals(c.getType())
            && "True".equals(c.getStatus())
            && c.getLastTransitionTime() != null) {
          time = c.getLastTransitionTime();
        }
      }
    }
    try {
      return time == null ? null : OffsetDateTime.parse(time).toInstant();
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  public static PodDef.Lifecycle lifecycle(Pod pod) {
    if (Pods.hasEnded(pod)) {
      return PodDef.Lifecycle.ENDED;
    }
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return node == null || node.isEmpty() ? PodDef.Lifecycle.PENDING : PodDef.Lifecycle.STARTED;
  }

  private long gpuCount(Map<String, BigDecimal> requests) {
    return Pods.gpuCount(requests, gpuResources);
  }

  // The declared type: the label wins over the nodeSelector; node-label spellings map through
  // catalog aliases.
  private Optional<String> cardType(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String raw = labels == null ? null : labels.get(GpuReservation.CARD_TYPE_LABEL);
    if (raw == null && pod.getSpec() != null && pod.getSpec().getNodeSelector() != null) {
      raw = pod.getSpec().getNodeSelector().get(cardTypeNodeLabel);
    }
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(catalog.canonicalCardType(raw).orElse(raw));
  }

  static String zone(PodSpec spec) {
    return pinned(spec, ZONE_LABEL);
  }

  /** The region the pod is pinned to (docs/capacity-reservation.md "Region"), or null. */
  static String region(PodSpec spec) {
    return pinned(spec, REGION_LABEL);
  }

  // Pinned by nodeSelector, or by a required node affinity whose every term names one value of
  // the label.
  private static String pinned(PodSpec spec, String label) {
    if (spec == null) {
      return null;
    }
    if (spec.getNodeSelector() != null && spec.getNodeSelector().get(label) != null) {
      return spec.getNodeSelector().get(label);
    }
    if (spec.getAffinity() == null
        || spec.getAffinity().getNodeAffinity() == null
        || spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
            == null) {
      return null;
    }
    String value = null;
    for (NodeSelectorTerm term :
        spec.getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()) {
      String termValue = null;
      for (NodeSelectorRequirement r : term.getMatchExpressions()) {
        if (label.equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues().size() == 1) {
          termValue = r.getValues().get(0);
        }
      }
      if (termValue == null || (value != null && !value.equals(termValue))) {
        return null;
      }
      value = termValue;
    }
    return value;
  }
}
