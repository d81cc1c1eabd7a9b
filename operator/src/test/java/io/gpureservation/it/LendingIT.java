package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lending on the project's cluster (docs/lending.md), with the real kube-scheduler, the webhook and
 * the chart's RBAC: a reservation holds the only L20 card of a zone of its own and lends it to pods
 * of namespaces labelled {@code gpu-borrower: "true"}. A borrower is handed the held card the way
 * an owner's pod is and billed {@code borrowed}; an owner's pod that arrives takes it back (the
 * borrower is evicted with the reservation's grace period) and runs on the same node, also after an
 * operator restart (the loan read back from the lender's status); a borrower of a namespace the
 * reservation does not lend to is given nothing.
 */
class LendingIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int GRACE_SECONDS = 3;
  // what a hand-over may add to the grace period on this busy machine (webhook, scheduler, KWOK)
  private static final int HAND_OVER_SECONDS = 10;

  private ChartOperator operator;
  private String owner;
  private String borrowers;
  private String zone;
  private String node;
  private Instant accrualStart;

  @BeforeEach
  void startOperator() {
    operator = ChartOperator.startWithWebhook(cluster);
    // Not the test's namespace: the operator runs there, and the webhook never gates its pods.
    owner = cluster.createNamespace(cluster.namespace() + "-owner");
    borrowers = cluster.createNamespace(cluster.namespace() + "-batch");
    BorrowerPods.label(cluster, borrowers, "gpu-borrower", "true");
    zone = "zone-" + cluster.namespace().substring(3);
    node = "l20-" + zone;
    // The zone's only L20 card: the reservation below holds it.
    cluster.addNode(node, "L20", zone, 1, "64", "512Gi");
    Workload.lendingL20Slot(cluster, owner, "gpu", zone, GRACE_SECONDS);
    accrualStart = ReservationAccrued.awaitStart(cluster, owner, "gpu", 1);
  }

  @AfterEach
  void stopOperator() {
    Workload.deleteReservation(cluster, owner, "gpu");
    operator.closeAndUnregisterWebhooks(cluster);
    cluster.removeNode(node);
  }

  @Test
  void aBorrowerRunsOnTheIdleHeldCardAndIsBilledBorrowed() {
    borrow();
    Map<String, Object> status = ReservationStatus.read(cluster, owner, "gpu");
    assertThat(status.get("active")).isEqualTo(0);
    // ledger first (docs/lending.md, "Loan lines, ledger first"): the annotation names the stored
    // started loan line
    Pod running = pod(borrowers, "batch");
    assertThat(status.get("loans"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .singleElement()
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("slot", 0)
        .containsEntry("namespace", borrowers)
        .containsEntry("pod", "batch")
        .containsEntry("podUid", running.getMetadata().getUid())
        .containsEntry("started", true)
        .containsEntry(
            "since", running.getMetadata().getAnnotations().get("gpureservation.io/billing-since"));
  }

  // docs/lending.md, "Restart": the loan line brings the loan back; the borrower stays billed
  // borrowed on the lent slot, nothing else holds that card, and the owner's pod still takes it
  // back after the restart.
  @Test
  void aBorrowerKeepsItsLoanAcrossAnOperatorRestart() {
    borrow();
    Object loans = ReservationStatus.read(cluster, owner, "gpu").get("loans");
    Map<String, String> billed = pod(borrowers, "batch").getMetadata().getAnnotations();

    operator = operator.restartWithWebhook(cluster);

    await()
        .during(Duration.ofSeconds(5))
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, Object> s = ReservationStatus.read(cluster, owner, "gpu");
              assertThat(s.get("loans")).isEqualTo(loans);
              assertThat(s.get("lent")).isEqualTo(1);
              assertThat(s.get("idle")).isEqualTo(0);
              Pod running = pod(borrowers, "batch");
              assertThat(running.getStatus().getPhase()).isEqualTo("Running");
              assertThat(running.getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/billing-mode", "borrowed")
                  .containsEntry(
                      "gpureservation.io/billing-since",
                      billed.get("gpureservation.io/billing-since"));
            });
    awaitWebhookGates(pod(owner, "probe", false, true)); // the new operator's webhook
    takeBackForAnOwnersPod();
  }

  @Test
  void anOwnersPodTakesTheSlotBack_theBorrowerIsEvicted_andTheOwnerRunsOnTheSameNode() {
    borrow();
    takeBackForAnOwnersPod();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(reasons(borrowers)).contains("BorrowedSlotReclaimed");
              assertThat(reasons(owner)).contains("SlotReclaimed");
            });
  }

  // docs/lending.md, "Recall": the reservation scaled down to 0 no longer has the lent slot; its
  // borrower is evicted with the grace period, Events on both sides, and no loan, no lent slot and
  // no lent time is left afterwards.
  @Test
  void aReservationScaledDownToZeroEvictsItsBorrower() {
    borrow();
    cluster
        .admin()
        .resources(io.gpureservation.api.v1alpha1.CapacityReservation.class)
        .inNamespace(owner)
        .withName("gpu")
        .edit(
            r -> {
              r.getSpec().setQuantity(0);
              return r;
            });
    await().atMost(WAIT).until(() -> pod(borrowers, "batch") == null);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(reasons(borrowers)).contains("BorrowedSlotRecalled");
              assertThat(reasons(owner)).contains("LoanRecalled");
              Map<String, Object> s = ReservationStatus.read(cluster, owner, "gpu");
              assertThat(s.get("lent")).isEqualTo(0);
              assertThat(s.get("loans")).isNull();
            });
    Object lentTime = lentSlotSeconds();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(lentSlotSeconds()).isEqualTo(lentTime));
  }

  @SuppressWarnings("unchecked")
  private Object lentSlotSeconds() {
    Map<String, Object> accrued =
        (Map<String, Object>) ReservationStatus.read(cluster, owner, "gpu").get("accrued");
    return accrued.get("lentSlotSeconds");
  }

  // docs/lending.md, "Reclaim": a borrower that ignores SIGTERM stays Terminating on the card after
  // its eviction (KWOK keeps it for 5 minutes, docs/testing.md "Pod lifecycle"), so the operator
  // deletes it after the grace period; the owner's pod still runs on the card in time.
  @Test
  void aBorrowerThatIgnoresSigtermIsDeleted_andTheOwnerGetsTheCardInTime() {
    borrow(Map.of("pod-delete.stage.kwok.x-k8s.io/delay", "300s"));
    takeBackFromABorrowerThatStays();
  }

  // A hostile borrower's PodDisruptionBudget refuses every eviction: it is deleted after the grace
  // period all the same.
  @Test
  void aBorrowerWhoseDisruptionBudgetRefusesTheEvictionIsDeleted() {
    cluster
        .admin()
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName("keep-batch")
                .withNamespace(borrowers)
                .endMetadata()
                .withNewSpec()
                .withMinAvailable(new IntOrString(1))
                .withNewSelector()
                .addToMatchLabels("gpureservation.io/borrow", "true")
                .endSelector()
                .endSpec()
                .build())
        .create();
    borrow();
    takeBackFromABorrowerThatStays();
  }

  // An owner's pod takes the card back from a borrower that does not leave on its eviction: the
  // borrower is deleted (Event BorrowerDeleted), the owner's pod runs on the same node within the
  // grace period plus a hand-over, no loan line is left, and every millisecond of the slot is
  // accrued exactly once — idle, lent or active — with the lent time billed at its exact rate.
  private void takeBackFromABorrowerThatStays() {
    Instant asked = Instant.now();
    create(owner, "serving", false, true);
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Pod p = pod(owner, "serving");
              return "Running".equals(p.getStatus().getPhase())
                  && node.equals(p.getSpec().getNodeName());
            });
    Duration took = Duration.between(asked, Instant.now());
    System.out.printf(
        "owner's pod Running on the card %d ms after it was created%n", took.toMillis());
    assertThat(took).isLessThan(Duration.ofSeconds(GRACE_SECONDS + HAND_OVER_SECONDS));
    assertThat(pod(borrowers, "batch")).as("borrower deleted").isNull();
    assertThat(reasons(borrowers)).contains("BorrowedSlotReclaimed", "BorrowerDeleted");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(pod(owner, "serving").getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/billing-mode", "reserved");
              Map<String, Object> s = ReservationStatus.read(cluster, owner, "gpu");
              assertThat(s.get("active")).isEqualTo(1);
              assertThat(s.get("lent")).isEqualTo(0);
              assertThat(s.get("loans")).isNull();
              ReservationAccrued.assertConserved(s, accrualStart, 1, true);
            });
  }

  @Test
  void aBorrowerOfANamespaceNotAllowedIsLentNothing() {
    String other = cluster.createNamespace(cluster.namespace() + "-other");
    // Not pinned to the zone: with no loan it runs on another L20 node, pay-as-you-go.
    Pod pod = create(other, "stranger", true, false);
    assertThat(pod.getSpec().getSchedulingGates()).as("not gated").isNullOrEmpty();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod running = pod(other, "stranger");
              assertThat(running.getStatus().getPhase()).isEqualTo("Running");
              assertThat(running.getSpec().getNodeName()).isNotEqualTo(node);
              assertThat(running.getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/billing-mode", "pay-as-you-go")
                  .containsKey("gpureservation.io/reason")
                  .doesNotContainKey("gpureservation.io/lender");
            });
    Map<String, Object> s = ReservationStatus.read(cluster, owner, "gpu");
    assertThat(s.get("lent")).isEqualTo(0);
    assertThat(s.get("held")).isEqualTo(1);
  }

  // A borrower from the allowed namespace: gated with the claimant class, handed the held card,
  // Running on the node, billed borrowed with the lender's slot.
  private void borrow() {
    borrow(Map.of());
  }

  private void borrow(Map<String, String> annotations) {
    awaitWebhookGates(pod(borrowers, "probe", true, true));
    Pod created =
        cluster
            .admin()
            .pods()
            .inNamespace(borrowers)
            .resource(
                new PodBuilder(pod(borrowers, "batch", true, true))
                    .editMetadata()
                    .addToAnnotations(annotations)
                    .endMetadata()
                    .build())
            .create();
    assertThat(created.getSpec().getSchedulingGates()).as("borrower gated").isNotEmpty();
    assertThat(created.getSpec().getPriorityClassName()).isEqualTo("gpu-reservation-claimant");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod running = pod(borrowers, "batch");
              assertThat(running.getStatus().getPhase()).isEqualTo("Running");
              assertThat(running.getSpec().getNodeName()).isEqualTo(node);
              assertThat(running.getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/billing-mode", "borrowed")
                  .containsEntry("gpureservation.io/reservation", owner + "/gpu/0")
                  .containsEntry("gpureservation.io/lender", owner + "/gpu/0");
              Map<String, Object> s = ReservationStatus.read(cluster, owner, "gpu");
              assertThat(s.get("lent")).isEqualTo(1);
              assertThat(s.get("idle")).isEqualTo(0);
            });
  }

  // An owner's pod arrives: gated, it takes the borrower's slot back — the borrower is evicted —
  // and runs on the same node, annotated reserved; no loan is left.
  private void takeBackForAnOwnersPod() {
    Pod ownerPod = create(owner, "serving", false, true);
    assertThat(ownerPod.getSpec().getSchedulingGates()).as("owner's pod gated").isNotEmpty();
    await().atMost(WAIT).until(() -> pod(borrowers, "batch") == null);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod running = pod(owner, "serving");
              assertThat(running.getStatus().getPhase()).isEqualTo("Running");
              assertThat(running.getSpec().getNodeName()).isEqualTo(node);
              assertThat(running.getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/billing-mode", "reserved");
              Map<String, Object> s = ReservationStatus.read(cluster, owner, "gpu");
              assertThat(s.get("active")).isEqualTo(1);
              assertThat(s.get("lent")).isEqualTo(0);
              assertThat(s.get("loans")).isNull();
            });
  }

  private List<String> reasons(String namespace) {
    return BorrowerPods.reasons(cluster, namespace);
  }

  private void awaitWebhookGates(Pod probe) {
    BorrowerPods.awaitWebhookGates(cluster, probe, WAIT);
  }

  private Pod create(String namespace, String name, boolean borrows, boolean inZone) {
    return cluster
        .admin()
        .pods()
        .inNamespace(namespace)
        .resource(pod(namespace, name, borrows, inZone))
        .create();
  }

  // A one-card L20 pod (Workload.smallGpuPod), asking to borrow or not, in the reservation's zone
  // or not.
  private Pod pod(String namespace, String name, boolean borrows, boolean inZone) {
    PodBuilder pod = BorrowerPods.l20Pod(namespace, name, borrows);
    if (inZone) {
      pod.editSpec().addToNodeSelector("topology.kubernetes.io/zone", zone).endSpec();
    }
    return pod.build();
  }

  private static Pod pod(String namespace, String name) {
    return cluster.admin().pods().inNamespace(namespace).withName(name).get();
  }
}
