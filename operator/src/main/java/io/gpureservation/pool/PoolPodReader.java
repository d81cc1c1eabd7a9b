package io.gpureservation.pool;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.cluster.GpuPods;
import io.gpureservation.cluster.PlaceholderPods;
import io.gpureservation.cluster.PodRequests;
import io.gpureservation.cluster.Pods;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.matching.SlotShape;
import io.gpureservation.core.pool.PodShape;
import io.gpureservation.core.pool.PoolCapacity;
import io.gpureservation.core.pool.PoolPod;
import io.gpureservation.core.pool.SeriesShape;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads pool pods as the admission rules see them (cards, disk, card type, CPU, memory), and the
 * shape of a pool's card series from the catalog.
 */
final class PoolPodReader {
  private final Catalog catalog;
  private final List<String> gpuResources;
  private final String cardTypeNodeLabel;

  PoolPodReader(Catalog catalog, List<String> gpuResources, String cardTypeNodeLabel) {
    this.catalog = catalog;
    this.gpuResources = List.copyOf(gpuResources);
    this.cardTypeNodeLabel = cardTypeNodeLabel;
  }

  /** The pod as the admission rules see it. */
  PoolPod read(Pod pod) {
    Map<String, BigDecimal> requests = PodRequests.effective(pod);
    long cards = Pods.gpuCount(requests, gpuResources);
    long disk = PodRequests.whole(requests, PodRequests.EPHEMERAL_STORAGE);
    PodShape shape =
        new PodShape(
            cardType(pod),
            PodRequests.cpuMillis(requests),
            PodRequests.whole(requests, PodRequests.MEMORY));
    return new PoolPod(
        pod.getMetadata().getUid(),
        pod.getMetadata().getName(),
        PoolPods.functionOf(pod),
        PoolPods.createdAt(pod),
        new PoolCapacity(cards, disk),
        PoolPods.concurrencyOf(pod),
        shape);
  }

  /** The per-card shape of a pool series; empty for a series the catalog does not know. */
  Optional<SeriesShape> series(String cardType) {
    Optional<String> canonical = catalog.residentCardSeries(cardType);
    return canonical.flatMap(
        name ->
            catalog
                .residentCardSeriesSpec(name)
                .map(
                    spec ->
                        new SeriesShape(
                            name,
                            spec.vcpu() * 1000L,
                            spec.memoryGB() * PoolCapacity.GIB,
                            named -> canonical.equals(seriesNamedBy(named)))));
  }

  // A pod names a series ("Ada") or a card type the series sells ("L20", "NVIDIA-L20").
  private Optional<String> seriesNamedBy(String named) {
    return catalog.residentCardSeries(named).or(() -> catalog.residentSeriesOf(named));
  }

  /**
   * Nodes of the pool's card series in its region, as its placeholders select them: pool pods run
   * there only, held or not (docs/capacity-holding.md "Resident pools").
   */
  List<NodeSelectorRequirement> poolNodes(PlaceholderPods.Placement placement) {
    List<NodeSelectorRequirement> result = new ArrayList<>();
    result.add(
        new NodeSelectorRequirementBuilder()
            .withKey(cardTypeNodeLabel)
            .withOperator("In")
            .withValues(placement.cardTypeValues())
            .build());
    if (placement.region() != null) {
      result.add(
          new NodeSelectorRequirementBuilder()
              .withKey(GpuPods.REGION_LABEL)
              .withOperator("In")
              .withValues(placement.region())
              .build());
    }
    return result;
  }

  /**
   * How one free card of the series is held (docs/capacity-holding.md "Resident pools"): a
   * placeholder of 1 card with the series' per-card vCPU and memory, on nodes whose card type the
   * catalog sells as that series ({@code cardTypes.<type>.residentSeries}), by any of the card
   * type's node-label values, in the pool's region ({@code topology.kubernetes.io/region}, as a
   * regional reservation's placeholders). Empty when the catalog has no shape or no card type for
   * the series.
   */
  Optional<PoolPlaceholders.Hold> hold(String series, String region) {
    Optional<SeriesShape> shape = series(series);
    if (shape.isEmpty()) {
      return Optional.empty();
    }
    List<String> values = new ArrayList<>();
    for (String type : catalog.cardTypes()) {
      if (catalog.residentSeriesOf(type).equals(Optional.of(shape.get().series()))) {
        values.addAll(catalog.nodeLabelValues(type));
      }
    }
    if (values.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new PoolPlaceholders.Hold(
            new SlotShape(
                shape.get().series(),
                1,
                shape.get().cpuMillisPerCard(),
                shape.get().memoryBytesPerCard()),
            new PlaceholderPods.Placement(values, null, Map.of(), List.of(), region)));
  }

  // The label wins over the nodeSelector, as for reservation pods.
  private Optional<String> cardType(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String raw = labels == null ? null : labels.get(GpuReservation.CARD_TYPE_LABEL);
    if (raw == null && pod.getSpec() != null && pod.getSpec().getNodeSelector() != null) {
      raw = pod.getSpec().getNodeSelector().get(cardTypeNodeLabel);
    }
    return Optional.ofNullable(raw).filter(s -> !s.isBlank());
  }
}
