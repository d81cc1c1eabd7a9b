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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which regions have at least one node, read from a node informer indexed by the region label (no
 * LIST per event), and each node's card-type label (docs/capacity-reservation.md "The node decides
 * the card"). A node that appears in, leaves or changes its region wakes the reservations of that
 * region that the reservation reconciler has seen, so their {@code CapacityHeld} condition follows
 * (docs/capacity-reservation.md "Region"). The mapping is kept here, not read from another
 * informer's cache, because node events arrive before other informers have started; a reservation
 * not seen yet reads the index on its first reconcile anyway.
 */
final class RegionNodes implements Predicate<String> {
  static final String NAME = "region-nodes";
  private static final String BY_REGION = "node-region";

  private volatile InformerEventSource<Node, CapacityReservation> nodes;
  private final Map<String, Set<ResourceID>> reservationsByRegion = new ConcurrentHashMap<>();
  private final String cardTypeLabel;

  /**
   * @param cardTypeLabel the node label that names a node's card type
   */
  RegionNodes(String cardTypeLabel) {
    this.cardTypeLabel = cardTypeLabel;
  }

  /**
   * The card-type label of a node the informer knows; empty for a node it does not know (yet) or
   * one without the label.
   */
  Optional<String> cardTypeLabel(String node) {
    InformerEventSource<Node, CapacityReservation> source = nodes;
    if (source == null || node == null) {
      return Optional.empty();
    }
    return source
        .get(new ResourceID(node))
        .map(n -> n.getMetadata().getLabels().get(cardTypeLabel))
        .filter(v -> !v.isBlank());
  }

  /** A reservation reconciled: node events of its region wake it (its region is immutable). */
  void seen(CapacityReservation r) {
    String region = r.getSpec().getRegion();
    if (region != null) {
      reservationsByRegion
          .computeIfAbsent(region, k -> ConcurrentHashMap.newKeySet())
          .add(ResourceID.fromResource(r));
    }
  }

  /** A reservation deleted. */
  void gone(CapacityReservation r) {
    String region = r.getSpec().getRegion();
    if (region != null) {
      reservationsByRegion.getOrDefault(region, Set.of()).remove(ResourceID.fromResource(r));
    }
  }

  /** Whether some node carries {@code topology.kubernetes.io/region=region}. */
  @Override
  public boolean test(String region) {
    InformerEventSource<Node, CapacityReservation> source = nodes;
    if (source == null) {
      throw new IllegalStateException("the node informer is not registered yet");
    }
    return !source.byIndex(BY_REGION, region).isEmpty();
  }

  /** The node event source of the reservation controller. */
  InformerEventSource<Node, CapacityReservation> eventSource(
      EventSourceContext<CapacityReservation> context) {
    InformerEventSource<Node, CapacityReservation> source =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, CapacityReservation.class)
                .withName(NAME)
                .withWatchAllNamespaces()
                .withFollowControllerNamespacesChanges(false)
                // Only the region and card-type labels matter: other node updates (status
                // heartbeats) are dropped.
                .withOnUpdateFilter(
                    (now, before) ->
                        !Objects.equals(region(now), region(before))
                            || !Objects.equals(
                                label(now, cardTypeLabel), label(before, cardTypeLabel)))
                .withItemStore(new TransformingItemStore<>(this::pruned))
                .withSecondaryToPrimaryMapper(node -> ofRegion(region(node)))
                .build(),
            context);
    source.addIndexers(Map.of(BY_REGION, n -> region(n) == null ? List.of() : List.of(region(n))));
    nodes = source;
    return source;
  }

  private Set<ResourceID> ofRegion(String region) {
    return region == null
        ? Set.of()
        : Set.copyOf(reservationsByRegion.getOrDefault(region, Set.of()));
  }

  private static String region(Node node) {
    return label(node, GpuPods.REGION_LABEL);
  }

  private static String label(Node node, String key) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  // A node's status is large and changes every heartbeat: the cache keeps its name, region and
  // card-type label.
  private Node pruned(Node node) {
    ObjectMeta meta = new ObjectMeta();
    meta.setFinalizers(null);
    meta.setManagedFields(null);
    meta.setOwnerReferences(null);
    meta.setName(node.getMetadata().getName());
    meta.setResourceVersion(node.getMetadata().getResourceVersion());
    Map<String, String> labels = new java.util.HashMap<>(2);
    String region = region(node);
    String cardType = label(node, cardTypeLabel);
    if (region != null) {
      labels.put(GpuPods.REGION_LABEL, region);
    }
    if (cardType != null) {
      labels.put(cardTypeLabel, cardType);
    }
    meta.setLabels(labels);
    Node kept = new Node();
    kept.setMetadata(meta);
    return kept;
  }
}
