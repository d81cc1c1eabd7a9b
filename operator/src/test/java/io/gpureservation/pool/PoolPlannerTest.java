package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_MODE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.MODE_RESIDENT;
import static io.gpureservation.pool.Pools.created;
import static io.gpureservation.pool.Pools.pod;
import static io.gpureservation.pool.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpureservation.api.v1alpha1.PoolFunctionStatus;
import io.gpureservation.api.v1alpha1.ResidentInstance;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.cluster.ObjectEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool's reconciliation decisions, without a server. */
class PoolPlannerTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private final PoolPlanner planner = Pools.planner();

  private PoolPlan plan(ResidentPool pool, List<Pod> pods, boolean overdue, Instant now) {
    PoolPlan plan = planner.plan(pool, pods, List.of(), Borrowers.none(), null, overdue, now);
    pool.setStatus(plan.status());
    return plan;
  }

  private static Pod gpuPod(String name, String function, String disk, int second) {
    return created(pod(name, "pool", function, 1, disk), T0.plusSeconds(second));
  }

  private static List<String> names(PoolPlan plan, Class<? extends PodAction> kind) {
    return plan.podActions().stream()
        .filter(kind::isInstance)
        .map(a -> a.pod().getMetadata().getName())
        .toList();
  }

  private static Condition condition(ResidentPool pool, String type) {
    return pool.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void referenceDiskExampleAdmitsBothFunctionsAndTheSeventhPodWaits() {
    // fc-resident-resource-pool.txt FAQ: 30 GB x 4 + 60 GB x 2 = 240 GB = 6 cards x 40 GB.
    ResidentPool pool = pool("pool", 6, 40);
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      pods.add(gpuPod("f1-" + i, "f1", "30Gi", i));
    }
    pods.add(gpuPod("f2-0", "f2", "60Gi", 10));
    pods.add(gpuPod("f2-1", "f2", "60Gi", 11));
    pods.add(gpuPod("f2-2", "f2", "60Gi", 12));

    PoolPlan plan = plan(pool, pods, false, T0.plusSeconds(60));

    assertThat(names(plan, PodAction.Admit.class)).hasSize(6).doesNotContain("f2-2");
    assertThat(plan.podActions())
        .filteredOn(a -> a instanceof PodAction.Wait)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.pod().getMetadata().getName()).isEqualTo("f2-2");
              assertThat(((PodAction.Wait) a).reason()).isEqualTo("PoolCapacityExceeded");
            });
    assertThat(pool.getStatus().getCardUsage()).isEqualTo("6/6");
    assertThat(pool.getStatus().getDiskUsage()).isEqualTo("240Gi/240Gi");
    assertThat(pool.getStatus().getRemaining().getCards()).isZero();
    assertThat(pool.getStatus().getFunctions())
        .extracting(
            PoolFunctionStatus::getName,
            PoolFunctionStatus::getResidentInstances,
            PoolFunctionStatus::getWaiting)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("f1", 4, 0),
            org.assertj.core.groups.Tuple.tuple("f2", 2, 1));
    // 6 x 1026 + 6 x 40 GB x 0.17 for one month, Hangzhou.
    assertThat(pool.getStatus().getFees().getPaid()).isEqualTo("6196.80");
  }

  // docs/resident-pool.md, "A pool the operator cannot process": a pod whose request overflows is
  // reported, not fatal to its pool.
  @Test
  void aPodWhoseRequestOverflowsWaitsWithAReason_theOtherPodsAreAdmitted() {
    ResidentPool pool = pool("pool", 2, 40);
    List<Pod> pods = List.of(gpuPod("huge", "f1", "99999999Ei", 0), gpuPod("ok", "f1", "30Gi", 1));

    PoolPlan plan = plan(pool, pods, false, T0.plusSeconds(60));

    assertThat(names(plan, PodAction.Admit.class)).containsExactly("ok");
    assertThat(plan.podActions())
        .filteredOn(a -> a instanceof PodAction.Wait)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.pod().getMetadata().getName()).isEqualTo("huge");
              assertThat(((PodAction.Wait) a).reason()).isEqualTo("InvalidPodRequests");
              assertThat(((PodAction.Wait) a).message())
                  .startsWith("the pod's resource requests cannot be read");
            });
  }

  @Test
  void maxConcurrentRequestsIsInstancesTimesInstanceConcurrency() {
    ResidentPool pool = pool("pool", 4, 10);
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pods.add(
          created(
              Pools.concurrency(pod("chat-" + i, "pool", "chat", 1, "10Gi"), 8),
              T0.plusSeconds(i)));
    }

    plan(pool, pods, false, T0.plusSeconds(60));

    PoolFunctionStatus chat = pool.getStatus().getFunctions().get(0);
    assertThat(chat.getInstanceConcurrency()).isEqualTo(8);
    assertThat(chat.getMaxConcurrentRequests()).isEqualTo(24);
    assertThat(chat.getCards()).isEqualTo(3);
  }

  @Test
  void anAnnotationFoundOnAPodIsNoEvidence() {
    ResidentPool pool = pool("pool", 1, 10);
    Pod honest = gpuPod("honest", "f", "10Gi", 1);
    Pod forged =
        created(
            pod("forged", "pool", "f", 1, "10Gi")
                .editMetadata()
                .addToAnnotations(BILLING_MODE_ANNOTATION, MODE_RESIDENT)
                .endMetadata()
                .editSpec()
                .withSchedulingGates()
                .endSpec(),
            T0.plusSeconds(2));

    PoolPlan plan = plan(pool, List.of(forged, honest), false, T0.plusSeconds(60));

    assertThat(names(plan, PodAction.Admit.class)).containsExactly("honest");
    assertThat(names(plan, PodAction.Evict.class)).containsExactly("forged");
    assertThat(pool.getStatus().getInstances())
        .extracting(ResidentInstance::getPod)
        .containsExactly("honest");
  }

  @Test
  void aRestartRebuildsTheSameLedgerFromStatus() {
    ResidentPool pool = pool("pool", 1, 10);
    Pod first = gpuPod("first", "f", "10Gi", 1);
    plan(pool, List.of(first), false, T0.plusSeconds(60));
    String since = pool.getStatus().getInstances().get(0).getSince();
    Pod older = gpuPod("older", "f", "10Gi", 0);

    // A fresh planner (a restarted operator) sees the ledger only through status.
    PoolPlanner restarted = Pools.planner();
    PoolPlan plan =
        restarted.plan(
            pool,
            List.of(older, first),
            List.of(),
            Borrowers.none(),
            null,
            false,
            T0.plusSeconds(600));

    assertThat(names(plan, PodAction.Admit.class)).containsExactly("first");
    assertThat(names(plan, PodAction.Wait.class)).containsExactly("older");
    assertThat(plan.status().getInstances().get(0).getSince()).isEqualTo(since);
  }

  @Test
  void anEndedPodReleasesItsInstanceToTheOldestWaitingPod() {
    ResidentPool pool = pool("pool", 1, 10);
    Pod running = gpuPod("running", "f", "10Gi", 1);
    Pod next = gpuPod("next", "f", "10Gi", 2);
    Pod last = gpuPod("last", "f", "10Gi", 3);
    plan(pool, List.of(running, next, last), false, T0.plusSeconds(10));
    running.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Succeeded").build());

    PoolPlan plan = plan(pool, List.of(running, last, next), false, T0.plusSeconds(20));

    assertThat(names(plan, PodAction.Admit.class)).containsExactly("next");
    assertThat(names(plan, PodAction.Wait.class)).containsExactly("last");
  }

  @Test
  void atExpiryResidentPodsAreEvictedAndNewPodsWaitWithPoolExpired() {
    ResidentPool pool = pool("pool", 2, 10);
    Pod resident = gpuPod("resident", "f", "10Gi", 1);
    plan(pool, List.of(resident), false, T0);
    Pod replacement = gpuPod("replacement", "f", "10Gi", 5);

    PoolPlan plan =
        plan(pool, List.of(resident, replacement), false, Instant.parse("2026-04-01T00:00:00Z"));

    assertThat(pool.getStatus().getPhase()).isEqualTo("Expired");
    assertThat(names(plan, PodAction.Evict.class)).containsExactly("resident");
    assertThat(plan.podActions())
        .filteredOn(a -> a instanceof PodAction.Wait)
        .extracting(a -> ((PodAction.Wait) a).reason())
        .containsExactly("PoolExpired");
    assertThat(pool.getStatus().getInstances()).isEmpty();
    assertThat(pool.getStatus().getCardUsage()).isEqualTo("0/0");
    assertThat(condition(pool, "Ready").getStatus()).isEqualTo("False");
    assertThat(plan.events()).extracting(ObjectEvent::reason).contains("Expired");
  }

  @Test
  void scaleOutWhileOverdueIsRefusedAndAppliedOnceSettled() {
    ResidentPool pool = pool("pool", 2, 10);
    plan(pool, List.of(), false, T0);
    String paid = pool.getStatus().getFees().getPaid();
    pool.getSpec().setCards(4);
    pool.getMetadata().setGeneration(2L);

    PoolPlan refusedPlan = plan(pool, List.of(), true, T0.plus(Duration.ofDays(1)));

    assertThat(refusedPlan.events()).extracting(ObjectEvent::reason).contains("SpecChangeRefused");
    assertThat(pool.getStatus().getCapacity().getCards()).isEqualTo(2);
    Condition refused = condition(pool, "SpecApplied");
    assertThat(refused.getStatus()).isEqualTo("False");
    assertThat(refused.getReason()).isEqualTo("Overdue");
    assertThat(refused.getObservedGeneration()).isEqualTo(2L);
    assertThat(pool.getStatus().getFees().getPaid()).isEqualTo(paid);

    plan(pool, List.of(), false, T0.plus(Duration.ofDays(2)));

    assertThat(pool.getStatus().getCapacity().getCards()).isEqualTo(4);
    assertThat(condition(pool, "SpecApplied").getStatus()).isEqualTo("True");
    assertThat(pool.getStatus().getFees().getPaid()).isNotEqualTo(paid);
  }

  @Test
  void aRunningPoolKeepsAdmittingWhileOverdue() {
    ResidentPool pool = pool("pool", 1, 10);
    plan(pool, List.of(), false, T0);

    PoolPlan plan = plan(pool, List.of(gpuPod("p", "f", "10Gi", 1)), true, T0.plusSeconds(5));

    assertThat(names(plan, PodAction.Admit.class)).containsExactly("p");
  }

  @Test
  void aPoolCreatedWhileOverdueIsNotPurchasedUntilSettled() {
    // fc-resident-resource-pool.txt, "Overdue payments": "you cannot purchase new pools"
    ResidentPool pool = pool("pool", 1, 10);

    PoolPlan pending = plan(pool, List.of(gpuPod("p", "f", "10Gi", 1)), true, T0);

    assertThat(pool.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(pool.getStatus().getActivatedAt()).isNull();
    assertThat(pool.getStatus().getFees().getPaid()).isEqualTo("0.00");
    assertThat(condition(pool, "SpecApplied").getReason()).isEqualTo("Overdue");
    assertThat(condition(pool, "Ready").getStatus()).isEqualTo("False");
    assertThat(pending.podActions())
        .singleElement()
        .isInstanceOfSatisfying(
            PodAction.Wait.class, w -> assertThat(w.reason()).isEqualTo("PoolPending"));

    PoolPlan settled = plan(pool, List.of(gpuPod("p", "f", "10Gi", 1)), false, T0.plusSeconds(60));

    assertThat(pool.getStatus().getPhase()).isEqualTo("Active");
    assertThat(pool.getStatus().getActivatedAt()).isEqualTo(T0.plusSeconds(60).toString());
    assertThat(pool.getStatus().getFees().getPaid()).isEqualTo("1027.70");
    assertThat(names(settled, PodAction.Admit.class)).containsExactly("p");
  }

  // A gated pod of another card type waits with the reason; an ungated one (a running pod
  // labelled into the pool later) must not run outside the pool (docs/resident-pool.md, "No way
  // around it").
  @Test
  void aPodOfAnotherCardTypeWaitsWithAReason_orIsEvictedWhenUngated() {
    ResidentPool pool = pool("pool", 2, 10);
    Pod gated = created(cardType(pod("gated", "pool", "f", 1, "10Gi"), "A10"), T0);
    Pod ungated =
        created(
            cardType(pod("ungated", "pool", "f", 1, "10Gi"), "A10")
                .editSpec()
                .withSchedulingGates()
                .endSpec(),
            T0);

    PoolPlan plan = plan(pool, List.of(gated, ungated), false, T0);

    assertThat(plan.podActions())
        .extracting(a -> a.getClass().getSimpleName() + " " + a.pod().getMetadata().getName())
        .containsExactlyInAnyOrder("Wait gated", "Evict ungated");
    assertThat(plan.podActions())
        .allSatisfy(
            a ->
                assertThat(
                        a instanceof PodAction.Wait w ? w.reason() : ((PodAction.Evict) a).reason())
                    .isEqualTo("PoolCardTypeMismatch"));
  }

  // L20 is the card the catalog sells as the Ada series: a pod naming it (by catalog name or a
  // node-label alias) asks for what an Ada pool holds.
  @Test
  void aPodNamingACardTypeOfThePoolsSeriesIsAdmitted() {
    ResidentPool pool = pool("pool", 2, 10);
    Pod l20 = created(cardType(pod("l20", "pool", "f", 1, "10Gi"), "NVIDIA-L20"), T0);

    PoolPlan plan = plan(pool, List.of(l20), false, T0);

    assertThat(names(plan, PodAction.Admit.class)).containsExactly("l20");
  }

  @Test
  void aOneCardPodAskingFor64VcpuOnAnAdaPoolWaitsWithAReason() {
    // Ada: 8 vCPU and 64 GB per card (fc-resident-resource-pool.txt price table)
    ResidentPool pool = pool("pool", 2, 10);
    Pod greedy =
        created(
            pod("greedy", "pool", "f", 1, "10Gi")
                .editSpec()
                .editFirstContainer()
                .editResources()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("64"))
                .endResources()
                .endContainer()
                .endSpec(),
            T0);

    PoolPlan plan = plan(pool, List.of(greedy), false, T0);

    assertThat(plan.podActions())
        .singleElement()
        .isInstanceOfSatisfying(
            PodAction.Wait.class, w -> assertThat(w.reason()).isEqualTo("PoolShapeExceeded"));
  }

  @Test
  void strictFifoAdmitsNoPodBeforeAnOlderOneThatCouldFit() {
    ResidentPool pool = pool("pool", 2, 10);
    pool.getSpec().setAdmissionOrder(io.gpureservation.api.v1alpha1.AdmissionOrder.Strict);
    Pod held = gpuPod("held", "f", "10Gi", 0);
    plan(pool, List.of(held), false, T0);
    Pod large = created(pod("large", "pool", "f", 2, "10Gi"), T0.plusSeconds(1));
    Pod small = gpuPod("small", "f", "10Gi", 2);

    PoolPlan strict = plan(pool, List.of(held, large, small), false, T0.plusSeconds(3));

    assertThat(names(strict, PodAction.Admit.class)).containsExactly("held");
    assertThat(names(strict, PodAction.Wait.class)).containsExactlyInAnyOrder("large", "small");

    pool.getSpec().setAdmissionOrder(io.gpureservation.api.v1alpha1.AdmissionOrder.Aging);
    PoolPlan aging = plan(pool, List.of(held, large, small), false, T0.plusSeconds(4));
    assertThat(names(aging, PodAction.Admit.class)).containsExactlyInAnyOrder("held", "small");
  }

  @Test
  void refundAfterReactivationUsesTheTermInForce() {
    ResidentPool pool = pool("pool", 1, 10);
    plan(pool, List.of(), false, T0);
    plan(pool, List.of(), false, Instant.parse("2026-04-05T00:00:00Z"));
    pool.getSpec().getSubscription().setRenewals(1L);

    plan(pool, List.of(), false, Instant.parse("2026-04-10T00:00:00Z"));

    assertThat(pool.getStatus().getFees().getPaid()).isEqualTo("2055.40");
    assertThat(pool.getStatus().getFees().getTermPaid()).isEqualTo("1027.70");
    assertThat(pool.getStatus().getTermStart()).isEqualTo("2026-04-10T00:00:00Z");
  }

  @Test
  void scaleOutOfAnExpiredPoolIsRefusedUntilRenewed() {
    ResidentPool pool = pool("pool", 2, 10);
    plan(pool, List.of(), false, T0);
    Instant afterExpiry = Instant.parse("2026-04-05T00:00:00Z");
    plan(pool, List.of(), false, afterExpiry);
    pool.getSpec().setCards(3);

    plan(pool, List.of(), false, afterExpiry.plusSeconds(1));
    assertThat(condition(pool, "SpecApplied").getReason()).isEqualTo("PoolExpired");
    assertThat(pool.getStatus().getInForce().getCards()).isEqualTo(2);

    pool.getSpec().getSubscription().setRenewals(1L);
    plan(pool, List.of(), false, afterExpiry.plusSeconds(2));
    assertThat(pool.getStatus().getPhase()).isEqualTo("Active");
    assertThat(pool.getStatus().getInForce().getCards()).isEqualTo(3);
  }

  @Test
  void eachReminderIsAnEventOnceAndRecordedInStatus() {
    ResidentPool pool = pool("pool", 1, 10);
    plan(pool, List.of(), false, T0);
    Instant sevenDaysBefore = Instant.parse("2026-03-25T00:00:00Z");

    PoolPlan first = plan(pool, List.of(), false, sevenDaysBefore);
    PoolPlan second = plan(pool, List.of(), false, sevenDaysBefore.plusSeconds(3600));

    assertThat(first.events()).extracting(ObjectEvent::reason).containsExactly("ExpiresIn7Days");
    assertThat(second.events()).isEmpty();
    assertThat(pool.getStatus().getRemindersSent())
        .containsExactly("ExpiresIn7Days@2026-04-01T00:00:00Z");
  }

  private static PodBuilder cardType(PodBuilder pod, String type) {
    return pod.editMetadata().addToLabels("gpureservation.io/card-type", type).endMetadata();
  }
}
