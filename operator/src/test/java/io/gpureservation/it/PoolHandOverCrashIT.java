package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.ResidentInstance;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.pool.Pools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pool's hand-over survives SIGKILL (docs/capacity-holding.md "Resident pools"): the operator,
 * with the pool's webhook, runs as its own process and is killed with kill -9 at 20 random points
 * of a loop that creates and deletes 1- and 2-card pool pods. Afterwards every card of the pool is
 * held exactly once — by a bound placeholder or by a running pod in the ledger — no pod is left
 * gated unless no node holds its cards together, and the pods' annotations agree with the ledger.
 */
class PoolHandOverCrashIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final String POOL = "inference";
  private static final int CARDS = 4;
  private static final int KILLS = 20;

  private final Random random = new Random(20261124L);
  private KillableOperator operator;

  @AfterEach
  void stopOperator() throws InterruptedException {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void killNineDuringPoolHandOversLeavesEveryCardHeldOnce() throws Exception {
    operator = new KillableOperator(cluster, "PoolHandOverCrashIT");
    operator.registerWebhook(
        "pool-crash",
        "resident-pool-gate.gpureservation.io",
        "Fail",
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey(GpuReservation.RESIDENT_POOL_LABEL)
            .withOperator("Exists")
            .endMatchExpression()
            .build());
    ResidentPool pool = Pools.pool(POOL, CARDS, 10);
    pool.getMetadata().setNamespace(cluster.namespace());
    pool.getMetadata().setUid(null);
    pool.getMetadata().setGeneration(null);
    cluster.admin().resource(pool).create();
    operator.start();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> status() != null && Integer.valueOf(CARDS).equals(status().getHeldCards()));

    Map<String, Integer> live = new HashMap<>();
    Set<String> pinned = new HashSet<>();
    int created = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      int steps = 1 + random.nextInt(3);
      for (int i = 0; i < steps; i++) {
        int cards = 1 + random.nextInt(2);
        int used = live.values().stream().mapToInt(Integer::intValue).sum();
        if (used + cards <= CARDS && (live.isEmpty() || random.nextBoolean())) {
          String name = "pooled-" + created++;
          poolPod(name, cards);
          live.put(name, cards);
        } else if (!live.isEmpty()) {
          List<String> names = new ArrayList<>(live.keySet());
          String victim = names.get(random.nextInt(names.size()));
          live.remove(victim);
          cluster
              .admin()
              .pods()
              .inNamespace(cluster.namespace())
              .withName(victim)
              .withGracePeriod(0)
              .delete();
        }
        Thread.sleep(random.nextInt(400));
        cluster.admin().pods().inNamespace(cluster.namespace()).list().getItems().stream()
            .filter(p -> annotations(p).containsKey(GpuReservation.HANDOVER_ANNOTATION))
            .forEach(p -> pinned.add(p.getMetadata().getName()));
      }
      // The controllers start seconds after the webhook: a random wait lets the kills fall both
      // before and in the middle of hand-overs.
      Thread.sleep(random.nextInt(2500));
      operator.kill(); // SIGKILL at a random point of the hand-overs
      Thread.sleep(random.nextInt(800));
      operator.start();
    }
    System.out.printf(
        "pool hand-over churn: %d pods created, %d pinned to held cards, %d kills%n",
        created, pinned.size(), KILLS);
    assertThat(pinned).as("pods pinned to held cards").isNotEmpty();

    await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(this::assertConverged);
  }

  private void assertConverged() {
    Map<String, Integer> placeholdersByNode = new HashMap<>();
    Map<String, Pod> pods = new HashMap<>();
    for (Pod p : cluster.admin().pods().inNamespace(cluster.namespace()).list().getItems()) {
      String name = p.getMetadata().getName();
      if (p.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (name.startsWith(POOL + "-hold-")) {
        assertThat(p.getSpec().getNodeName()).as("placeholder %s bound", name).isNotNull();
        placeholdersByNode.merge(p.getSpec().getNodeName(), 1, Integer::sum);
      } else {
        pods.put(p.getMetadata().getUid(), p);
      }
    }
    ResidentPoolStatus s = status();
    int inPods = 0;
    Set<String> inLedger = new HashSet<>();
    for (ResidentInstance i : s.getInstances()) {
      Pod p = pods.get(i.getUid());
      assertThat(p).as("ledger pod %s exists", i.getPod()).isNotNull();
      assertThat(p.getStatus().getPhase()).as("pod %s runs", i.getPod()).isEqualTo("Running");
      assertThat(annotations(p))
          .containsEntry(GpuReservation.BILLING_MODE_ANNOTATION, GpuReservation.MODE_RESIDENT);
      inPods += i.getCards().intValue();
      inLedger.add(i.getUid());
    }
    int placeholders = placeholdersByNode.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(placeholders + inPods).as("cards held by placeholders and pods").isEqualTo(CARDS);
    assertThat(s.getHeldCards()).as("bound placeholders").isEqualTo(placeholders);
    int mostOnOneNode = placeholdersByNode.values().stream().mapToInt(i -> i).max().orElse(0);
    for (Pod p : pods.values()) {
      if (inLedger.contains(p.getMetadata().getUid())) {
        continue;
      }
      // Not admitted: only when no node holds its cards together.
      assertThat(annotations(p))
          .as("waiting pod %s", p.getMetadata().getName())
          .containsEntry(GpuReservation.REASON_ANNOTATION, "PoolFragmented");
      int cards = Integer.parseInt(cardsOf(p));
      assertThat(mostOnOneNode).isLessThan(cards);
      assertThat(placeholders).isGreaterThanOrEqualTo(cards);
    }
  }

  private void poolPod(String name, int cards) {
    Workload.poolPod(cluster, cluster.namespace(), name, POOL, cards);
  }

  private static String cardsOf(Pod p) {
    return p.getSpec()
        .getContainers()
        .get(0)
        .getResources()
        .getRequests()
        .get("nvidia.com/gpu")
        .getAmount();
  }

  private ResidentPoolStatus status() {
    ResidentPool pool =
        cluster
            .admin()
            .resources(ResidentPool.class)
            .inNamespace(cluster.namespace())
            .withName(POOL)
            .get();
    return pool == null ? null : pool.getStatus();
  }

  private static Map<String, String> annotations(Pod p) {
    return p.getMetadata().getAnnotations() == null ? Map.of() : p.getMetadata().getAnnotations();
  }
}
