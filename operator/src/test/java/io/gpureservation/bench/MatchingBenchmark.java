package io.gpureservation.bench;

import io.gpureservation.core.matching.NamespaceMatcher;
import io.gpureservation.core.matching.PodBilling;
import io.gpureservation.core.matching.PodDef;
import io.gpureservation.core.matching.PodSelector;
import io.gpureservation.core.matching.ReservationDef;
import io.gpureservation.core.matching.SlotShape;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one matching decision in a namespace of N reservations (catalog card groups and
 * sizes, quantities 1..4) with about as many started pods as slots. Every benchmark is a round trip
 * that leaves the matcher as it found it, so that the state stays the same size for the whole run:
 * each figure is the cost of two matcher calls. Run with scripts/bench.sh; see docs/performance.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MatchingBenchmark {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final long GIB = 1L << 30;

  /** Catalog defaults of the reference (highest spec per card group), vCPU and GiB. */
  private static final List<SlotShape> CATALOG =
      List.of(
          shape("L20", 1, 16, 128),
          shape("L20", 2, 32, 230),
          shape("L20", 4, 64, 460),
          shape("L20", 8, 128, 920),
          shape("T4", 1, 24, 90),
          shape("T4", 2, 48, 180),
          shape("A10", 1, 16, 60),
          shape("A10", 2, 32, 120),
          shape("A10", 4, 64, 240),
          shape("A10", 8, 128, 480),
          shape("P16EN", 1, 10, 80),
          shape("P16EN", 2, 22, 225),
          shape("P16EN", 4, 46, 450),
          shape("GU8TF", 1, 16, 128),
          shape("GU8TF", 2, 46, 230));

  /** Idle slots are left here, and no pod waits: a start in this group matches. */
  private static final SlotShape IDLE_GROUP = CATALOG.get(0);

  /** Every slot is held and pods wait: a start goes pay-as-you-go, an end feeds a waiting pod. */
  private static final SlotShape FULL_GROUP = CATALOG.get(6);

  @Param({"1000", "10000", "100000"})
  public int reservations;

  private NamespaceMatcher matcher;
  private long clock;
  private long podCounter;
  private SlotShape idlePodSize;
  private SlotShape fullPodSize;
  private ReservationDef scaled;

  /**
   * Pods of the full group holding slots, oldest deduction first; and those waiting, oldest first.
   */
  private final ArrayDeque<PodDef> holders = new ArrayDeque<>();

  private final ArrayDeque<PodDef> waiting = new ArrayDeque<>();

  private static SlotShape shape(String cardType, int cards, int vcpu, int memoryGiB) {
    return new SlotShape(cardType, cards, vcpu * 1000L, memoryGiB * GIB);
  }

  // A smaller, custom size for every tenth reservation: smallest-spec-first has choices to make.
  private static SlotShape reservationShape(int i) {
    SlotShape base = CATALOG.get(i % CATALOG.size());
    if (i % 10 == 9) {
      return new SlotShape(
          base.cardType(), base.cards(), base.cpuMillis() / 2, base.memoryBytes() / 2);
    }
    return base;
  }

  // The time of the next call; the reconciler drains the change notifications after every call,
  // so does the benchmark (else they pile up).
  private Instant tick() {
    matcher.drainChangedPods();
    matcher.drainChangedReservations();
    return T0.plusSeconds(++clock);
  }

  private PodDef startedPod(SlotShape size) {
    long n = ++podCounter;
    return new PodDef(
        "uid-" + n, "pod-" + n, tick(), size, null, Map.of(), false, PodDef.Lifecycle.STARTED);
  }

  @Setup
  public void setUp() {
    matcher = new NamespaceMatcher();
    clock = 0;
    podCounter = 0;
    holders.clear();
    waiting.clear();
    idlePodSize = shape(IDLE_GROUP.cardType(), IDLE_GROUP.cards(), 4, 16);
    fullPodSize = shape(FULL_GROUP.cardType(), FULL_GROUP.cards(), 4, 16);
    int fullGroupSlots = 0;
    for (int i = 0; i < reservations; i++) {
      SlotShape shape = reservationShape(i);
      int quantity = 1 + i % 4;
      ReservationDef def =
          new ReservationDef("r-" + i, shape, quantity, null, PodSelector.ALL, tick(), true, null);
      matcher.upsertReservation(def, tick());
      if (shape.equals(FULL_GROUP)) {
        fullGroupSlots += quantity;
        scaled = def;
      }
      // Three quarters of every reservation's slots are held by pods of a few sizes.
      for (int k = 0; k < quantity * 3 / 4; k++) {
        SlotShape size =
            new SlotShape(
                shape.cardType(),
                shape.cards(),
                shape.cpuMillis() / (1 + k % 3),
                shape.memoryBytes() / (1 + k % 3));
        matcher.upsertPod(startedPod(size), tick());
      }
    }
    // Fill the full group, then a tenth more pods wait pay-as-you-go.
    for (int k = 0; k < fullGroupSlots + fullGroupSlots / 10 + 1; k++) {
      PodDef pod = startedPod(fullPodSize);
      matcher.upsertPod(pod, tick());
      (matcher.billingOf(pod.uid()) instanceof PodBilling.Reserved ? holders : waiting).add(pod);
    }
    if (holders.isEmpty()
        || waiting.isEmpty()
        || !(startThenEnd(idlePodSize) instanceof PodBilling.Reserved)
        || !(startThenEnd(fullPodSize) instanceof PodBilling.PayAsYouGo)) {
      throw new IllegalStateException("benchmark state is not as designed");
    }
  }

  private PodBilling startThenEnd(SlotShape size) {
    PodDef pod = startedPod(size);
    matcher.upsertPod(pod, tick());
    PodBilling billing = matcher.billingOf(pod.uid());
    matcher.removePod(pod.uid(), tick());
    return billing;
  }

  /** A pod starts and takes an idle slot; then it ends and its slot is idle again. */
  @Benchmark
  public PodBilling podStartThatMatches_thenEnd() {
    return startThenEnd(idlePodSize);
  }

  /** A pod starts where every slot is held: pay-as-you-go; then it ends. */
  @Benchmark
  public PodBilling podStartPayAsYouGo_thenEnd() {
    return startThenEnd(fullPodSize);
  }

  /**
   * A holder ends: its slot is restored and dynamically matched to the oldest waiting pod; then a
   * new pod starts pay-as-you-go at the back of the queue.
   */
  @Benchmark
  public PodBilling podEndRestoresToOldestWaiting_thenNewPodWaits() {
    PodDef ended = holders.poll();
    matcher.removePod(ended.uid(), tick());
    PodDef matched = waiting.poll();
    holders.add(matched);
    PodDef newcomer = startedPod(fullPodSize);
    matcher.upsertPod(newcomer, tick());
    waiting.add(newcomer);
    return matcher.billingOf(matched.uid());
  }

  /**
   * One more slot for a reservation of the full group (the oldest waiting pod takes it), then back
   * to the old quantity (the newest deduction returns to pay-as-you-go).
   */
  @Benchmark
  public int quantityUp_thenDown() {
    ReservationDef up =
        new ReservationDef(
            scaled.name(),
            scaled.shape(),
            scaled.quantity() + 1,
            null,
            PodSelector.ALL,
            scaled.createdAt(),
            true,
            null);
    matcher.upsertReservation(up, tick());
    matcher.upsertReservation(scaled, tick());
    return matcher.idleSlots(scaled.name());
  }
}
