package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.gpuPod;
import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.LendingSpec;
import io.gpureservation.api.v1alpha1.ReservationPodSelector;
import io.gpureservation.api.v1alpha1.SlotLoan;
import io.gpureservation.cluster.MockEvictions;
import io.gpureservation.cluster.MutableClock;
import io.gpureservation.cluster.OperatorApp;
import io.gpureservation.cluster.OperatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Loans on the fabric8 mock server (docs/lending.md, "Restart"): a started loan is stored as a loan
 * line in the lender's status before the borrower is annotated {@code borrowed}, and a restarted
 * operator reads it back — the borrower stays the lender's, billed {@code borrowed}, the slot stays
 * lent and is not held again.
 */
@EnableKubernetesMockClient(crud = true)
class LendingControllerTest {
  private static final String OWNER = "team-a";
  private static final String BATCH = "team-batch";

  KubernetesClient client;
  KubernetesMockServer server;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private OperatorApp app;
  private MockReservationCluster lender;
  private MockReservationCluster borrowers;

  @BeforeEach
  void startOperator() {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(OWNER).endMetadata().build())
        .create();
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(BATCH)
                .withLabels(Map.of("gpu-borrower", "true"))
                .endMetadata()
                .build())
        .create();
    app = startApp();
    lender = new MockReservationCluster(client, OWNER);
    borrowers = new MockReservationCluster(client, BATCH);
  }

  @AfterEach
  void stopOperator() {
    if (app != null) {
      app.stop();
    }
  }

  private OperatorApp startApp() {
    return OperatorApp.start(client, OperatorConfig.defaults().withHttpPort(-1), clock);
  }

  @Test
  void aStartedLoanIsStoredBeforeTheBorrowerIsAnnotatedAndSurvivesARestart() {
    Pod pinned = borrowAndStart(2, 30);

    // ledger first: the annotation names the stored loan line
    CapacityReservationStatus stored = lender.reservation("l20").getStatus();
    assertThat(stored.getLent()).isEqualTo(1);
    assertThat(stored.getLoans()).hasSize(1);
    SlotLoan line = stored.getLoans().get(0);
    assertThat(line.getStarted()).isTrue();
    assertThat(line.getNamespace()).isEqualTo(BATCH);
    assertThat(line.getPodUid()).isEqualTo(pinned.getMetadata().getUid());
    Map<String, String> annotations = borrowers.pod("batch").getMetadata().getAnnotations();
    assertThat(annotations)
        .containsEntry(GpuReservation.RESERVATION_ANNOTATION, OWNER + "/l20/" + line.getSlot())
        .containsEntry(GpuReservation.BILLING_SINCE_ANNOTATION, line.getSince());
    int placeholders = lender.placeholders("l20").size();

    app.stop();
    clock.advance(Duration.ofMinutes(5));
    app = startApp();
    // a pod of the borrower's namespace after the restart: the operator has loaded team-batch
    borrowers.create(gpuPod(BATCH, "marker").build());
    borrowers.awaitAnnotation("marker", GpuReservation.MODE_PAY_AS_YOU_GO);
    lender.create(gpuPod(OWNER, "own").build()); // takes the idle slot, not the lent one
    lender.awaitAnnotation("own", GpuReservation.MODE_RESERVED);

    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              CapacityReservationStatus after = lender.reservation("l20").getStatus();
              assertThat(after.getLoans()).containsExactly(line);
              assertThat(after.getLent()).isEqualTo(1);
              assertThat(after.getActive()).isEqualTo(1);
              assertThat(after.getIdle()).isZero();
              assertThat(borrowers.pod("batch").getMetadata().getAnnotations())
                  .containsAllEntriesOf(annotations);
              assertThat(lender.placeholders("l20")).hasSizeLessThanOrEqualTo(placeholders);
            });
    assertThat(lender.reservation("l20").getStatus().getLedger())
        .extracting(h -> h.getSlot())
        .doesNotContain(line.getSlot());
  }

  // A reservation of two held slots lends one to a started borrower of team-batch: the borrower
  // pinned by the operator, then bound and run as the scheduler and the kubelet would.
  private Pod borrowAndStart(int quantity, int grace) {
    CapacityReservation r = lending(reservation(OWNER, "l20").quantity(quantity).build());
    r.getSpec().getLending().setReclaimGracePeriodSeconds(grace);
    lender.create(r);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> lender.placeholders("l20").size() == quantity);
    lender.bindPlaceholders("l20");
    lender.awaitStatus("l20", s -> s.getHeld() != null && s.getHeld() == quantity);

    // the webhook would gate a pod that asks to borrow; the mock server has no webhook
    Pod asking =
        gpuPod(BATCH, "batch").unscheduled().label("gpureservation.io/borrow", "true").build();
    asking
        .getSpec()
        .setSchedulingGates(List.of(new PodSchedulingGate(GpuReservation.CAPACITY_GATE)));
    // ... with the claimant class (the placeholders' priority, never preempting)
    asking.getSpec().setPriority(1_000_000);
    asking.getSpec().setPreemptionPolicy("Never");
    borrowers.create(asking);
    Pod pinned =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> borrowers.pod("batch"), p -> !CapacityGate.isGated(p));
    assertThat(pinned.getMetadata().getAnnotations()).containsKey(GpuReservation.LENDER_ANNOTATION);

    // what the scheduler and the kubelet would do: bind it, run it
    pinned.getSpec().setNodeName("gpu-node-1");
    pinned.getSpec().setSchedulingGates(List.of());
    client.resource(pinned).update();
    borrowers.awaitAnnotation("batch", GpuReservation.MODE_BORROWED);
    return borrowers.pod("batch");
  }

  // docs/lending.md, "Recall": the reservation scaled down to 0 recalls the loan; the borrower is
  // evicted with the grace period (here 0 s), then deleted since the mock's Eviction API leaves it
  // there; Events on both sides; no loan line, and the borrower is no longer billed borrowed.
  @Test
  void aReservationScaledDownToZeroEvictsItsBorrowerThenDeletesItIfItStays() {
    Set<String> evicted = MockEvictions.record(server, BATCH, "batch");
    Pod borrower = borrowAndStart(1, 0);
    CapacityReservation r = scaleDownToZero();

    await().atMost(Duration.ofSeconds(15)).until(() -> evicted.contains("batch"));
    await().atMost(Duration.ofSeconds(15)).until(() -> borrowers.pod("batch") == null);
    CapacityReservationStatus after =
        lender.awaitStatus("l20", s -> s.getLoans() == null || s.getLoans().isEmpty());
    assertThat(after.getLent()).isZero();
    assertThat(reasons(BATCH, borrower.getMetadata().getUid()))
        .contains(Lending.RECALLED, Lending.DELETED);
    assertThat(reasons(OWNER, r.getMetadata().getUid())).contains(Lending.LOAN_RECALLED);
  }

  // A PodDisruptionBudget refuses the eviction (429): an answer, not a fault — no retry for
  // seconds, the borrower is deleted right after the grace period (here 1 s).
  @Test
  void aRefusedEvictionIsNotRetried_theBorrowerIsDeletedAfterTheGracePeriod() {
    Set<String> refused = MockEvictions.refuse(server, BATCH, "batch");
    Pod borrower = borrowAndStart(1, 1);
    scaleDownToZero();

    await().atMost(Duration.ofSeconds(10)).until(() -> refused.contains("batch"));
    long refusedAt = System.nanoTime();
    clock.advance(Duration.ofSeconds(1)); // the operator's clock: the grace period passes
    await().atMost(Duration.ofSeconds(10)).until(() -> borrowers.pod("batch") == null);
    assertThat(Duration.ofNanos(System.nanoTime() - refusedAt)).isLessThan(Duration.ofSeconds(5));
    assertThat(reasons(BATCH, borrower.getMetadata().getUid()))
        .contains(Lending.RECALLED, Lending.DELETED);
  }

  // A borrower that leaves on its eviction is not deleted, and a deleted reservation recalls its
  // loan the same way.
  @Test
  void aDeletedReservationEvictsItsBorrower() {
    Set<String> evicted = MockEvictions.record(server, BATCH, "batch");
    Pod borrower = borrowAndStart(1, 30);

    client.resource(lender.reservation("l20")).delete();

    await().atMost(Duration.ofSeconds(15)).until(() -> evicted.contains("batch"));
    // while it leaves, nothing bills it borrowed: it is a pod of its own namespace again
    borrowers.awaitAnnotation("batch", GpuReservation.MODE_PAY_AS_YOU_GO);
    // what the API server does with an accepted eviction
    client.pods().inNamespace(BATCH).withName("batch").delete();
    await().atMost(Duration.ofSeconds(15)).until(() -> lender.reservation("l20") == null);
    assertThat(reasons(BATCH, borrower.getMetadata().getUid()))
        .contains(Lending.RECALLED)
        .doesNotContain(Lending.DELETED);
  }

  // docs/lending.md, "Restart": a recorded loan whose slot is gone when the operator comes back
  // (the reservation was scaled down to 0 meanwhile) is recalled, and its borrower evicted.
  @Test
  void aLoanTheRestartCannotKeepEvictsItsBorrower() {
    Set<String> evicted = MockEvictions.record(server, BATCH, "batch");
    Pod borrower = borrowAndStart(1, 30);
    lender.awaitStatus("l20", s -> s.getLoans() != null && s.getLoans().size() == 1);

    app.stop();
    scaleDownToZero();
    app = startApp();

    await().atMost(Duration.ofSeconds(15)).until(() -> evicted.contains("batch"));
    lender.awaitStatus("l20", s -> s.getLoans() == null || s.getLoans().isEmpty());
    assertThat(reasons(BATCH, borrower.getMetadata().getUid())).contains(Lending.RECALLED);
  }

  private CapacityReservation scaleDownToZero() {
    CapacityReservation r = lender.reservation("l20");
    r.getSpec().setQuantity(0);
    return client.resource(r).update();
  }

  private List<String> reasons(String namespace, String uid) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> uid.equals(e.getInvolvedObject().getUid()))
        .map(Event::getReason)
        .toList();
  }

  private static CapacityReservation lending(CapacityReservation r) {
    LendingSpec lending = new LendingSpec();
    lending.setEnabled(true);
    ReservationPodSelector selector = new ReservationPodSelector();
    selector.setMatchLabels(Map.of("gpu-borrower", "true"));
    lending.setNamespaceSelector(selector);
    r.getSpec().setLending(lending);
    return r;
  }
}
