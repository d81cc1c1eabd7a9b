package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.gpureservation.api.v1alpha1.LendingSpec;
import io.gpureservation.api.v1alpha1.ReservationPodSelector;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.pool.Pools;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A ResidentPool lends its free held card (docs/lending.md, "Resident pools") on the project's
 * cluster, with the real kube-scheduler, the webhook and the chart's RBAC: a one-card Ada pool in a
 * region of its own holds the only L20 card there and lends it to pods of namespaces labelled
 * {@code gpu-borrower: "true"}. A borrower is handed the held card the way a pool pod is and billed
 * {@code borrowed} by the pool; a pool pod that arrives takes it back (the borrower evicted with
 * the pool's grace period) and runs on the same node; a borrower of a namespace the pool does not
 * lend to, and a running pod labelled to borrow afterwards, get nothing.
 */
class PoolLendingIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int GRACE_SECONDS = 3;
  private static final String POOL = "inference";
  private static final String REGION = "cn-shanghai";

  private ChartOperator operator;
  private String owner;
  private String borrowers;
  private String node;

  @BeforeEach
  void startOperator() {
    operator = ChartOperator.startWithWebhook(cluster);
    owner = cluster.createNamespace(cluster.namespace() + "-owner");
    borrowers = cluster.createNamespace(cluster.namespace() + "-batch");
    BorrowerPods.label(cluster, borrowers, "gpu-borrower", "true");
    node = "l20-sh-" + cluster.namespace().substring(3);
    // The region's only L20 card: the pool below holds it.
    cluster.addNode(node, "L20", REGION + "-a", REGION, 1, "64", "512Gi");
    ResidentPool pool = Pools.pool(POOL, 1, 10);
    pool.getMetadata().setNamespace(owner);
    pool.getMetadata().setUid(null);
    pool.getMetadata().setGeneration(null);
    pool.getSpec().setRegion(REGION);
    LendingSpec lending = new LendingSpec();
    lending.setEnabled(true);
    ReservationPodSelector selector = new ReservationPodSelector();
    selector.setMatchLabels(Map.of("gpu-borrower", "true"));
    lending.setNamespaceSelector(selector);
    lending.setReclaimGracePeriodSeconds(GRACE_SECONDS);
    pool.getSpec().setLending(lending);
    cluster.admin().resource(pool).create();
    awaitPool(s -> assertThat(s.getHeldCards()).isEqualTo(1));
  }

  // The pool is unsubscribed before the next test (its pods first, then the pool, whose finalizer
  // the operator removes): a pool left behind would hold and lend the next test's card.
  @AfterEach
  void stopOperator() {
    cluster.admin().policy().v1().podDisruptionBudget().inNamespace(borrowers).delete();
    for (String namespace : List.of(owner, borrowers)) {
      cluster.admin().pods().inNamespace(namespace).withGracePeriod(0).delete();
    }
    cluster.admin().resources(ResidentPool.class).inNamespace(owner).withName(POOL).delete();
    await()
        .atMost(WAIT)
        .until(
            () ->
                cluster
                        .admin()
                        .resources(ResidentPool.class)
                        .inNamespace(owner)
                        .withName(POOL)
                        .get()
                    == null);
    operator.closeAndUnregisterWebhooks(cluster);
    cluster.removeNode(node);
  }

  @Test
  void aPoolPodTakesTheLentCardBack_theBorrowerIsEvicted_andThePoolPodRunsOnTheSameNode() {
    borrow();

    Instant arrived = Instant.now();
    Workload.poolPod(cluster, owner, "serving", POOL, 1);
    await().atMost(WAIT).until(() -> pod(borrowers, "batch") == null);
    awaitPoolPodOnTheLentNode();
    Duration took = Duration.between(arrived, Instant.now());
    System.out.println(
        "pool pod Running on the lent card's node "
            + took.toMillis()
            + " ms after it was created (grace "
            + GRACE_SECONDS
            + " s)");
    assertThat(took)
        .as("grace period plus a few seconds")
        .isLessThan(Duration.ofSeconds(GRACE_SECONDS + 12));
    awaitPool(
        s -> {
          assertThat(s.getLent()).isZero();
          assertThat(s.getLoans()).isEmpty();
          assertThat(s.getInstances())
              .singleElement()
              .satisfies(i -> assertThat(i.getPod()).isEqualTo("serving"));
        });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(reasons(borrowers)).contains("BorrowedCardReclaimed");
              assertThat(reasons(owner)).contains("CardReclaimed");
            });
  }

  // A borrower that will not leave (here a PodDisruptionBudget refuses its eviction) is deleted
  // once the grace period has passed, and the pool pod still gets the card (docs/lending.md,
  // "Resident pools").
  @Test
  void aBorrowerWhoseEvictionIsRefusedIsDeletedAfterTheGracePeriod() {
    borrow();
    cluster
        .admin()
        .policy()
        .v1()
        .podDisruptionBudget()
        .inNamespace(borrowers)
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName("keep-batch")
                .endMetadata()
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(0))
                .withNewSelector()
                .addToMatchLabels("gpureservation.io/borrow", "true")
                .endSelector()
                .endSpec()
                .build())
        .create();

    Instant arrived = Instant.now();
    Workload.poolPod(cluster, owner, "serving", POOL, 1);
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> pod(borrowers, "batch") == null);
    Duration gone = Duration.between(arrived, Instant.now());
    awaitPoolPodOnTheLentNode();
    Duration took = Duration.between(arrived, Instant.now());
    System.out.println(
        "borrower refused eviction: deleted "
            + gone.toMillis()
            + " ms, pool pod Running "
            + took.toMillis()
            + " ms after the pool pod was created (grace "
            + GRACE_SECONDS
            + " s)");
    assertThat(gone)
        .as("not before the grace period")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(GRACE_SECONDS));
    assertThat(took)
        .as("grace period plus a few seconds")
        .isLessThan(Duration.ofSeconds(GRACE_SECONDS + 12));
    assertThat(BorrowerPods.reasons(cluster, borrowers))
        .contains("BorrowedCardReclaimed", "BorrowerDeleted");
  }

  @Test
  void aBorrowerOfANamespaceNotAllowedIsLentNothing() {
    String other = cluster.createNamespace(cluster.namespace() + "-other");
    Pod created = create(other, "stranger", true);
    assertThat(created.getSpec().getSchedulingGates()).as("not gated").isNullOrEmpty();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod running = pod(other, "stranger");
              assertThat(running.getStatus().getPhase()).isEqualTo("Running");
              assertThat(running.getSpec().getNodeName()).isNotEqualTo(node);
              assertThat(running.getMetadata().getAnnotations())
                  .doesNotContainKey("gpureservation.io/lending-pool");
            });
    ResidentPoolStatus s = status();
    assertThat(s.getLent()).isZero();
    assertThat(s.getLoans()).isEmpty();
    assertThat(s.getHeldCards()).isEqualTo(1);
  }

  // docs/lending.md, "Resident pools": only a pod gated at creation is ever lent a card; a tenant
  // who labels a running pod to borrow gets no loan, and the pool's card stays held.
  @Test
  void aRunningPodLabelledToBorrowAfterwardsGetsNoLoan() {
    Pod created = create(borrowers, "late", false);
    assertThat(created.getSpec().getSchedulingGates()).as("not gated").isNullOrEmpty();
    await()
        .atMost(WAIT)
        .until(() -> "Running".equals(pod(borrowers, "late").getStatus().getPhase()));
    cluster
        .admin()
        .pods()
        .inNamespace(borrowers)
        .withName("late")
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .addToLabels("gpureservation.io/borrow", "true")
                    .endMetadata()
                    .build());
    await()
        .during(Duration.ofSeconds(5))
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod late = pod(borrowers, "late");
              assertThat(late.getSpec().getNodeName()).isNotEqualTo(node);
              assertThat(late.getMetadata().getAnnotations())
                  .doesNotContainKey("gpureservation.io/lending-pool");
              ResidentPoolStatus s = status();
              assertThat(s.getLoans()).isEmpty();
              assertThat(s.getLent()).isZero();
              assertThat(s.getHeldCards()).isEqualTo(1);
            });
  }

  // A borrower from the allowed namespace: gated with the claimant class, handed the held card,
  // Running on the node, billed borrowed by the pool; the loan is a line of the pool's status.
  private void borrow() {
    BorrowerPods.awaitWebhookGates(cluster, pod(borrowers, "probe", true), WAIT);
    Pod created = create(borrowers, "batch", true);
    assertThat(created.getSpec().getSchedulingGates())
        .as("borrower gated")
        .extracting(g -> g.getName())
        .containsExactly("gpureservation.io/pool-loan");
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
                  .containsEntry("gpureservation.io/lending-pool", owner + "/" + POOL);
              ResidentPoolStatus s = status();
              assertThat(s.getLent()).isEqualTo(1);
              assertThat(s.getHeldCards()).isZero();
              assertThat(s.getLoans())
                  .singleElement()
                  .satisfies(
                      l -> {
                        assertThat(l.getPodUid()).isEqualTo(running.getMetadata().getUid());
                        assertThat(l.getNamespace()).isEqualTo(borrowers);
                        assertThat(l.getNode()).isEqualTo(node);
                        assertThat(l.getStarted()).isTrue();
                      });
            });
    assertThat(cluster.kubectlOk("get", "rpool", "-n", owner))
        .containsPattern("\\s0\\s+1\\s+Active");
  }

  // The pool's pod runs, resident, on the node of the card it took back.
  private void awaitPoolPodOnTheLentNode() {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Pod running = pod(owner, "serving");
              assertThat(running.getStatus().getPhase()).isEqualTo("Running");
              assertThat(running.getSpec().getNodeName()).isEqualTo(node);
              assertThat(running.getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/billing-mode", "resident");
            });
  }

  private List<String> reasons(String namespace) {
    return BorrowerPods.reasons(cluster, namespace);
  }

  private Pod create(String namespace, String name, boolean borrows) {
    return cluster
        .admin()
        .pods()
        .inNamespace(namespace)
        .resource(pod(namespace, name, borrows))
        .create();
  }

  private static Pod pod(String namespace, String name, boolean borrows) {
    return BorrowerPods.l20Pod(namespace, name, borrows).build();
  }

  private static Pod pod(String namespace, String name) {
    return cluster.admin().pods().inNamespace(namespace).withName(name).get();
  }

  private ResidentPoolStatus status() {
    return cluster
        .admin()
        .resources(ResidentPool.class)
        .inNamespace(owner)
        .withName(POOL)
        .get()
        .getStatus();
  }

  private void awaitPool(Consumer<ResidentPoolStatus> check) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ResidentPoolStatus s = status();
              assertThat(s).as("status of " + POOL).isNotNull();
              check.accept(s);
            });
  }
}
