package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.gpureservation.cluster.HandOverTaints;
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
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String NODE = "l20-dra-a-1";

  private ChartOperator operator;

  @BeforeEach
  void startOperator() {
    operator = ChartOperator.startWithWebhook(cluster);
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
    for (String namespace : List.of(ns, fill, other)) {
      template(namespace);
    }
    // Seven of the node's eight L20 devices run pods no reservation holds.
    for (int i = 0; i < 7; i++) {
      cluster.admin().resource(draPod(fill, "fill-" + i)).create();
    }
    await().atMost(WAIT).until(() -> running(fill) == 7);

    draReservation(ns, "held");
    Pod placeholder =
        await()
            .atMost(WAIT)
            .until(
                () -> pod(ns, "held-hold-0"),
                p -> p != null && "Running".equals(p.getStatus().getPhase()));
    assertThat(placeholder.getSpec().getNodeName()).isEqualTo(NODE);
    String device = devicesOf(placeholder).get(0);
    ReservationStatus.await(cluster, ns, "held", s -> assertThat(s.get("held")).isEqualTo(1));

    // Waiting for the same card: another reservation's DRA placeholder and another tenant's pod.
    draReservation(rivals, "rival");
    cluster.admin().resource(draPod(other, "competitor")).create();
    await()
        .atMost(WAIT)
        .until(
            () -> triedAndPending(rivals, "rival-hold-0") && triedAndPending(other, "competitor"));
    awaitWebhookAndPolicy(ns);

    Pod created = cluster.admin().resource(draPod(ns, "claimant")).create();
    assertThat(created.getSpec().getSchedulingGates()).as("gated").isNotEmpty();
    assertThat(created.getSpec().getPriorityClassName()).isEqualTo("gpu-reservation-claimant");
    Pod running =
        await()
            .atMost(WAIT)
            .until(
                () -> pod(ns, "claimant"),
                p -> p != null && "Running".equals(p.getStatus().getPhase()));
    assertThat(running.getSpec().getNodeName()).isEqualTo(NODE);
    assertThat(devicesOf(running)).as("the claimant's device").containsExactly(device);
    assertThat(
            claimOf(running)
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
                assertThat(pod(ns, "claimant").getMetadata().getAnnotations())
                    .containsEntry("gpureservation.io/billing-mode", "reserved")
                    .containsEntry("gpureservation.io/reservation", "held/0"));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(rules()).as("DeviceTaintRules left").isEmpty());
    // Nothing else got a device the hand-over freed, then or after the rule went.
    assertThat(triedAndPending(rivals, "rival-hold-0")).as("rival placeholder pending").isTrue();
    assertThat(triedAndPending(other, "competitor")).as("competitor pending").isTrue();
    assertThat(pod(ns, "held-hold-0")).as("the handed-over placeholder").isNull();
  }

  private static void template(String namespace) {
    Workload.claimTemplate(cluster, namespace, "l20", "gpu.nvidia.com", Workload.L20_DEVICE);
  }

  // One slot of one L20 held through DRA, shaped like the pods below (1 vCPU, 1Gi).
  private static void draReservation(String namespace, String name) {
    Workload.reservation(
        cluster,
        namespace,
        name,
        Map.of(
            "cardType",
            "L20",
            "cards",
            1,
            "quantity",
            1,
            "cpu",
            "1",
            "memory",
            "1Gi",
            "placeholders",
            Map.of("deviceClassName", "gpu.nvidia.com")));
  }

  private static Pod draPod(String namespace, String name) {
    return cluster
        .admin()
        .pods()
        .load(
            new java.io.ByteArrayInputStream(
                """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: %s}
                spec:
                  terminationGracePeriodSeconds: 0
                  resourceClaims: [{name: gpu, resourceClaimTemplateName: l20}]
                  containers:
                  - name: main
                    image: registry.example.com/train:1.0
                    resources:
                      requests: {cpu: "1", memory: 1Gi}
                      claims: [{name: gpu}]
                """
                    .formatted(name, namespace)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .item();
  }

  // The webhook gates a DRA pod of the namespace, and the policy tolerates a pod-owned claim.
  private void awaitWebhookAndPolicy(String ns) {
    Workload.awaitWebhookGates(cluster, draPod(ns, "probe"), WAIT);
    String claim =
        """
        apiVersion: resource.k8s.io/v1
        kind: ResourceClaim
        metadata:
          name: probe
          namespace: %s
          ownerReferences: [{apiVersion: v1, kind: Pod, name: probe, uid: 00000000-0000-0000-0000-000000000001}]
        spec:
          devices:
            requests:
            - name: gpu
              exactly: {deviceClassName: gpu.nvidia.com}
        """
            .formatted(ns);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              ResourceClaim probe =
                  cluster
                      .admin()
                      .resources(ResourceClaim.class)
                      .load(
                          new java.io.ByteArrayInputStream(
                              claim.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                      .dryRun()
                      .create();
              return probe.getSpec().getDevices().getRequests().get(0).getExactly().getTolerations()
                  != null;
            });
  }

  private static int running(String namespace) {
    return (int)
        cluster.admin().pods().inNamespace(namespace).list().getItems().stream()
            .filter(p -> "Running".equals(p.getStatus().getPhase()))
            .count();
  }

  private static Pod pod(String namespace, String name) {
    return cluster.admin().pods().inNamespace(namespace).withName(name).get();
  }

  // Pending, unbound, and the scheduler has tried it (PodScheduled=False).
  private static boolean triedAndPending(String namespace, String name) {
    Pod p = pod(namespace, name);
    return p != null
        && p.getSpec().getNodeName() == null
        && "Pending".equals(p.getStatus().getPhase())
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()));
  }

  private static ResourceClaim claimOf(Pod pod) {
    String name = pod.getStatus().getResourceClaimStatuses().get(0).getResourceClaimName();
    return cluster
        .admin()
        .resources(ResourceClaim.class)
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(name)
        .get();
  }

  private static List<String> devicesOf(Pod pod) {
    return claimOf(pod).getStatus().getAllocation().getDevices().getResults().stream()
        .map(r -> r.getPool() + "/" + r.getDevice())
        .toList();
  }

  private static List<GenericKubernetesResource> rules() {
    return cluster
        .admin()
        .genericKubernetesResources(HandOverTaints.RULES)
        .withLabel("gpureservation.io/handover", "true")
        .list()
        .getItems();
  }
}
