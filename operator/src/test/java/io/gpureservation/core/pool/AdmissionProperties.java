package io.gpureservation.core.pool;

import static io.gpureservation.core.pool.PoolFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class AdmissionProperties {

  @Property
  void admissionNeverExceedsCapacity(
      @ForAll @IntRange(min = 1, max = 16) int cards,
      @ForAll @IntRange(min = 1, max = 6) int diskTens,
      @ForAll("pods") List<PoolPod> pods) {
    PoolCapacity capacity = PoolCapacity.of(cards, diskTens * 10L);
    Admission.Plan plan = Admission.plan(capacity, List.of(), pods, T0);

    assertThat(capacity.fits(Admission.used(plan.admitted()))).isTrue();
    assertThat(plan.admitted().size() + plan.waiting().size()).isEqualTo(pods.size());
  }

  @Property
  void everyWaitingPodIsOneThatCannotFitWhatIsLeft(
      @ForAll @IntRange(min = 1, max = 16) int cards, @ForAll("pods") List<PoolPod> pods) {
    PoolCapacity capacity = PoolCapacity.of(cards, 40);
    Admission.Plan plan = Admission.plan(capacity, List.of(), pods, T0);
    PoolCapacity free = capacity.minus(Admission.used(plan.admitted()));

    for (PoolPod waiting : plan.waiting()) {
      assertThat(free.fits(waiting.demand())).isFalse();
    }
  }

  @Property
  void admittingInTwoRoundsEqualsAdmittingAtOnce(@ForAll("pods") List<PoolPod> pods) {
    PoolCapacity capacity = PoolCapacity.of(8, 30);
    Admission.Plan once = Admission.plan(capacity, List.of(), pods, T0);
    Admission.Plan first = Admission.plan(capacity, List.of(), pods, T0);
    Admission.Plan second = Admission.plan(capacity, first.admitted(), first.waiting(), T0);

    assertThat(second.admitted()).isEmpty();
    assertThat(second.waiting()).isEqualTo(once.waiting());
  }

  @Provide
  Arbitrary<List<PoolPod>> pods() {
    Arbitrary<PoolPod> pod =
        Combinators.combine(
                Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 80))
            .as((created, cards, disk) -> PoolFixtures.pod("p", "f", created, cards, disk));
    return pod.list()
        .ofMaxSize(30)
        .map(
            list -> {
              List<PoolPod> named = new ArrayList<>();
              for (int i = 0; i < list.size(); i++) {
                PoolPod p = list.get(i);
                named.add(
                    new PoolPod(
                        "uid-" + i, "pod-" + i, "f", p.createdAt(), p.demand(), p.concurrency()));
              }
              return named;
            });
  }
}
