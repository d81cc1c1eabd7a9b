package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A DRA hand-over on the project's cluster (docs/capacity-holding.md, "GPUs claimed through DRA"):
 * on {@code l20-dra-a-1} (eight L20 devices in its ResourceSlice) seven devices run pods no
 * reservation holds and the eighth is held by the placeholder of a reservation whose placeholders
 * claim through DRA. While a pod of another tenant and another reservation's DRA placeholder wait
 * for an L20 device, a pod of the reservation that claims an L20 through a template (CEL on {@code
 * productName}) is gated by the webhook, its claim tolerates its own hand-over (the chart's
 * MutatingAdmissionPolicy), and the operator taints exactly the placeholder's device for it, pins
 * and ungates it, and deletes the placeholder: the pod runs with that device, billed reserved, the
 * waiting pods stay Pending, and no DeviceTaintRule is left.
 */
class DraHandOverIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final Duration WAIT = DraHandOvers.WAIT;
  private static final String NODE = DraHandOvers.NODE;
  private final DraHandOvers dra = new DraHandOvers(cluster);

  private ChartOperator operator;

  @BeforeEach
  void startOperator() {
    // Plain /metrics on the health port, to read the chargeback metrics (MetricsAuthIT says who
    // may).
    operator = ChartOperator.startWithWebhook(cluster, Map.of("METRICS_SECURE", "false"));
  }

  @AfterEach
  void stopOperator() {
    operator.closeAndUnregisterWebhooks(cluster);
  }

  @Test
  void aDraPodGetsItsPlaceholdersDeviceWhileAnotherTenantAndAnotherReservationWait() {
    // Not the operator's own namespace: the webhook never gates pods there.
    String ns = cluster.createNamespace(cluster.namespace() + "-work");
    String fill = cluster.createNamespace(ns + "-fill");
    String other = cluster.createNamespace(ns + "-other");
    String rivals = cluster.createNamespace(ns + "-rival");
    dra.fillAllButOne(fill, List.of(ns, other));
    dra.draReservation(ns, "held");
    Pod placeholder = dra.runningPlaceholder(ns, "held");
    String device = dra.devicesOf(placeholder).get(0);
    ReservationStatus.await(cluster, ns, "held", s -> assertThat(s.get("held")).isEqualTo(1));

    // Waiting for the same card: another reservation's DRA placeholder and another tenant's pod.
    dra.draReservation(rivals, "rival");
    cluster.admin().resource(dra.draPod(other, "competitor")).create();
    await()
        .atMost(WAIT)
        .until(
            () ->
                dra.triedAndPending(rivals, "rival-hold-0")
                    && dra.triedAndPending(other, "competitor"));
    dra.awaitWebhookAndPolicy(ns);

    Pod created = cluster.admin().resource(dra.draPod(ns, "claimant")).create();
    assertThat(created.getSpec().getSchedulingGates()).as("gated").isNotEmpty();
    assertThat(created.getSpec().getPriorityClassName()).isEqualTo("gpu-reservation-claimant");
    Pod running = dra.running(ns, "claimant");
    assertThat(running.getSpec().getNodeName()).isEqualTo(NODE);
    assertThat(dra.devicesOf(running)).as("the claimant's device").containsExactly(device);
    assertThat(
            dra.claimOf(running)
                .getSpec()
                .getDevices()
                .getRequests()
                .get(0)
                .getExactly()
                .getTolerations())
        .anyMatch(
            t ->
                "gpureservation.io/handover".equals(t.getKey())
                    && running.getMetadata().getUid().equals(t.getValue()));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(dra.pod(ns, "claimant").getMetadata().getAnnotations())
                    .containsEntry("gpureservation.io/billing-mode", "reserved")
                    .containsEntry("gpureservation.io/reservation", "held/0"));
    // The chargeback metrics price the handed-over pod as an L20 pod, billed reserved.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(operator.metrics())
                    .contains(
                        "gpureservation_pod_hourly_cost{namespace=\""
                            + ns
                            + "\",pod=\"claimant\",card_type=\"L20\",billing_mode=\"reserved\"} 1.8"));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(dra.rules()).as("DeviceTaintRules left").isEmpty());
    // Nothing else got a device the hand-over freed, then or after the rule went.
    assertThat(dra.triedAndPending(rivals, "rival-hold-0"))
        .as("rival placeholder pending")
        .isTrue();
    assertThat(dra.triedAndPending(other, "competitor")).as("competitor pending").isTrue();
    assertThat(dra.pod(ns, "held-hold-0")).as("the handed-over placeholder").isNull();
  }
}
