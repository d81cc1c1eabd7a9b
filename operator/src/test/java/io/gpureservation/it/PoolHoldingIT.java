package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.pool.Pools;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A resident pool holds its free cards on nodes (docs/capacity-holding.md "Resident pools"), on the
 * project's cluster with KWOK GPU nodes and the real scheduler: one placeholder per free card, a
 * k-card pod handed k held cards on one node (pinned there), {@code PoolFragmented} when no node
 * holds k, and the cards held again on the node a pod ends on; placeholders pack onto few nodes.
 * The operator runs with the chart's RBAC and webhook configuration, so the pool path is proven
 * with exactly what the chart grants.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoolHoldingIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String POOL = "inference";
  private static final List<String> FULL = List.of("l20-a-1", "l20-a-2");
  private static final List<String> TWO_FREE = List.of("l20-b-1", "l20-b-2");

  private ChartOperator operator;
  private String ns;

  @BeforeEach
  void startOperator() {
    operator = ChartOperator.startWithWebhook(cluster);
    ns = cluster.createNamespace(cluster.namespace() + "-work");
  }

  @AfterEach
  void stopOperator() {
    operator.closeAndUnregisterWebhooks(cluster);
  }

  /** Runs first, on empty L20 nodes, and leaves them empty. */
  @Test
  @Order(1)
  void onEmptyNodesAPoolsCardsArePackedOntoOneNodeSoAFourCardPodRunsThere() {
    createPool(4);
    awaitPool(s -> assertThat(s.getHeldCards()).isEqualTo(4));
    List<String> nodes = placeholders().stream().map(p -> p.getSpec().getNodeName()).toList();
    assertThat(nodes).hasSize(4).containsOnly(nodes.get(0));

    poolPod("big", 4);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod big = pod("big");
              assertThat(big.getStatus().getPhase()).isEqualTo("Running");
              assertThat(big.getSpec().getNodeName()).isEqualTo(nodes.get(0));
              assertThat(placeholders()).isEmpty();
            });

    // Unsubscribing: the pod ends, the pool's placeholders go, the pool is deleted.
    cluster.admin().pods().inNamespace(ns).withName("big").withGracePeriod(0).delete();
    cluster.admin().resources(ResidentPool.class).inNamespace(ns).withName(POOL).delete();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(
                      cluster
                          .admin()
                          .resources(ResidentPool.class)
                          .inNamespace(ns)
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(cluster.admin().pods().inNamespace(ns).list().getItems()).isEmpty();
            });
  }

  @Test
  @Order(2)
  void fourCardsHeldTwoAndTwoRunTwoCardPodsAndMakeAFourCardPodWaitFragmented() {
    // Only two free L20 cards on each of two nodes: the pool's four cards are held 2 + 2.
    String fillers = cluster.createNamespace(cluster.namespace() + "-fill");
    FULL.forEach(node -> filler(fillers, node, 8));
    TWO_FREE.forEach(node -> filler(fillers, node, 6));
    createPool(4);
    awaitPool(
        s -> {
          assertThat(s.getHeldCards()).isEqualTo(4);
          assertThat(condition(s, "CapacityHeld"))
              .returns("True", Condition::getStatus)
              .returns("AllHeld", Condition::getReason)
              .returns("4 of 4 free cards held", Condition::getMessage);
        });
    assertThat(placeholders())
        .extracting(p -> p.getSpec().getNodeName())
        .containsExactlyInAnyOrder("l20-b-1", "l20-b-1", "l20-b-2", "l20-b-2");
    assertThat(cluster.kubectlOk("get", "rpool", "-n", ns))
        .containsPattern("Z\\s+4\\s+0\\s+Active");

    poolPod("big", 4);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod big = pod("big");
              assertThat(big.getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/reason", "PoolFragmented");
              assertThat(big.getSpec().getSchedulingGates())
                  .extracting("name")
                  .contains("gpureservation.io/resident-pool");
              assertThat(
                      cluster.admin().v1().events().inNamespace(ns).list().getItems().stream()
                          .filter(e -> "PoolFragmented".equals(e.getReason()))
                          .filter(e -> POOL.equals(e.getInvolvedObject().getName())))
                  .isNotEmpty();
            });

    poolPod("two-a", 2);
    poolPod("two-b", 2);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(List.of(pod("two-a"), pod("two-b")))
                  .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"))
                  .extracting(p -> p.getSpec().getNodeName())
                  .containsExactlyInAnyOrderElementsOf(TWO_FREE);
              assertThat(placeholders()).isEmpty();
            });
    assertThat(pod("two-a").getMetadata().getAnnotations())
        .containsEntry("gpureservation.io/billing-mode", "resident")
        .containsEntry(
            "gpureservation.io/handover", POOL + "@" + pod("two-a").getSpec().getNodeName());
    awaitPool(
        s -> {
          assertThat(s.getHeldCards()).as("no placeholder left").isZero();
          assertThat(s.getInstances())
              .extracting(i -> i.getNode())
              .containsExactlyInAnyOrderElementsOf(TWO_FREE);
        });
    assertThat(pod("big").getSpec().getNodeName()).isNull();

    // two-a ends: its two cards are held again on its node, at once.
    String left = pod("two-a").getSpec().getNodeName();
    cluster.admin().pods().inNamespace(ns).withName("two-a").withGracePeriod(0).delete();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(placeholders())
                    .hasSize(2)
                    .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(left)));
    awaitPool(
        s -> {
          assertThat(s.getHeldCards()).isEqualTo(2);
          assertThat(s.getCardUsage()).isEqualTo("2/4");
          assertThat(condition(s, "CapacityHeld").getStatus()).isEqualTo("True");
        });
    assertThat(pod("big").getSpec().getSchedulingGates()).isNotEmpty();
  }

  // --- fixtures ---------------------------------------------------------------------------------

  /** An ordinary GPU pod taking {@code cards} L20 cards on {@code node}. */
  private void filler(String namespace, String node, int cards) {
    cluster
        .admin()
        .pods()
        .inNamespace(namespace)
        .resource(
            Workload.smallGpuPod("fill-" + node, cards)
                .editMetadata()
                .withNamespace(namespace)
                .endMetadata()
                .editSpec()
                .addToNodeSelector("kubernetes.io/hostname", node)
                .endSpec()
                .build())
        .create();
    await()
        .atMost(WAIT)
        .until(
            () ->
                "Running"
                    .equals(
                        cluster
                            .admin()
                            .pods()
                            .inNamespace(namespace)
                            .withName("fill-" + node)
                            .get()
                            .getStatus()
                            .getPhase()));
  }

  private void createPool(int cards) {
    ResidentPool pool = Pools.pool(POOL, cards, 10);
    pool.getMetadata().setNamespace(ns);
    pool.getMetadata().setUid(null);
    pool.getMetadata().setGeneration(null);
    cluster.admin().resource(pool).create();
  }

  private void poolPod(String name, int cards) {
    Workload.poolPod(cluster, ns, name, POOL, cards);
  }

  private Pod pod(String name) {
    return cluster.admin().pods().inNamespace(ns).withName(name).get();
  }

  private List<Pod> placeholders() {
    return cluster
        .admin()
        .pods()
        .inNamespace(ns)
        .withLabel("gpureservation.io/placeholder-for", POOL)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static Condition condition(ResidentPoolStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + status));
  }

  private void awaitPool(Consumer<ResidentPoolStatus> check) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ResidentPool live =
                  cluster
                      .admin()
                      .resources(ResidentPool.class)
                      .inNamespace(ns)
                      .withName(POOL)
                      .get();
              assertThat(live.getStatus()).as("status of " + POOL).isNotNull();
              check.accept(live.getStatus());
            });
  }
}
