package io.gpureservation.core.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one function takes from the pool. The reference caps a function's concurrent requests at
 * resident instances x instance concurrency; when the function's instances disagree (mid-rollout)
 * the lowest concurrency is reported, the guarantee that holds for every instance.
 */
public record FunctionUsage(
    String function, int instances, int instanceConcurrency, PoolCapacity used) {

  public long maxConcurrentRequests() {
    return (long) instances * instanceConcurrency;
  }

  /** Per-function usage of a ledger, sorted by function name. */
  public static List<FunctionUsage> of(List<Allocation> ledger) {
    Map<String, List<Allocation>> byFunction = new TreeMap<>();
    for (Allocation a : ledger) {
      byFunction.computeIfAbsent(a.function(), f -> new ArrayList<>()).add(a);
    }
    List<FunctionUsage> result = new ArrayList<>();
    byFunction.forEach(
        (function, list) ->
            result.add(
                new FunctionUsage(
                    function,
                    list.size(),
                    list.stream().mapToInt(Allocation::concurrency).min().orElse(1),
                    Admission.used(list))));
    return result;
  }
}
