package io.gpureservation.core.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which waiting pods the pool admits (docs/resident-pool.md, "Admission"). Pods are considered
 * oldest first (FIFO by creation time, then name). A pod the pool can never run (another card type,
 * more CPU or memory than its cards bring) is refused with a reason. Each other pod that fits in
 * what is still free is admitted. A pod that does not fit keeps waiting without blocking smaller
 * pods behind it — until it has waited {@code aging}: from then on it is next in line and no
 * younger pod is admitted before it, so a stream of small pods cannot starve a large one. A pod
 * larger than the whole pool never blocks anyone.
 *
 * <p>With capacity holding (docs/capacity-holding.md "Resident pools") a pod that fits the free
 * cards must also find them held on one node ({@link HeldCards}): it is pinned there; when the pool
 * holds enough cards but no node has them all, it waits as fragmented, and ages like any pod that
 * does not fit, so freed cards accumulate for it.
 */
public final class Admission {
  /** How long a pod may be overtaken by smaller, younger pods before it blocks them. */
  public static final Duration DEFAULT_AGING = Duration.ofMinutes(5);

  private Admission() {}

  /**
   * The pool's rules for pods: the series shape pods must fit (empty: cards and disk only), and the
   * aging bound ({@link Duration#ZERO}: strict FIFO).
   */
  public record Rules(Optional<SeriesShape> series, Duration aging, HeldCards held) {
    /** Cards and disk only, best-effort FIFO without a bound. */
    public static final Rules CAPACITY_ONLY =
        new Rules(Optional.empty(), Duration.ofSeconds(Long.MAX_VALUE));

    /** Rules without capacity holding: every admitted pod is placed anywhere. */
    public Rules(Optional<SeriesShape> series, Duration aging) {
      this(series, aging, HeldCards.untracked());
    }
  }

  /** A pod the pool cannot run, with the reason. */
  public record Refused(PoolPod pod, Refusal refusal) {}

  /**
   * The outcome: new ledger lines, pods that keep waiting for capacity, pods refused for their
   * shape, and the pod that blocks younger ones (the aged head of the queue), if any; of the new
   * lines, the node each pinned pod is handed its held cards on (pod uid → node); of the waiting
   * pods, those that fit the pool's free cards but no node's held cards (docs/capacity-holding.md
   * "Resident pools"), with the most cards held on one node.
   */
  public record Plan(
      List<Allocation> admitted,
      List<PoolPod> waiting,
      List<Refused> refused,
      Optional<PoolPod> blockedBy,
      Map<String, String> pins,
      Map<PoolPod, Integer> fragmented) {}

  /** {@link #plan(PoolCapacity, List, List, Rules, Instant)} with {@link Rules#CAPACITY_ONLY}. */
  public static Plan plan(
      PoolCapacity capacity, List<Allocation> held, List<PoolPod> candidates, Instant now) {
    return plan(capacity, held, candidates, Rules.CAPACITY_ONLY, now);
  }

  /**
   * Plans admissions.
   *
   * @param capacity the pool's capacity in force
   * @param held the ledger: allocations that already hold capacity
   * @param candidates pods that want a resident instance and hold none
   * @param rules the series shape and the aging bound
   * @param now the admission time written into new allocations
   */
  public static Plan plan(
      PoolCapacity capacity,
      List<Allocation> held,
      List<PoolPod> candidates,
      Rules rules,
      Instant now) {
    PoolCapacity free = capacity.minus(used(held));
    List<PoolPod> ordered = new ArrayList<>(candidates);
    ordered.sort(PoolPod.FIFO);
    List<Allocation> admitted = new ArrayList<>();
    List<PoolPod> waiting = new ArrayList<>();
    List<Refused> refused = new ArrayList<>();
    PoolPod blocker = null;
    HeldCards heldCards = rules.held().copy();
    Map<String, String> pins = new HashMap<>();
    Map<PoolPod, Integer> fragmented = new LinkedHashMap<>();
    for (PoolPod pod : ordered) {
      Optional<Refusal> refusal = rules.series().flatMap(s -> s.refusal(pod));
      if (refusal.isPresent()) {
        refused.add(new Refused(pod, refusal.get()));
        continue;
      }
      CardPlacement placement =
          blocker == null && free.fits(pod.demand()) ? heldCards.take(pod.demand().cards()) : null;
      if (placement == null || placement instanceof CardPlacement.Fragmented) {
        if (placement instanceof CardPlacement.Fragmented f) {
          fragmented.put(pod, f.largest());
        }
        waiting.add(pod);
        if (blocker == null && capacity.fits(pod.demand()) && aged(pod, rules.aging(), now)) {
          blocker = pod;
        }
        continue;
      }
      admitted.add(Allocation.of(pod, now));
      free = free.minus(pod.demand());
      if (placement instanceof CardPlacement.Pinned pinned) {
        pins.put(pod.uid(), pinned.node());
      }
    }
    return new Plan(
        List.copyOf(admitted),
        List.copyOf(waiting),
        List.copyOf(refused),
        Optional.ofNullable(blocker),
        Map.copyOf(pins),
        java.util.Collections.unmodifiableMap(fragmented));
  }

  private static boolean aged(PoolPod pod, Duration aging, Instant now) {
    return Duration.between(pod.createdAt(), now).compareTo(aging) >= 0;
  }

  /** The capacity the allocations take together. */
  public static PoolCapacity used(List<Allocation> allocations) {
    PoolCapacity sum = PoolCapacity.NONE;
    for (Allocation a : allocations) {
      sum = sum.plus(a.demand());
    }
    return sum;
  }
}
