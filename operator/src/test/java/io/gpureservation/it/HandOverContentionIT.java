package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.pool.Pools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hand-over nobody can take (docs/capacity-holding.md "Why nothing else can take a hand-over's
 * capacity"), on the project's cluster with the real kube-scheduler: a reservation holds every L20
 * card of a node in a zone of its own, and while pods of another namespace at equal priority (a
 * class that may preempt) and at priority 0, and another reservation's unheld placeholders, all
 * wait for an L20 card of that zone, pods of the reservation are handed its slots one after
 * another. Every hand-over must end with the pod Running on the held node and billed reserved, and
 * no waiting pod or placeholder bound: none lost. The time from creation to Running is printed
 * (docs/performance.md "Hand-over"); it is never asserted.
 */
class HandOverContentionIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final int SLOTS = 12;
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String EQUAL_PRIORITY = "handover-contention-equal";

  private ChartOperator operator;
  private String ns;
  private String zone;
  private String node;

  @BeforeEach
  void startOperator() {
    operator = ChartOperator.startWithWebhook(cluster);
    ns = cluster.createNamespace(cluster.namespace() + "-work");
    zone = "zone-" + cluster.namespace().substring(3);
    node = "l20-" + zone;
    // Only this node has L20 cards in the zone: a reservation of 12 one-card slots fills it.
    cluster.addNode(node, "L20", zone, SLOTS, "256", "2000Gi");
  }

  @AfterEach
  void stopOperator() {
    operator.closeAndUnregisterWebhooks(cluster);
    cluster.removeNode(node);
  }

  @Test
  void handOversWithNothingWaiting() {
    List<Duration> times = handOvers(() -> {});
    report("without contention", times);
  }

  @Test
  void noWaitingPodOrPlaceholderTakesAHandOversCard() {
    equalPriorityClass();
    String rivals = cluster.createNamespace(cluster.namespace() + "-rival");
    String tenant = cluster.createNamespace(cluster.namespace() + "-tenant");
    List<Duration> times =
        handOvers(
            () -> {
              reservation(rivals, "rival", 3);
              for (int i = 0; i < 3; i++) {
                create(tenant, "equal-" + i, EQUAL_PRIORITY);
                create(tenant, "ordinary-" + i, null);
              }
              await()
                  .atMost(WAIT)
                  .until(() -> pods(rivals).size() == 3 && pods(tenant).size() == 6);
              assertThat(names(pods(rivals), true)).as("rival placeholders bound").isEmpty();
            });
    report("with 3 equal-priority pods, 3 ordinary pods, 3 placeholders waiting", times);
    assertThat(names(pods(rivals), true)).as("the rival's placeholders bound").isEmpty();
    assertThat(names(pods(tenant), true)).as("the other tenant's pods bound").isEmpty();

    // Contention gone, the pods end: every slot is held again on the node.
    cluster.admin().pods().inNamespace(tenant).delete();
    cluster
        .admin()
        .genericKubernetesResources("gpureservation.io/v1alpha1", "CapacityReservation")
        .inNamespace(rivals)
        .withName("rival")
        .delete();
    await().atMost(WAIT).until(() -> pods(rivals).isEmpty() && pods(tenant).isEmpty());
    cluster.admin().pods().inNamespace(ns).withLabel("handover", "claimant").delete();
    awaitHeld(SLOTS);
  }

  /**
   * The same for a resident pool (docs/capacity-holding.md "Resident pools"): a pool of Ada cards
   * holds every card of the only L20 node of its region; pods of another namespace at equal and
   * lower priority, another reservation's and another pool's unheld placeholders and that pool's
   * admitted pods all wait for an L20 card of the region, while an A10 node of the region has room.
   * Every pool pod runs on the held node, HELD always equals the bound placeholders, and no pool
   * pod runs on the A10 node.
   */
  @Test
  void noWaitingPodOrPlaceholderTakesAPoolHandOversCard_andNoPoolPodRunsOnAnotherCardType() {
    equalPriorityClass();
    String region = "cn-beijing";
    String poolNode = "l20-" + region;
    String a10Node = "a10-" + region;
    cluster.addNode(poolNode, "L20", region + "-a", region, SLOTS, "256", "2000Gi");
    cluster.addNode(a10Node, "A10", region + "-a", region, 8, "128", "480Gi");
    try {
      String owner = cluster.createNamespace(cluster.namespace() + "-pool");
      String rivals = cluster.createNamespace(cluster.namespace() + "-rival");
      String tenant = cluster.createNamespace(cluster.namespace() + "-tenant");
      pool(owner, "serving", SLOTS, region);
      awaitPoolHeld(owner, "serving", SLOTS);
      awaitWebhookGates(
          Workload.smallGpuPod("probe", 1)
              .editMetadata()
              .withNamespace(owner)
              .addToLabels("gpureservation.io/resident-pool", "serving")
              .endMetadata()
              .build());

      Workload.l20Slots(cluster, rivals, "rival", 2, "region", region);
      pool(rivals, "rival-pool", 3, region);
      Map<String, String> inRegion = Map.of("topology.kubernetes.io/region", region);
      for (int i = 0; i < 3; i++) {
        create(tenant, "equal-" + i, EQUAL_PRIORITY, inRegion);
        create(tenant, "ordinary-" + i, null, inRegion);
      }
      for (int i = 0; i < 2; i++) {
        Workload.poolPod(cluster, rivals, "rival-pool-pod-" + i, "rival-pool", 1);
      }
      // The rival pool admits its pods unpinned (it holds nothing): they wait for an L20 card.
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(pods(rivals))
                      .filteredOn(p -> p.getMetadata().getName().startsWith("rival-pool-pod-"))
                      .allMatch(p -> p.getSpec().getSchedulingGates().isEmpty()));
      await().atMost(WAIT).until(() -> pods(rivals).size() >= 4 && pods(tenant).size() == 6);

      List<Duration> times = new ArrayList<>();
      for (int i = 0; i < SLOTS; i++) {
        String name = "pool-pod-" + i;
        long created = System.nanoTime();
        Pod pod = Workload.poolPod(cluster, owner, name, "serving", 1);
        assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("gpu-reservation-claimant");
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> "Running".equals(phase(owner, name)));
        times.add(Duration.ofNanos(System.nanoTime() - created));
        Pod running = cluster.admin().pods().inNamespace(owner).withName(name).get();
        assertThat(running.getSpec().getNodeName())
            .as("%s on the held node", name)
            .isEqualTo(poolNode);
        assertThat(running.getMetadata().getAnnotations())
            .containsEntry("gpureservation.io/billing-mode", "resident");
        awaitPoolHeld(owner, "serving", SLOTS - i - 1);
      }
      report("of a pool with 3 + 3 pods, 2 + 3 placeholders, 2 pool pods waiting", times);
      assertThat(names(pods(rivals), true)).as("the rivals' pods and placeholders bound").isEmpty();
      assertThat(names(pods(tenant), true)).as("the other tenant's pods bound").isEmpty();
      assertThat(
              cluster
                  .admin()
                  .pods()
                  .inAnyNamespace()
                  .withField("spec.nodeName", a10Node)
                  .list()
                  .getItems())
          .as("pods on the A10 node")
          .isEmpty();
    } finally {
      cluster.removeNode(poolNode);
      cluster.removeNode(a10Node);
    }
  }

  private void equalPriorityClass() {
    cluster
        .admin()
        .resource(
            new PriorityClassBuilder()
                .withNewMetadata()
                .withName(EQUAL_PRIORITY)
                .endMetadata()
                .withValue(1000000)
                .withPreemptionPolicy("PreemptLowerPriority")
                .build())
        .serverSideApply();
  }

  private void pool(String namespace, String name, int cards, String region) {
    ResidentPool pool = Pools.pool(name, cards, 10);
    pool.getMetadata().setNamespace(namespace);
    pool.getMetadata().setUid(null);
    pool.getMetadata().setGeneration(null);
    pool.getSpec().setRegion(region);
    cluster.admin().resource(pool).create();
  }

  // HELD as the pool says, and as many bound placeholders of the pool that are not being deleted.
  private void awaitPoolHeld(String namespace, String name, int held) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ResidentPool pool =
                  cluster
                      .admin()
                      .resources(ResidentPool.class)
                      .inNamespace(namespace)
                      .withName(name)
                      .get();
              assertThat(pool.getStatus()).isNotNull();
              assertThat(pool.getStatus().getHeldCards()).as("HELD").isEqualTo(held);
              long bound =
                  cluster
                      .admin()
                      .pods()
                      .inNamespace(namespace)
                      .withLabel("gpureservation.io/placeholder-for", name)
                      .list()
                      .getItems()
                      .stream()
                      .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                      .filter(p -> p.getSpec().getNodeName() != null)
                      .count();
              assertThat(bound).as("bound placeholders").isEqualTo(held);
            });
  }

  // Once the reservation holds the node, contention starts; then SLOTS hand-overs one after
  // another, each pod keeping its slot. Returns the creation → Running times.
  private List<Duration> handOvers(Runnable contention) {
    reservation(ns, "serving", SLOTS);
    awaitHeld(SLOTS);
    awaitWebhookGates(pod(ns, "probe", null, Map.of("topology.kubernetes.io/zone", zone)));
    contention.run();
    List<Duration> times = new ArrayList<>();
    for (int i = 0; i < SLOTS; i++) {
      String name = "claimant-" + i;
      long created = System.nanoTime();
      Pod pod = create(ns, name, null);
      assertThat(pod.getSpec().getSchedulingGates()).as("%s gated", name).isNotEmpty();
      assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("gpu-reservation-claimant");
      assertThat(pod.getSpec().getPreemptionPolicy()).isEqualTo("Never");
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> "Running".equals(phase(ns, name)));
      times.add(Duration.ofNanos(System.nanoTime() - created));
      Pod running = cluster.admin().pods().inNamespace(ns).withName(name).get();
      assertThat(running.getSpec().getNodeName()).as("%s on the held node", name).isEqualTo(node);
      int handed = i + 1;
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(
                        cluster
                            .admin()
                            .pods()
                            .inNamespace(ns)
                            .withName(name)
                            .get()
                            .getMetadata()
                            .getAnnotations())
                    .containsEntry("gpureservation.io/billing-mode", "reserved");
                Map<String, Object> s = ReservationStatus.read(cluster, ns, "serving");
                assertThat(s.get("active")).isEqualTo(handed);
                assertThat(s.get("held")).as("idle slots held").isEqualTo(SLOTS - handed);
              });
    }
    return times;
  }

  private void report(String what, List<Duration> times) {
    List<Long> millis = new ArrayList<>(times.stream().map(Duration::toMillis).toList());
    Collections.sort(millis);
    System.out.printf(
        "hand-over %s: %d pods, creation to Running p50 %d ms, p99 %d ms, max %d ms%n",
        what,
        millis.size(),
        millis.get((millis.size() - 1) / 2),
        millis.get((int) Math.ceil(millis.size() * 0.99) - 1),
        millis.get(millis.size() - 1));
  }

  private void reservation(String namespace, String name, int quantity) {
    Workload.l20Slots(cluster, namespace, name, quantity, "zone", zone);
  }

  private void awaitHeld(int held) {
    ReservationStatus.await(cluster, ns, "serving", s -> assertThat(s.get("held")).isEqualTo(held));
  }

  // A one-card L20 pod of the zone (8 vCPU, 64Gi), with a PriorityClass or none.
  private Pod create(String namespace, String name, String priorityClass) {
    return create(namespace, name, priorityClass, Map.of("topology.kubernetes.io/zone", zone));
  }

  private Pod create(
      String namespace, String name, String priorityClass, Map<String, String> where) {
    return cluster
        .admin()
        .pods()
        .inNamespace(namespace)
        .resource(pod(namespace, name, priorityClass, where))
        .create();
  }

  // The webhook's answers count from the first pod on: wait until the API server calls it and it
  // gates such a pod (a dry run goes through the mutating webhooks and stores nothing). Under
  // load its configuration or its first TLS handshake may lag, and failurePolicy Ignore would
  // then let a pod through ungated (docs/capacity-holding.md "Hand-over").
  private void awaitWebhookGates(Pod probe) {
    Workload.awaitWebhookGates(cluster, probe, WAIT);
  }

  // A one-card L20 pod (8 vCPU, 64Gi) on nodes with these labels, with a PriorityClass or none.
  private static Pod pod(
      String namespace, String name, String priorityClass, Map<String, String> where) {
    Map<String, Quantity> resources =
        Map.of(
            "cpu", new Quantity("8"),
            "memory", new Quantity("64Gi"),
            "nvidia.com/gpu", new Quantity("1"));
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels("handover", "claimant")
            .endMetadata()
            .withNewSpec()
            .withPriorityClassName(priorityClass)
            .addToNodeSelector("nvidia.com/gpu.product", "NVIDIA-L20")
            .addToNodeSelector(where)
            .addNewContainer()
            .withName("main")
            .withImage("registry.example.com/inference:1.0")
            .withNewResources()
            .withRequests(resources)
            .withLimits(resources)
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    return pod;
  }

  private List<Pod> pods(String namespace) {
    return cluster.admin().pods().inNamespace(namespace).list().getItems();
  }

  // The names of the pods that are bound (or not).
  private static List<String> names(List<Pod> pods, boolean bound) {
    return pods.stream()
        .filter(p -> (p.getSpec().getNodeName() != null) == bound)
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  private String phase(String namespace, String name) {
    Pod p = cluster.admin().pods().inNamespace(namespace).withName(name).get();
    return p == null || p.getStatus() == null ? null : p.getStatus().getPhase();
  }
}
