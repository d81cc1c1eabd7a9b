package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CapacityReservation on the project's cluster, where kube-scheduler places pods on KWOK GPU nodes
 * and the controller-manager runs Deployments, Jobs, namespace deletion and garbage collection —
 * what only a cluster with nodes shows (docs/testing.md "The test cluster"): slots are taken when
 * pods are bound and returned when they really end (docs/capacity-reservation.md "When a pod starts
 * and ends").
 */
class ReservationOnNodesIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();

  @RegisterExtension
  @Order(InProcessOperator.AFTER_THE_CLUSTER)
  static final InProcessOperator operator = new InProcessOperator(cluster);

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void deploymentScaledFromZeroToFourToOneTakesAndReturnsSlots() {
    Workload.reservation(cluster, "serving", "L20", 1, 3);
    cluster
        .admin()
        .apps()
        .deployments()
        .inNamespace(cluster.namespace())
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("infer")
                .endMetadata()
                .withNewSpec()
                .withReplicas(0)
                .withNewSelector()
                .addToMatchLabels("app", "infer")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "infer")
                .endMetadata()
                .withSpec(l20Spec(1, "Always"))
                .endTemplate()
                .endSpec()
                .build())
        .create();
    awaitSlots("serving", 0, 3);

    scale("infer", 4);
    await().atMost(WAIT).untilAsserted(() -> assertThat(modes()).hasSize(4));
    awaitSlots("serving", 3, 0);
    assertThat(modes().values())
        .containsExactlyInAnyOrder("reserved", "reserved", "reserved", "pay-as-you-go");

    scale("infer", 1);
    await().atMost(WAIT).untilAsserted(() -> assertThat(pods()).hasSize(1));
    // The survivor holds a slot — its own, or one a leaving pod gave back to it as the oldest
    // pay-as-you-go pod (so read its mode and the status together, until they agree); the other
    // slots come back either way.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(modes()).hasSize(1);
              int held = "reserved".equals(modes().values().iterator().next()) ? 1 : 0;
              GenericKubernetesResource live =
                  Workload.reservations(cluster).withName("serving").get();
              Map<?, ?> status = (Map<?, ?>) live.getAdditionalProperties().get("status");
              assertThat(status.get("active")).as("active").isEqualTo(held);
              assertThat(status.get("idle")).as("idle").isEqualTo(3 - held);
            });
  }

  @Test
  void succeededJobPodReturnsItsSlotToTheOldestPayAsYouGoPod() throws InterruptedException {
    Workload.reservation(cluster, "batch", "L20", 1, 1);
    job("train", "20s");
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(modeOf(jobPod("train"))).isEqualTo("reserved"));
    Workload.gpuPod(cluster, "waiting-1", "L20", 1);
    await().atMost(WAIT).until(() -> "pay-as-you-go".equals(modeOf(pod("waiting-1"))));
    Thread.sleep(1100); // creation timestamps have second precision: make FIFO order observable
    Workload.gpuPod(cluster, "waiting-2", "L20", 1);
    await().atMost(WAIT).until(() -> "pay-as-you-go".equals(modeOf(pod("waiting-2"))));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(jobPod("train").getStatus().getPhase()).isEqualTo("Succeeded"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(modeOf(pod("waiting-1"))).isEqualTo("reserved");
              assertThat(modeOf(pod("waiting-2"))).isEqualTo("pay-as-you-go");
            });
  }

  @Test
  void deletedPodRestoresItsSlotOnceItIsGone() {
    Workload.reservation(cluster, "serving", "L20", 1, 1);
    Workload.gpuPod(cluster, "infer", "L20", 1);
    await().atMost(WAIT).until(() -> "reserved".equals(modeOf(pod("infer"))));
    awaitSlots("serving", 1, 0);

    // Graceful deletion: the pod is Terminating until its node (KWOK) confirms it is gone.
    cluster.admin().pods().inNamespace(cluster.namespace()).withName("infer").delete();
    await().atMost(WAIT).until(() -> pod("infer") == null);
    awaitSlots("serving", 0, 1);
  }

  @Test
  void deletingTheNamespaceReleasesEverythingInIt() {
    Workload.reservation(cluster, "serving", "L20", 1, 1);
    Workload.gpuPod(cluster, "infer", "L20", 1);
    Workload.gpuPod(cluster, "overflow", "L20", 1);
    await().atMost(WAIT).until(() -> modes().size() == 2);

    cluster.admin().namespaces().withName(cluster.namespace()).delete();
    // The namespace controller deletes the pods (KWOK confirms them gone) and the reservation;
    // nothing the operator holds keeps the namespace from finishing.
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> cluster.admin().namespaces().withName(cluster.namespace()).get() == null);
  }

  @Test
  void podNoNodeCanTakeHoldsNothingAndCostsNothing() {
    Workload.reservation(cluster, "h100", "H100", 1, 1);
    Workload.gpuPod(cluster, "unplaceable", "H100", 1);
    Workload.reservation(cluster, "serving", "L20", 1, 1);
    Workload.gpuPod(cluster, "witness", "L20", 1);
    await().atMost(WAIT).until(() -> "reserved".equals(modeOf(pod("witness"))));

    Pod unplaceable = pod("unplaceable");
    assertThat(unplaceable.getSpec().getNodeName()).isNull();
    assertThat(unplaceable.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("Unschedulable"));
    assertThat(modeOf(unplaceable)).isNull();
    awaitSlots("h100", 0, 1);
  }

  // docs/capacity-reservation.md "The node decides the card": a pod that declares L20 but asks
  // for an A10 node runs there, and is matched and billed as what it runs on.
  @Test
  void aPodThatDeclaresL20ButRunsOnAnA10NodeIsNeverBilledAsAnL20Slot() {
    Workload.reservation(cluster, "l20", "L20", 1, 1);
    cluster
        .admin()
        .pods()
        .inNamespace(cluster.namespace())
        .resource(
            Workload.smallGpuPod("impostor", 1)
                .editMetadata()
                .withNamespace(cluster.namespace())
                .addToLabels("gpureservation.io/card-type", "L20")
                .endMetadata()
                .editSpec()
                .addToNodeSelector("nvidia.com/gpu.product", "NVIDIA-A10")
                .endSpec()
                .build())
        .create();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod impostor = pod("impostor");
              assertThat(impostor.getSpec().getNodeName()).startsWith("a10-");
              assertThat(impostor.getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/billing-mode", "pay-as-you-go")
                  .containsEntry("gpureservation.io/reason", "DeclaredCardTypeIgnored");
            });
    awaitSlots("l20", 0, 1);

    Workload.gpuPod(cluster, "honest", "L20", 1);
    await().atMost(WAIT).until(() -> "reserved".equals(modeOf(pod("honest"))));
    awaitSlots("l20", 1, 0);
    assertThat(modeOf(pod("impostor"))).isEqualTo("pay-as-you-go");
  }

  // --- fixtures -------------------------------------------------------------------------------

  private static PodSpec l20Spec(int cards, String restartPolicy) {
    Map<String, Quantity> resources =
        Map.of(
            "cpu", new Quantity("8"),
            "memory", new Quantity("64Gi"),
            "nvidia.com/gpu", new Quantity(String.valueOf(cards)));
    return new PodSpecBuilder()
        .withRestartPolicy(restartPolicy)
        .addToNodeSelector("nvidia.com/gpu.product", "NVIDIA-L20")
        .addNewContainer()
        .withName("main")
        .withImage("registry.example.com/inference:1.0")
        .withNewResources()
        .withRequests(resources)
        .withLimits(resources)
        .endResources()
        .endContainer()
        .build();
  }

  /** A one-pod Job that runs for {@code runFor} on its KWOK node, then succeeds. */
  private static void job(String name, String runFor) {
    cluster
        .admin()
        .batch()
        .v1()
        .jobs()
        .inNamespace(cluster.namespace())
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withNewTemplate()
                .withNewMetadata()
                .addToAnnotations("pod-complete.stage.kwok.x-k8s.io/delay", runFor)
                .endMetadata()
                .withSpec(l20Spec(1, "Never"))
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  private static void scale(String deployment, int replicas) {
    cluster
        .admin()
        .apps()
        .deployments()
        .inNamespace(cluster.namespace())
        .withName(deployment)
        .scale(replicas);
  }

  /** The workload's pods: not the reservations' placeholders (docs/capacity-holding.md). */
  private static List<Pod> pods() {
    return cluster
        .admin()
        .pods()
        .inNamespace(cluster.namespace())
        .withoutLabel("gpureservation.io/placeholder-for")
        .list()
        .getItems();
  }

  private static Pod pod(String name) {
    return cluster.admin().pods().inNamespace(cluster.namespace()).withName(name).get();
  }

  private static Pod jobPod(String job) {
    return pods().stream()
        .filter(p -> job.equals(p.getMetadata().getLabels().get("job-name")))
        .findFirst()
        .orElseThrow();
  }

  /** Billing mode by pod name, of the pods that have one. */
  private static Map<String, String> modes() {
    Map<String, String> modes = new java.util.TreeMap<>();
    for (Pod p : pods()) {
      String mode = modeOf(p);
      if (mode != null) {
        modes.put(p.getMetadata().getName(), mode);
      }
    }
    return modes;
  }

  private static String modeOf(Pod pod) {
    Map<String, String> annotations = pod == null ? null : pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get("gpureservation.io/billing-mode");
  }

  private static void awaitSlots(String reservation, int active, int idle) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              GenericKubernetesResource live =
                  Workload.reservations(cluster).withName(reservation).get();
              Map<?, ?> status = (Map<?, ?>) live.getAdditionalProperties().get("status");
              assertThat(status).isNotNull();
              assertThat(status.get("active")).as("active").isEqualTo(active);
              assertThat(status.get("idle")).as("idle").isEqualTo(idle);
            });
  }
}
