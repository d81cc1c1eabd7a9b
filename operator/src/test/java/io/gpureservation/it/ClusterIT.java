package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.resource.v1.Device;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The project's test cluster itself (docs/testing.md "The test cluster"): the declared KWOK GPU
 * nodes are Ready with their card type, zone and GPU capacity (device plugin or DRA, never both);
 * kube-scheduler places pods by those labels, allocates ResourceClaims on the DRA nodes' devices
 * and leaves gated pods alone; nodes come and go at a test's request.
 */
class ClusterIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.plain();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void declaredGpuNodesAreReadyWithCardTypeZoneRegionAndGpuCapacity() throws IOException {
    for (ClusterNodesTest.Node declared : ClusterNodesTest.declaredNodes()) {
      Node node = cluster.admin().nodes().withName(declared.name()).get();
      assertThat(node).as(declared.name()).isNotNull();
      assertThat(node.getMetadata().getLabels())
          .containsEntry("nvidia.com/gpu.product", declared.product())
          .containsEntry("topology.kubernetes.io/zone", declared.zone())
          .containsEntry("topology.kubernetes.io/region", declared.region());
      if (declared.dra()) {
        // Its cards are DRA devices only, never also the extended resource (docs/testing.md).
        assertThat(node.getStatus().getAllocatable()).doesNotContainKey("nvidia.com/gpu");
        assertThat(gpuDevices(declared.name()))
            .hasSize(declared.gpus())
            .allSatisfy(
                d ->
                    assertThat(d.getAttributes().get("productName").getString())
                        .isEqualTo(declared.product().replace('-', ' ')));
      } else {
        assertThat(node.getStatus().getAllocatable())
            .containsEntry("nvidia.com/gpu", new Quantity(String.valueOf(declared.gpus())));
        assertThat(gpuDevices(declared.name())).isEmpty();
      }
      assertThat(node.getStatus().getConditions())
          .anySatisfy(
              c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
              });
    }
  }

  @Test
  void schedulerPlacesPodsByCardTypeAndZone() {
    create(
        "l20-b",
        Map.of("nvidia.com/gpu.product", "NVIDIA-L20", "topology.kubernetes.io/zone", "zone-b"),
        null);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(get("l20-b").getStatus().getPhase()).isEqualTo("Running"));
    Node node = cluster.admin().nodes().withName(get("l20-b").getSpec().getNodeName()).get();
    assertThat(node.getMetadata().getLabels())
        .containsEntry("nvidia.com/gpu.product", "NVIDIA-L20")
        .containsEntry("topology.kubernetes.io/zone", "zone-b");
  }

  @Test
  void gatedPodStaysUnscheduledUntilTheGateIsLifted() {
    create("gated", Map.of(), "gpureservation.io/resident-pool");
    create("witness", Map.of(), null);
    // Events of one watch arrive in order: once the later pod is bound, the gated one was seen.
    await().atMost(WAIT).until(() -> get("witness").getSpec().getNodeName() != null);
    assertThat(get("gated").getSpec().getNodeName()).isNull();
    assertThat(get("gated").getStatus().getPhase()).isEqualTo("Pending");

    cluster
        .admin()
        .pods()
        .inNamespace(cluster.namespace())
        .withName("gated")
        .edit(p -> new PodBuilder(p).editSpec().withSchedulingGates().endSpec().build());
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(get("gated").getStatus().getPhase()).isEqualTo("Running"));
  }

  @Test
  void addedNodeRunsPodsAndRemovedNodeTakesItsPodsAlong() {
    cluster.addNode("l20-extra", "L20", "zone-c", 8, "128", "920Gi");
    create("on-extra", Map.of("topology.kubernetes.io/zone", "zone-c"), null);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(get("on-extra").getSpec().getNodeName()).isEqualTo("l20-extra");
              assertThat(get("on-extra").getStatus().getPhase()).isEqualTo("Running");
            });

    cluster.removeNode("l20-extra");
    // The pod garbage collector deletes pods bound to a node that no longer exists.
    await().atMost(Duration.ofSeconds(180)).until(() -> get("on-extra") == null);
  }

  @Test
  void kubectlListsTheDraNodesGpuDevicesAsNvidiasDriverPublishesThem() {
    String slices = cluster.kubectlOk("get", "resourceslices", "-o", "yaml");
    assertThat(slices)
        .contains("driver: gpu.nvidia.com", "nodeName: l20-dra-a-1", "name: gpu-7")
        .contains("productName:", "string: NVIDIA L20", "cudaComputeCapability:", "memory:");
    assertThat(cluster.kubectlOk("get", "deviceclasses", "-o", "name"))
        .contains("deviceclass.resource.k8s.io/gpu.nvidia.com")
        .contains("deviceclass.resource.k8s.io/mig.nvidia.com");
  }

  /**
   * A Job's pod claims one L20 through a ResourceClaimTemplate (CEL on the device's productName):
   * the controller-manager makes its claim, kube-scheduler allocates a device of the DRA L20 node
   * and binds the pod there, KWOK runs and completes it, and the claim is released.
   */
  @Test
  void aPodWithAResourceClaimIsAllocatedAnL20DeviceRunsAndCompletes() {
    String ns = cluster.namespace();
    Workload.claimTemplate(cluster, "one-l20", "gpu.nvidia.com", Workload.L20_DEVICE);
    cluster
        .admin()
        .resource(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: claims-l20}
            spec:
              template:
                metadata:
                  annotations: {pod-complete.stage.kwok.x-k8s.io/delay: 3s}
                spec:
                  restartPolicy: Never
                  resourceClaims:
                  - {name: gpu, resourceClaimTemplateName: one-l20}
                  containers:
                  - name: main
                    image: registry.example.com/app:1.0
                    resources:
                      claims: [{name: gpu}]
            """)
        .inNamespace(ns)
        .create();

    Pod running =
        await()
            .atMost(WAIT)
            .until(() -> jobPod(ns), p -> p != null && "Running".equals(p.getStatus().getPhase()));
    assertThat(running.getSpec().getNodeName()).isEqualTo("l20-dra-a-1");
    String claimName = running.getStatus().getResourceClaimStatuses().get(0).getResourceClaimName();
    ResourceClaim claim =
        cluster.admin().resources(ResourceClaim.class).inNamespace(ns).withName(claimName).get();
    assertThat(claim.getStatus().getAllocation().getDevices().getResults())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getDriver()).isEqualTo("gpu.nvidia.com");
              assertThat(r.getPool()).isEqualTo("l20-dra-a-1");
              assertThat(r.getDevice()).startsWith("gpu-");
            });
    assertThat(claim.getStatus().getReservedFor())
        .anySatisfy(ref -> assertThat(ref.getName()).isEqualTo(running.getMetadata().getName()));

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(jobPod(ns).getStatus().getPhase()).isEqualTo("Succeeded"));
    // A finished pod no longer reserves its claim; the controller-manager lets go of it.
    await()
        .atMost(WAIT)
        .until(
            () -> {
              ResourceClaim c =
                  cluster
                      .admin()
                      .resources(ResourceClaim.class)
                      .inNamespace(ns)
                      .withName(claimName)
                      .get();
              return c == null
                  || c.getStatus() == null
                  || c.getStatus().getReservedFor() == null
                  || c.getStatus().getReservedFor().isEmpty();
            });
  }

  private Pod jobPod(String ns) {
    return cluster
        .admin()
        .pods()
        .inNamespace(ns)
        .withLabel("job-name", "claims-l20")
        .list()
        .getItems()
        .stream()
        .findFirst()
        .orElse(null);
  }

  /** The gpu.nvidia.com devices the node publishes in ResourceSlices. */
  private List<Device> gpuDevices(String node) {
    return cluster.admin().resources(ResourceSlice.class).list().getItems().stream()
        .filter(slice -> node.equals(slice.getSpec().getNodeName()))
        .filter(slice -> "gpu.nvidia.com".equals(slice.getSpec().getDriver()))
        .flatMap(slice -> slice.getSpec().getDevices().stream())
        .toList();
  }

  private Pod create(String name, Map<String, String> nodeSelector, String gate) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withNodeSelector(nodeSelector)
            .addNewContainer()
            .withName("main")
            .withImage("registry.example.com/app:1.0")
            .withNewResources()
            .addToLimits("nvidia.com/gpu", new Quantity("1"))
            .endResources()
            .endContainer()
            .endSpec();
    if (gate != null) {
      pod.editSpec().addNewSchedulingGate(gate).endSpec();
    }
    return cluster.admin().pods().inNamespace(cluster.namespace()).resource(pod.build()).create();
  }

  private Pod get(String name) {
    return cluster.admin().pods().inNamespace(cluster.namespace()).withName(name).get();
  }
}
