package io.gpureservation.core.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which waiting pods the pool admits (docs/resident-pool.md, "Admission"). Pods are considered
 * oldest first (FIFO by creation time, then name). A pod the pool can never run (another card type,
 * more CPU or memory than its cards bring) is refused with a reason. Each other pod that fits in
 * what is still free is admitted. A pod that does not fit keeps waiting without blocking smaller
 * pods behind it — until it has waited {@code aging}: from then on it is next in line and no
 * younger pod is admitted before it, so a stream of small pods cannot starve a large one. A pod
 * larger than the whole pool never blocks anyone.
 */
public final class Admission {
  /** How long a pod may be overtaken by smaller, younger pods before it blocks them. */
  public static final Duration DEFAULT_AGING = Duration.ofMinutes(5);

  private Admission() {}

  /**
   * The pool's rules for pods: the series shape pods must fit (empty: cards and disk only), and the
   * aging bound ({@link Duration#ZERO}: strict FIFO).
   */
  public record Rules(Optional<SeriesShape> series, Duration aging) {
    /** Cards and disk only, best-effort FIFO without a bound. */
    public static final Rules CAPACITY_ONLY =
        new Rules(Optional.empty(), Duration.ofSeconds(Long.MAX_VALUE));
  }

  /** A pod the pool cannot run, with the reason. */
  public record Refused(PoolPod pod, Refusal refusal) {}

  /**
   * The outcome: new ledger lines, pods that keep waiting for capacity, pods refused for their
   * shape, and the pod that blocks younger ones (the aged head of the queue), if any.
   */
  public record Plan(
      List<Allocation> admitted,
      List<PoolPod> waiting,
      List<Refused> refused,
      Optional<PoolPod> blockedBy) {}

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
    for (PoolPod pod : ordered) {
      Optional<Refusal> refusal = rules.series().flatMap(s -> s.refusal(pod));
      if (refusal.isPresent()) {
        refused.add(new Refused(pod, refusal.get()));
      } else if (blocker == null && free.fits(pod.demand())) {
        admitted.add(Allocation.of(pod, now));
        free = free.minus(pod.demand());
      } else {
        waiting.add(pod);
        if (blocker == null && capacity.fits(pod.demand()) && aged(pod, rules.aging(), now)) {
          blocker = pod;
        }
      }
    }
    return new Plan(
        List.copyOf(admitted),
        List.copyOf(waiting),
        List.copyOf(refused),
        Optional.ofNullable(blocker));
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
