package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reclaim survives SIGKILL (docs/lending.md, "Reclaim" and "Restart"): the operator, with its
 * capacity gate webhook, runs as its own process; a borrower runs on the only L20 card of a zone
 * that a reservation holds and lends, an owner's pod arrives, and the operator is killed with kill
 * -9 right after it evicted the borrower, or at a random point of the reclaim. Restarted, it ends
 * with the owner's pod Running on the card, billed reserved; no loan line, no borrower holding a
 * slot, no placeholder beyond the reservation's size, and every millisecond of the slot accrued
 * exactly once.
 */
class LendingCrashIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int GRACE_SECONDS = 3;
  // KWOK keeps a pod with this annotation Terminating this long: a borrower that ignores SIGTERM
  // (docs/testing.md, "Pod lifecycle").
  private static final Map<String, String> IGNORES_SIGTERM =
      Map.of("pod-delete.stage.kwok.x-k8s.io/delay", "300s");

  private final Random random = new Random(20261203L);
  private KillableOperator operator;
  private String owner;
  private String borrowers;
  private String zone;
  private String node;
  private Instant accrualStart;

  @BeforeEach
  void startOperator() throws Exception {
    // The operator runs out of the cluster: the test's namespace is the owner's.
    owner = cluster.namespace();
    borrowers = cluster.createNamespace(cluster.namespace() + "-batch");
    cluster
        .admin()
        .namespaces()
        .withName(borrowers)
        .edit(
            n -> {
              n.getMetadata().getLabels().put("gpu-borrower", "true");
              return n;
            });
    zone = "zone-" + cluster.namespace().substring(3);
    node = "l20-" + zone;
    cluster.addNode(node, "L20", zone, 1, "64", "512Gi");
    operator = new KillableOperator(cluster, "LendingCrashIT");
    operator.registerWebhook(
        "lending-crash",
        "capacity-gate.gpureservation.io",
        "Ignore",
        null,
        List.of(owner, borrowers));
    Workload.lendingL20Slot(cluster, owner, "gpu", zone, GRACE_SECONDS);
    operator.start();
    accrualStart = ReservationAccrued.awaitStart(cluster, owner, "gpu", 1);
  }

  @AfterEach
  void stopOperator() throws InterruptedException {
    Workload.deleteReservation(cluster, owner, "gpu");
    operator.close();
    cluster.removeNode(node);
  }

  @Test
  void killNineRightAfterTheEvictionIsIssued() throws Exception {
    borrow("batch", IGNORES_SIGTERM);
    create(owner, "serving", false, Map.of());
    // the eviction is accepted: the borrower is Terminating (and stays so, ignoring SIGTERM)
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> pod(borrowers, "batch").getMetadata().getDeletionTimestamp() != null);
    operator.kill();
    Thread.sleep(random.nextInt(1000));
    operator.start();
    awaitConverged("serving", "batch");
  }

  @Test
  void killNineAtRandomPointsOfReclaims() throws Exception {
    for (int round = 0; round < 3; round++) {
      String borrower = "batch-" + round;
      String ownerPod = "serving-" + round;
      borrow(borrower, random.nextBoolean() ? IGNORES_SIGTERM : Map.of());
      create(owner, ownerPod, false, Map.of());
      long at = random.nextInt((GRACE_SECONDS + 3) * 1000);
      Thread.sleep(at);
      operator.kill(); // SIGKILL at a random point of the reclaim
      System.out.printf("round %d: killed %d ms after the owner's pod arrived%n", round, at);
      Thread.sleep(random.nextInt(1000));
      operator.start();
      awaitConverged(ownerPod, borrower);
      // the owner's pod leaves: the slot is idle and held again, ready for the next borrower
      cluster.admin().pods().inNamespace(owner).withName(ownerPod).delete();
      ReservationStatus.await(cluster, owner, "gpu", s -> assertThat(s.get("held")).isEqualTo(1));
    }
  }

  // A borrower from the allowed namespace runs on the held card, billed borrowed.
  private void borrow(String name, Map<String, String> annotations) {
    create(borrowers, name, true, annotations);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod running = pod(borrowers, name);
              assertThat(running.getStatus().getPhase()).isEqualTo("Running");
              assertThat(running.getSpec().getNodeName()).isEqualTo(node);
              assertThat(running.getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/billing-mode", "borrowed");
              assertThat(ReservationStatus.read(cluster, owner, "gpu").get("lent")).isEqualTo(1);
            });
  }

  // The owner's pod Running on the card, billed reserved on slot 0; the borrower gone; no loan
  // line, nothing lent; the ledger holds one slot once; no placeholder beside the deducted slot;
  // slot time conserved.
  private void awaitConverged(String ownerPod, String borrower) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Pod running = pod(owner, ownerPod);
              assertThat(running.getStatus().getPhase()).isEqualTo("Running");
              assertThat(running.getSpec().getNodeName()).isEqualTo(node);
              assertThat(running.getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/billing-mode", "reserved")
                  .containsEntry("gpureservation.io/reservation", "gpu/0");
              assertThat(pod(borrowers, borrower)).as("borrower gone").isNull();
              Map<String, Object> s = ReservationStatus.read(cluster, owner, "gpu");
              assertThat(s.get("loans")).as("loan lines").isNull();
              assertThat(s.get("lent")).isEqualTo(0);
              assertThat(s.get("active")).isEqualTo(1);
              @SuppressWarnings("unchecked")
              List<Map<String, Object>> ledger = (List<Map<String, Object>>) s.get("ledger");
              assertThat(ledger)
                  .singleElement()
                  .satisfies(h -> assertThat(h.get("slot")).isEqualTo(0));
              assertThat(placeholders()).as("placeholders beside the deducted slot").isEmpty();
              ReservationAccrued.assertConserved(s, accrualStart, 1, true);
            });
    Set<String> holders = new HashSet<>();
    for (Pod p : cluster.admin().pods().inNamespace(borrowers).list().getItems()) {
      if ("borrowed"
          .equals(
              p.getMetadata().getAnnotations() == null
                  ? null
                  : p.getMetadata().getAnnotations().get("gpureservation.io/billing-mode"))) {
        holders.add(p.getMetadata().getName());
      }
    }
    assertThat(holders).as("pods still billed borrowed").isEmpty();
  }

  // The reservation's placeholders that are not being deleted.
  private List<String> placeholders() {
    return cluster
        .admin()
        .pods()
        .inNamespace(owner)
        .withLabel("gpureservation.io/placeholder-for")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  // A one-card L20 pod in the reservation's zone, asking to borrow or not.
  private void create(
      String namespace, String name, boolean borrows, Map<String, String> annotations) {
    PodBuilder pod =
        Workload.smallGpuPod(name, 1)
            .editMetadata()
            .withNamespace(namespace)
            .addToAnnotations(annotations)
            .endMetadata()
            .editSpec()
            .addToNodeSelector("nvidia.com/gpu.product", "NVIDIA-L20")
            .addToNodeSelector("topology.kubernetes.io/zone", zone)
            .endSpec();
    if (borrows) {
      pod.editMetadata().addToLabels("gpureservation.io/borrow", "true").endMetadata();
    }
    cluster.admin().pods().inNamespace(namespace).resource(pod.build()).create();
  }

  private static Pod pod(String namespace, String name) {
    return cluster.admin().pods().inNamespace(namespace).withName(name).get();
  }
}
