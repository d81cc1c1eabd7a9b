package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.gpureservation.core.catalog.CardSpec;
import io.gpureservation.core.catalog.Catalog;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The test cluster's GPU nodes ({@code controlplane/gpu-nodes.conf}) are machines the catalog
 * sells: each is the 8-card specification of its card type, labelled with one of that card type's
 * aliases, so the operator reads the same card type from a pod pinned to the node as the catalog
 * prices (docs/testing.md "The test cluster").
 */
class ClusterNodesTest {
  record Node(
      String name,
      String card,
      String product,
      String zone,
      String region,
      int gpus,
      String cpu,
      String memory,
      String gpusVia) {

    /** Offers its cards as devices of a ResourceSlice rather than as {@code nvidia.com/gpu}. */
    boolean dra() {
      return gpusVia.equals("dra");
    }
  }

  static List<Node> declaredNodes() throws IOException {
    return Files.readAllLines(RealCluster.repoRoot().resolve("controlplane/gpu-nodes.conf"))
        .stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .map(line -> line.split("\\s+"))
        .map(f -> new Node(f[0], f[1], f[2], f[3], f[4], Integer.parseInt(f[5]), f[6], f[7], f[8]))
        .toList();
  }

  @Test
  void everyNodeIsTheCatalogsEightCardSpecOfItsCardType() throws IOException {
    Catalog catalog = Catalog.defaults();
    List<Node> nodes = declaredNodes();
    assertThat(nodes).isNotEmpty();
    for (Node node : nodes) {
      assertThat(catalog.canonicalCardType(node.product())).as(node.name()).contains(node.card());
      CardSpec spec = catalog.cardSpec(node.card(), node.gpus()).orElseThrow();
      assertThat(node.gpus()).isEqualTo(8);
      assertThat(Quantity.getAmountInBytes(new Quantity(node.cpu())).movePointRight(3).longValue())
          .as(node.name() + " cpu")
          .isEqualTo(spec.cpuMillis());
      assertThat(Quantity.getAmountInBytes(new Quantity(node.memory())).longValueExact())
          .as(node.name() + " memory")
          .isEqualTo(spec.memoryBytes());
    }
  }

  @Test
  void everyNodeOffersItsCardsOneWayAndBothWaysAreThere() throws IOException {
    List<Node> nodes = declaredNodes();
    assertThat(nodes).allSatisfy(n -> assertThat(n.gpusVia()).isIn("device-plugin", "dra"));
    assertThat(nodes).anySatisfy(n -> assertThat(n.dra()).isTrue());
    assertThat(nodes.stream().filter(Node::dra).map(Node::card)).contains("L20");
    assertThat(nodes.stream().filter(n -> !n.dra()).map(Node::card)).contains("L20", "A10");
  }

  @Test
  void nodesSpanAtLeastTwoZonesForEveryCardType() throws IOException {
    var zonesByCard =
        declaredNodes().stream()
            .collect(
                Collectors.groupingBy(
                    Node::card, Collectors.mapping(Node::zone, Collectors.toSet())));
    assertThat(zonesByCard).containsKeys("L20", "A10");
    zonesByCard.forEach((card, zones) -> assertThat(zones).as(card).hasSizeGreaterThanOrEqualTo(2));
  }
}
