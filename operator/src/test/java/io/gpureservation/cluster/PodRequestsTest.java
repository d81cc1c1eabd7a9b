package io.gpureservation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The effective request follows the Kubernetes scheduler's rules. */
class PodRequestsTest {

  private static Container container(String name, String cpu, String memory) {
    return new ContainerBuilder()
        .withName(name)
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
        .endResources()
        .build();
  }

  /** A container that asks for one GPU and no cpu or memory. */
  private static Container gpuOnly() {
    return new ContainerBuilder()
        .withName("gpu")
        .withNewResources()
        .withLimits(Map.of("nvidia.com/gpu", new Quantity("1")))
        .endResources()
        .build();
  }

  private static Container sidecar(String name, String cpu, String memory) {
    Container c = container(name, cpu, memory);
    c.setRestartPolicy("Always");
    return c;
  }

  private static Pod pod(
      List<Container> init, List<Container> apps, Map<String, Quantity> overhead) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .endMetadata()
        .withNewSpec()
        .withInitContainers(init)
        .withContainers(apps)
        .withOverhead(overhead)
        .endSpec()
        .build();
  }

  @Test
  void appContainersAddUp() {
    Map<String, BigDecimal> r =
        PodRequests.effective(
            pod(
                List.of(),
                List.of(container("a", "2", "1Gi"), container("b", "500m", "1Gi")),
                null));

    assertThat(PodRequests.cpuMillis(r)).isEqualTo(2500);
    assertThat(PodRequests.whole(r, PodRequests.MEMORY)).isEqualTo(2L << 30);
  }

  @Test
  void largestInitContainerWinsWhenItExceedsTheApps() {
    Map<String, BigDecimal> r =
        PodRequests.effective(
            pod(
                List.of(container("migrate", "8", "512Mi"), container("warm", "1", "16Gi")),
                List.of(container("app", "2", "4Gi")),
                null));

    assertThat(PodRequests.cpuMillis(r)).isEqualTo(8000);
    assertThat(PodRequests.whole(r, PodRequests.MEMORY)).isEqualTo(16L << 30);
  }

  @Test
  void sidecarsRunBesideLaterInitContainersAndTheApps() {
    // sidecar 1 CPU, then an init container of 4 CPU runs beside it: peak 5; apps 2 + sidecar 1 =
    // 3.
    Map<String, BigDecimal> r =
        PodRequests.effective(
            pod(
                List.of(sidecar("proxy", "1", "1Gi"), container("init", "4", "1Gi")),
                List.of(container("app", "2", "6Gi")),
                null));

    assertThat(PodRequests.cpuMillis(r)).isEqualTo(5000);
    assertThat(PodRequests.whole(r, PodRequests.MEMORY)).isEqualTo(7L << 30);
  }

  @Test
  void overheadIsAdded() {
    Map<String, BigDecimal> r =
        PodRequests.effective(
            pod(
                List.of(),
                List.of(container("app", "2", "4Gi")),
                Map.of("cpu", new Quantity("250m"), "memory", new Quantity("128Mi"))));

    assertThat(PodRequests.cpuMillis(r)).isEqualTo(2250);
    assertThat(PodRequests.whole(r, PodRequests.MEMORY)).isEqualTo((4L << 30) + (128L << 20));
  }

  @Test
  void aLimitWithoutARequestCountsAsTheRequest() {
    Container gpu =
        new ContainerBuilder()
            .withName("gpu")
            .withNewResources()
            .withRequests(Map.of("cpu", new Quantity("1")))
            .withLimits(Map.of("cpu", new Quantity("4"), "nvidia.com/gpu", new Quantity("2")))
            .endResources()
            .build();
    Map<String, BigDecimal> r = PodRequests.effective(pod(List.of(), List.of(gpu), null));

    assertThat(PodRequests.cpuMillis(r)).isEqualTo(1000);
    assertThat(PodRequests.whole(r, "nvidia.com/gpu")).isEqualTo(2);
  }

  @Test
  void bestEffortMeansNoCpuOrMemoryAnywhere() {
    Container gpuOnly = gpuOnly();

    assertThat(PodRequests.isBestEffort(pod(List.of(), List.of(gpuOnly), null))).isTrue();
    assertThat(
            PodRequests.isBestEffort(
                pod(List.of(container("i", "1", "1Gi")), List.of(gpuOnly), null)))
        .isFalse();
  }

  /**
   * docs/capacity-reservation.md "Which pods take part" (Size): pod-level resources (Kubernetes
   * 1.34+, beta, on).
   */
  @Test
  void podLevelCpuAndMemoryReplaceTheContainersSumButGpusStayTheContainers() {
    Container gpu =
        new ContainerBuilder()
            .withName("gpu")
            .withNewResources()
            .withRequests(Map.of("cpu", new Quantity("1"), "memory", new Quantity("1Gi")))
            .withLimits(Map.of("nvidia.com/gpu", new Quantity("2")))
            .endResources()
            .build();
    Pod pod = pod(List.of(), List.of(gpu, container("side", "1", "1Gi")), Map.of());
    pod.getSpec()
        .setResources(
            new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("8")))
                .withLimits(Map.of("cpu", new Quantity("16"), "memory", new Quantity("64Gi")))
                .build());
    pod.getSpec().setOverhead(Map.of("cpu", new Quantity("250m")));

    Map<String, BigDecimal> r = PodRequests.effective(pod);

    assertThat(PodRequests.cpuMillis(r)).as("pod-level request + overhead").isEqualTo(8250);
    assertThat(PodRequests.whole(r, PodRequests.MEMORY))
        .as("pod-level limit, defaulted as the request")
        .isEqualTo(64L << 30);
    assertThat(PodRequests.whole(r, "nvidia.com/gpu")).isEqualTo(2);
  }

  @Test
  void podLevelCpuOrMemoryMakesAPodNotBestEffort() {
    Container gpuOnly = gpuOnly();
    Pod pod = pod(List.of(), List.of(gpuOnly), null);
    pod.getSpec()
        .setResources(
            new ResourceRequirementsBuilder()
                .withLimits(Map.of("memory", new Quantity("8Gi")))
                .build());

    assertThat(PodRequests.isBestEffort(pod)).isFalse();
  }
}
