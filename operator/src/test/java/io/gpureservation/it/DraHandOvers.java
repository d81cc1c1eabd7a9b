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

/**
 * The setting of the DRA hand-over tests (docs/capacity-holding.md, "GPUs claimed through DRA") on
 * the project's cluster: pods claiming one L20 through a template {@code l20} (CEL on {@code
 * productName}), reservations of one DRA-held L20 slot, the node {@code l20-dra-a-1} filled but for
 * one device, and what the tests read back (claims, devices, DeviceTaintRules).
 */
final class DraHandOvers {
  static final Duration WAIT = Duration.ofSeconds(90);
  static final String NODE = "l20-dra-a-1";
  private final RealCluster cluster;

  DraHandOvers(RealCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Seven of the node's eight L20 devices run pods of {@code fill}, which no reservation holds; the
   * templates are made in {@code templates} too.
   */
  void fillAllButOne(String fill, List<String> templates) {
    template(fill);
    templates.forEach(this::template);
    for (int i = 0; i < 7; i++) {
      cluster.admin().resource(draPod(fill, "fill-" + i)).create();
    }
    await().atMost(WAIT).until(() -> running(fill) == 7);
  }

  /** A DRA reservation's first placeholder, once it runs on the node. */
  Pod runningPlaceholder(String namespace, String reservation) {
    Pod placeholder = running(namespace, reservation + "-hold-0");
    assertThat(placeholder.getSpec().getNodeName()).isEqualTo(NODE);
    return placeholder;
  }

  void template(String namespace) {
    Workload.claimTemplate(cluster, namespace, "l20", "gpu.nvidia.com", Workload.L20_DEVICE);
  }

  // One slot of one L20 (16 vCPU, 100Gi) held through DRA.
  void draReservation(String namespace, String name) {
    Workload.l20Slots(
        cluster, namespace, name, 1, "placeholders", Map.of("deviceClassName", "gpu.nvidia.com"));
  }

  /** The pod, once it runs. */
  Pod running(String namespace, String name) {
    return await()
        .atMost(WAIT)
        .until(
            () -> pod(namespace, name),
            p -> p != null && "Running".equals(p.getStatus().getPhase()));
  }

  Pod draPod(String namespace, String name) {
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
  void awaitWebhookAndPolicy(String ns) {
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

  int running(String namespace) {
    return (int)
        cluster.admin().pods().inNamespace(namespace).list().getItems().stream()
            .filter(p -> "Running".equals(p.getStatus().getPhase()))
            .count();
  }

  Pod pod(String namespace, String name) {
    return cluster.admin().pods().inNamespace(namespace).withName(name).get();
  }

  // Pending, unbound, and the scheduler has tried it (PodScheduled=False).
  boolean triedAndPending(String namespace, String name) {
    Pod p = pod(namespace, name);
    return p != null
        && p.getSpec().getNodeName() == null
        && "Pending".equals(p.getStatus().getPhase())
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()));
  }

  ResourceClaim claimOf(Pod pod) {
    String name = pod.getStatus().getResourceClaimStatuses().get(0).getResourceClaimName();
    return cluster
        .admin()
        .resources(ResourceClaim.class)
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(name)
        .get();
  }

  List<String> devicesOf(Pod pod) {
    return claimOf(pod).getStatus().getAllocation().getDevices().getResults().stream()
        .map(r -> r.getPool() + "/" + r.getDevice())
        .toList();
  }

  List<GenericKubernetesResource> rules() {
    return cluster
        .admin()
        .genericKubernetesResources(HandOverTaints.RULES)
        .withLabel("gpureservation.io/handover", "true")
        .list()
        .getItems();
  }
}
