package io.gpureservation.pool;

import static io.gpureservation.pool.Pools.created;
import static io.gpureservation.pool.Pools.pod;
import static io.gpureservation.pool.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpureservation.api.v1alpha1.LendingSpec;
import io.gpureservation.api.v1alpha1.PoolLoan;
import io.gpureservation.api.v1alpha1.ReservationPodSelector;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.reservation.ReservationShapes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A lending pool's plan (docs/lending.md, "Resident pools"), without I/O. */
class PoolLendingPlanTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final String BATCH = "team-batch";
  private final PoolPlanner planner = Pools.planner();
  private final BorrowerClaims claims = new BorrowerClaims(List::of);

  private static ResidentPool lendingPool(int cards) {
    ResidentPool pool = pool("pool", cards, 10);
    LendingSpec lending = new LendingSpec();
    lending.setEnabled(true);
    ReservationPodSelector selector = new ReservationPodSelector();
    selector.setMatchLabels(Map.of("gpu-borrower", "true"));
    lending.setNamespaceSelector(selector);
    pool.getSpec().setLending(lending);
    return pool;
  }

  private Borrowers borrowers(ResidentPool pool, Pod... pods) {
    return new Borrowers(
        List.of(pods),
        ReservationShapes.lending(pool.getSpec().getLending()),
        ns -> BATCH.equals(ns) ? Map.of("gpu-borrower", "true") : Map.of(),
        p -> Set.of(BorrowerClaims.key(pool)),
        claims);
  }

  private PoolPlan plan(
      ResidentPool pool, List<Pod> pods, List<Pod> held, Borrowers b, Instant at) {
    PoolPlan plan = planner.plan(pool, pods, held, b, null, false, at);
    pool.setStatus(plan.status());
    return plan;
  }

  private static Pod borrower(String namespace, String name, int second) {
    return created(
        Pools.borrower(namespace, name)
            .editMetadata()
            .withUid(UUID.randomUUID().toString())
            .endMetadata(),
        T0.plusSeconds(second));
  }

  private static Pod started(Pod pod, String node) {
    return new PodBuilder(pod)
        .editSpec()
        .withSchedulingGates(List.of())
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus()
        .build();
  }

  private static Pod placeholder(ResidentPool pool, int slot, String node) {
    return Pools.placeholder(pool, slot, node);
  }

  @Test
  void aFreeHeldCardIsLent_theLoanLineFirst_andThePoolsFeesDoNotChange() {
    ResidentPool pool = lendingPool(2);
    List<Pod> held = List.of(placeholder(pool, 0, "n1"), placeholder(pool, 1, "n2"));
    ResidentPool alone = lendingPool(2);
    String fees =
        plan(alone, List.of(), held, borrowers(alone), T0).status().getFees().getMonthly();

    Pod batch = borrower(BATCH, "batch", 5);
    PoolPlan plan = plan(pool, List.of(), held, borrowers(pool, batch), T0.plusSeconds(10));

    assertThat(plan.status().getLoans())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.getPod()).isEqualTo("batch");
              assertThat(l.getNamespace()).isEqualTo(BATCH);
              assertThat(l.getCards()).isEqualTo(1);
              assertThat(l.getNode()).isIn("n1", "n2");
              assertThat(l.getStarted()).isFalse();
              assertThat(l.getSince()).isEqualTo(T0.plusSeconds(10).toString());
            });
    assertThat(plan.status().getLent()).isZero();
    assertThat(plan.podActions())
        .filteredOn(a -> a instanceof PodAction.Lend)
        .singleElement()
        .satisfies(
            a -> {
              PodAction.Lend lend = (PodAction.Lend) a;
              assertThat(lend.node()).isEqualTo(plan.status().getLoans().get(0).getNode());
              assertThat(lend.lender()).isEqualTo(BorrowerClaims.key(pool));
            });
    // the lent card is not a free card: one placeholder stays, the other is the borrower's
    assertThat(plan.status().getFees().getMonthly()).isEqualTo(fees);

    String node = plan.status().getLoans().get(0).getNode();
    PoolPlan running =
        plan(pool, List.of(), held, borrowers(pool, started(batch, node)), T0.plusSeconds(20));
    assertThat(running.status().getLent()).isEqualTo(1);
    assertThat(running.status().getLoans()).extracting(PoolLoan::getStarted).containsExactly(true);
    assertThat(running.status().getFees().getMonthly()).isEqualTo(fees);
  }

  @Test
  void aBorrowerOfANamespaceTheTermsDoNotAllowIsNeitherLentNorReleased() {
    ResidentPool pool = lendingPool(1);
    Pod stranger = borrower("team-other", "stranger", 5);
    PoolPlan plan =
        plan(
            pool,
            List.of(),
            List.of(placeholder(pool, 0, "n1")),
            borrowers(pool, stranger),
            T0.plusSeconds(10));
    assertThat(plan.status().getLoans()).isEmpty();
    assertThat(plan.podActions()).noneMatch(a -> a.pod() == stranger);
  }

  @Test
  void aWaitingPoolPodTakesTheLoanBack_evictedWithTheGracePeriod_deletedAfterIt() {
    ResidentPool pool = lendingPool(1);
    List<Pod> held = List.of(placeholder(pool, 0, "n1"));
    Pod batch = borrower(BATCH, "batch", 5);
    plan(pool, List.of(), held, borrowers(pool, batch), T0.plusSeconds(10));
    Pod running = started(batch, "n1");
    plan(pool, List.of(), List.of(), borrowers(pool, running), T0.plusSeconds(20));

    Pod serving = created(pod("serving", "pool", "f", 1, "1Gi"), T0.plusSeconds(30));
    Pod late = borrower(BATCH, "late", 31);
    PoolPlan reclaim =
        plan(pool, List.of(serving), List.of(), borrowers(pool, running, late), T0.plusSeconds(40));

    assertThat(reclaim.status().getLoans())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.getReclaimedFor()).isEqualTo(serving.getMetadata().getUid());
              assertThat(l.getEvictedAt()).isEqualTo(T0.plusSeconds(40).toString());
            });
    assertThat(reclaim.podActions())
        .filteredOn(a -> a instanceof PodAction.Reclaim)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.pod()).isSameAs(running);
              assertThat(((PodAction.Reclaim) a).grace()).isEqualTo(Duration.ofSeconds(30));
            });
    assertThat(reclaim.events()).extracting(e -> e.reason()).contains(PoolLoanPlan.CARD_RECLAIMED);
    // a pool pod waits: the other borrower is not lent anything, and no pool lends to it
    assertThat(reclaim.podActions())
        .filteredOn(a -> a.pod() == late)
        .singleElement()
        .isInstanceOf(PodAction.Release.class);
    assertThat(reclaim.nextCheck()).contains(T0.plusSeconds(70).plusMillis(200));

    PoolPlan before =
        plan(pool, List.of(serving), List.of(), borrowers(pool, running), T0.plusSeconds(60));
    assertThat(before.podActions())
        .noneMatch(a -> a instanceof PodAction.Reclaim || a instanceof PodAction.DeleteBorrower);

    PoolPlan after =
        plan(pool, List.of(serving), List.of(), borrowers(pool, running), T0.plusSeconds(71));
    assertThat(after.podActions())
        .filteredOn(a -> a instanceof PodAction.DeleteBorrower)
        .singleElement()
        .satisfies(a -> assertThat(a.pod()).isSameAs(running));

    // the borrower is gone: the loan line goes and the pool pod is admitted to the card
    PoolPlan gone = plan(pool, List.of(serving), List.of(), borrowers(pool), T0.plusSeconds(72));
    assertThat(gone.status().getLoans()).isEmpty();
    assertThat(gone.status().getLent()).isZero();
    assertThat(gone.podActions())
        .filteredOn(a -> a instanceof PodAction.Admit)
        .singleElement()
        .satisfies(a -> assertThat(a.pod()).isSameAs(serving));
  }
}
