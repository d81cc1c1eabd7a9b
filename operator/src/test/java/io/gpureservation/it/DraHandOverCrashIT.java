package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crash safety of the DRA hand-over (docs/capacity-holding.md, "GPUs claimed through DRA"): a
 * DeviceTaintRule keeps its device from everyone but one pod and nothing collects it for the
 * operator, so an operator killed (SIGKILL) right after writing one must delete it after its
 * restart — at once when its claimant was deleted meanwhile (the slot is then held again), and once
 * the claimant is bound when it is still there (it gets the placeholder's device).
 */
class DraHandOverCrashIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final Duration WAIT = DraHandOvers.WAIT;
  private final DraHandOvers dra = new DraHandOvers(cluster);
  private KillableOperator operator;
  private List<HasMetadata> policy;

  @AfterEach
  void stopOperator() throws InterruptedException {
    if (operator != null) {
      operator.close();
    }
    if (policy != null) {
      cluster.admin().resourceList(policy).delete();
    }
  }

  @Test
  void killNineMidHandOverLeavesNoDeviceTaintRuleBehind() throws Exception {
    String ns = cluster.namespace();
    String fill = cluster.createNamespace(ns + "-fill");
    policy = ChartOperator.handOverTolerationPolicy(cluster, ns);
    cluster.admin().resourceList(policy).createOrReplace();
    operator = new KillableOperator(cluster, "DraHandOverCrashIT");
    operator.registerWebhook(
        "dra-handover-crash", "capacity-gate.gpureservation.io", "Ignore", null);
    operator.start();
    dra.fillAllButOne(fill, List.of(ns));
    dra.draReservation(ns, "held");
    dra.runningPlaceholder(ns, "held");
    dra.awaitWebhookAndPolicy(ns);

    // Killed once its rule is written; the claimant is deleted while the operator is down.
    cluster.admin().resource(dra.draPod(ns, "gone")).create();
    killOnceARuleIsWritten();
    cluster.admin().pods().inNamespace(ns).withName("gone").withGracePeriod(0).delete();
    operator.start();
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(dra.rules()).as("DeviceTaintRules left").isEmpty());
    String device = dra.devicesOf(dra.runningPlaceholder(ns, "held")).get(0);

    // Killed mid-hand-over again, the claimant still there: it gets the device, no rule is left.
    cluster.admin().resource(dra.draPod(ns, "claimant")).create();
    killOnceARuleIsWritten();
    Thread.sleep(500);
    operator.start();
    Pod running = dra.running(ns, "claimant");
    assertThat(running.getSpec().getNodeName()).isEqualTo(DraHandOvers.NODE);
    assertThat(dra.devicesOf(running)).as("the claimant's device").containsExactly(device);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(dra.rules()).as("DeviceTaintRules left").isEmpty());
  }

  private void killOnceARuleIsWritten() throws InterruptedException {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> !dra.rules().isEmpty());
    operator.kill();
  }
}
