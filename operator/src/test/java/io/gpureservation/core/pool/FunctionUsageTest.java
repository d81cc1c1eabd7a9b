package io.gpureservation.core.pool;

import static io.gpureservation.core.pool.PoolFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionUsageTest {

  private static Allocation instance(String pod, String function, int concurrency) {
    return new Allocation("uid-" + pod, pod, function, PoolCapacity.of(1, 30), concurrency, T0);
  }

  @Test
  void maxConcurrentRequestsIsInstancesTimesConcurrency() {
    // fc-resident-resource-pool.txt: max concurrent requests = instances x instance concurrency.
    List<FunctionUsage> usage =
        FunctionUsage.of(
            List.of(
                instance("a", "chat", 10), instance("b", "chat", 10), instance("c", "chat", 10)));

    assertThat(usage).hasSize(1);
    FunctionUsage chat = usage.get(0);
    assertThat(chat.instances()).isEqualTo(3);
    assertThat(chat.instanceConcurrency()).isEqualTo(10);
    assertThat(chat.maxConcurrentRequests()).isEqualTo(30);
    assertThat(chat.used()).isEqualTo(PoolCapacity.of(3, 30));
  }

  @Test
  void mixedConcurrencyReportsTheLowest() {
    FunctionUsage f =
        FunctionUsage.of(List.of(instance("a", "f", 4), instance("b", "f", 2))).get(0);

    assertThat(f.instanceConcurrency()).isEqualTo(2);
    assertThat(f.maxConcurrentRequests()).isEqualTo(4);
  }

  @Test
  void functionsAreSeparatedAndSortedByName() {
    List<FunctionUsage> usage =
        FunctionUsage.of(List.of(instance("a", "zeta", 1), instance("b", "alpha", 1)));

    assertThat(usage).extracting(FunctionUsage::function).containsExactly("alpha", "zeta");
  }
}
