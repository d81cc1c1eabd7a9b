package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.cluster.GpuPods;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Which regions have at least one node, read from a node informer indexed by the region label (no
 * LIST per event). A node that appears in, leaves or changes its region wakes the reservations of
 * that region, so their {@code CapacityHeld} condition follows (docs/capacity-reservation.md
 * "Region").
 */
final class RegionNodes implements Predicate<String> {
  static final String NAME = "region-nodes";
  private static final String BY_REGION = "node-region";

  private volatile InformerEventSource<Node, CapacityReservation> nodes;

  /** Whether some node carries {@code topology.kubernetes.io/region=region}. */
  @Override
  public boolean test(String region) {
    InformerEventSource<Node, CapacityReservation> source = nodes;
    if (source == null) {
      throw new IllegalStateException("the node informer is not registered yet");
    }
    return !source.byIndex(BY_REGION, region).isEmpty();
  }

  /**
   * The node event source of the reservation controller; {@code reservations} lists the cached
   * reservations a node event maps to.
   */
  InformerEventSource<Node, CapacityReservation> eventSource(
      EventSourceContext<CapacityReservation> context,
      Supplier<List<CapacityReservation>> reservations) {
    InformerEventSource<Node, CapacityReservation> source =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, CapacityReservation.class)
                .withName(NAME)
                .withWatchAllNamespaces()
                .withFollowControllerNamespacesChanges(false)
                // Only the region label matters: other node updates (status heartbeats) are
                // dropped.
                .withOnUpdateFilter((now, before) -> !Objects.equals(region(now), region(before)))
                .withItemStore(new TransformingItemStore<>(RegionNodes::pruned))
                .withSecondaryToPrimaryMapper(node -> ofRegion(reservations.get(), region(node)))
                .build(),
            context);
    source.addIndexers(Map.of(BY_REGION, n -> region(n) == null ? List.of() : List.of(region(n))));
    nodes = source;
    return source;
  }

  private static Set<ResourceID> ofRegion(List<CapacityReservation> reservations, String region) {
    if (region == null) {
      return Set.of();
    }
    return reservations.stream()
        .filter(r -> region.equals(r.getSpec().getRegion()))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static String region(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels == null ? null : labels.get(GpuPods.REGION_LABEL);
  }

  // A node's status is large and changes every heartbeat: the cache keeps its name and region.
  private static Node pruned(Node node) {
    ObjectMeta meta = new ObjectMeta();
    meta.setFinalizers(null);
    meta.setManagedFields(null);
    meta.setOwnerReferences(null);
    meta.setName(node.getMetadata().getName());
    meta.setResourceVersion(node.getMetadata().getResourceVersion());
    String region = region(node);
    meta.setLabels(region == null ? Map.of() : Map.of(GpuPods.REGION_LABEL, region));
    Node kept = new Node();
    kept.setMetadata(meta);
    return kept;
  }
}
