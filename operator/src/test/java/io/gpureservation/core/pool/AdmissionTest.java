package io.gpureservation.core.pool;

import static io.gpureservation.core.pool.PoolFixtures.T0;
import static io.gpureservation.core.pool.PoolFixtures.held;
import static io.gpureservation.core.pool.PoolFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  // fc-resident-resource-pool.txt, "How do I set the right disk specification per card?":
  // 6 cards x 40 GB = 240 GB holds function 1 (30 GB x 4) and function 2 (60 GB x 2).
  private static final PoolCapacity REFERENCE_POOL = PoolCapacity.of(6, 40);

  @Test
  void referenceDiskExampleFitsExactlySixCardsOf40Gb() {
    List<PoolPod> pods =
        List.of(
            pod("f1-a", "f1", 1, 1, 30),
            pod("f1-b", "f1", 2, 1, 30),
            pod("f1-c", "f1", 3, 1, 30),
            pod("f1-d", "f1", 4, 1, 30),
            pod("f2-a", "f2", 5, 1, 60),
            pod("f2-b", "f2", 6, 1, 60));

    Admission.Plan plan = Admission.plan(REFERENCE_POOL, List.of(), pods, T0);

    assertThat(plan.admitted()).hasSize(6);
    assertThat(plan.waiting()).isEmpty();
    assertThat(REFERENCE_POOL.minus(Admission.used(plan.admitted()))).isEqualTo(PoolCapacity.NONE);
  }

  @Test
  void seventhInstanceOfReferenceExampleWaitsForCapacity() {
    List<Allocation> ledger =
        List.of(
            held("f1-a", "f1", 1, 30),
            held("f1-b", "f1", 1, 30),
            held("f1-c", "f1", 1, 30),
            held("f1-d", "f1", 1, 30),
            held("f2-a", "f2", 1, 60));

    Admission.Plan plan =
        Admission.plan(
            REFERENCE_POOL,
            ledger,
            List.of(pod("f2-b", "f2", 1, 1, 60), pod("f2-c", "f2", 2, 1, 60)),
            T0);

    assertThat(plan.admitted()).extracting(Allocation::pod).containsExactly("f2-b");
    assertThat(plan.waiting()).extracting(PoolPod::name).containsExactly("f2-c");
  }

  /** Plans {@code pods} on an empty pool and checks who is admitted and who waits. */
  private static void assertPlan(
      PoolCapacity pool, List<PoolPod> pods, List<String> admitted, List<String> waiting) {
    Admission.Plan plan = Admission.plan(pool, List.of(), pods, T0);

    assertThat(plan.admitted()).extracting(Allocation::pod).containsExactlyElementsOf(admitted);
    assertThat(plan.waiting()).extracting(PoolPod::name).containsExactlyElementsOf(waiting);
  }

  @Test
  void diskRunsOutBeforeCards() {
    assertPlan(
        PoolCapacity.of(6, 10),
        List.of(pod("big-disk", "f", 1, 1, 61), pod("small", "f", 2, 1, 60)),
        List.of("small"),
        List.of("big-disk"));
  }

  @Test
  void oldestPodIsAdmittedFirstRegardlessOfListOrder() {
    assertPlan(
        PoolCapacity.of(2, 10),
        List.of(pod("newest", "f", 30, 2, 1), pod("oldest", "f", 10, 2, 1)),
        List.of("oldest"),
        List.of("newest"));
  }

  @Test
  void equalCreationTimesAreOrderedByName() {
    assertPlan(
        PoolCapacity.of(1, 10),
        List.of(pod("b", "f", 5, 1, 1), pod("a", "f", 5, 1, 1)),
        List.of("a"),
        List.of("b"));
  }

  @Test
  void podLargerThanThePoolDoesNotBlockSmallerPodsBehindIt() {
    assertPlan(
        PoolCapacity.of(6, 10),
        List.of(pod("eight-cards", "big", 1, 8, 1), pod("one-card", "small", 2, 1, 1)),
        List.of("one-card"),
        List.of("eight-cards"));
  }

  @Test
  void admittedLinesRecordTheAdmissionTime() {
    Admission.Plan plan =
        Admission.plan(
            PoolCapacity.of(1, 10), List.of(), List.of(pod("p", "f", 1, 1, 1)), T0.plusSeconds(99));

    assertThat(plan.admitted().get(0).since()).isEqualTo(T0.plusSeconds(99));
  }

  // fc-resident-resource-pool.txt, China regions: an Ada card brings 8 vCPU and 64 GB.
  private static final SeriesShape ADA =
      new SeriesShape("Ada", 8_000, 64 * PoolCapacity.GIB, name -> name.equalsIgnoreCase("ada"));

  private static PoolPod shaped(String name, long cards, String cardType, long cpuMillis) {
    PoolPod p = pod(name, "f", 0, cards, 10);
    return new PoolPod(
        p.uid(),
        p.name(),
        p.function(),
        p.createdAt(),
        p.demand(),
        1,
        new PodShape(Optional.ofNullable(cardType), cpuMillis, 8 * PoolCapacity.GIB));
  }

  @Test
  void anAdaPoolRefusesAPodAskingForAnotherCardType() {
    Admission.Plan plan =
        Admission.plan(
            REFERENCE_POOL,
            List.of(),
            List.of(shaped("l20", 1, "L20", 1_000), shaped("ada", 1, "ADA", 1_000)),
            new Admission.Rules(Optional.of(ADA), Admission.DEFAULT_AGING),
            T0);

    assertThat(plan.admitted()).extracting(Allocation::pod).containsExactly("ada");
    assertThat(plan.refused()).extracting(r -> r.pod().name()).containsExactly("l20");
    assertThat(plan.refused().get(0).refusal().reason()).isEqualTo(SeriesShape.CARD_TYPE_MISMATCH);
  }

  @Test
  void aOneCardPodMayAskForAtMostOneCardsWorthOfCpu() {
    Admission.Plan plan =
        Admission.plan(
            REFERENCE_POOL,
            List.of(),
            List.of(shaped("big-cpu", 1, null, 64_000), shaped("two-cards", 2, null, 16_000)),
            new Admission.Rules(Optional.of(ADA), Admission.DEFAULT_AGING),
            T0);

    assertThat(plan.refused()).extracting(r -> r.pod().name()).containsExactly("big-cpu");
    assertThat(plan.refused().get(0).refusal().reason()).isEqualTo(SeriesShape.SHAPE_EXCEEDED);
    assertThat(plan.admitted()).extracting(Allocation::pod).containsExactly("two-cards");
  }

  private static List<Allocation> fiveOfSixCardsHeld() {
    List<Allocation> ledger = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ledger.add(held("h" + i, "f", 1, 10));
    }
    return ledger;
  }

  @Test
  void aLargePodThatWaitedPastTheAgingBoundIsNoLongerOvertaken() {
    // 6 cards, 5 held: a 2-card pod (created at T0) waits; a 1-card pod behind it fits.
    List<Allocation> ledger = fiveOfSixCardsHeld();
    List<PoolPod> queue = List.of(pod("large", "f", 0, 2, 10), pod("small", "f", 10, 1, 10));
    Admission.Rules rules = new Admission.Rules(Optional.empty(), Duration.ofMinutes(5));

    Admission.Plan young = Admission.plan(REFERENCE_POOL, ledger, queue, rules, T0.plusSeconds(60));
    assertThat(young.admitted()).extracting(Allocation::pod).containsExactly("small");

    Admission.Plan aged =
        Admission.plan(REFERENCE_POOL, ledger, queue, rules, T0.plus(Duration.ofMinutes(5)));
    assertThat(aged.admitted()).isEmpty();
    assertThat(aged.waiting()).extracting(PoolPod::name).containsExactly("large", "small");
    assertThat(aged.blockedBy()).map(PoolPod::name).contains("large");
  }

  @Test
  void strictFifoIsAnAgingBoundOfZero() {
    List<Allocation> ledger = fiveOfSixCardsHeld();
    List<PoolPod> queue = List.of(pod("large", "f", 0, 2, 10), pod("small", "f", 10, 1, 10));

    Admission.Plan plan =
        Admission.plan(
            REFERENCE_POOL,
            ledger,
            queue,
            new Admission.Rules(Optional.empty(), Duration.ZERO),
            T0);

    assertThat(plan.admitted()).isEmpty();
  }

  @Test
  void aPodLargerThanThePoolNeverBlocksEvenWhenAged() {
    List<PoolPod> queue = List.of(pod("huge", "f", 0, 7, 10), pod("small", "f", 10, 1, 10));

    Admission.Plan plan =
        Admission.plan(
            REFERENCE_POOL,
            List.of(),
            queue,
            new Admission.Rules(Optional.empty(), Duration.ZERO),
            T0.plus(Duration.ofHours(1)));

    assertThat(plan.admitted()).extracting(Allocation::pod).containsExactly("small");
    assertThat(plan.blockedBy()).isEmpty();
  }
}
