package io.gpureservation.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodResourceClaim;
import io.fabric8.kubernetes.api.model.PodResourceClaimStatus;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttribute;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.cluster.OperatorApp;
import io.gpureservation.cluster.OperatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CapacityReservation example under examples/capacity-reservation, each in a namespace of its
 * own with its pods bound as a scheduler would (a Deployment's or Job's pods made as its controller
 * would), reaches the outcome its example.gpureservation.io/expected-* annotations state. (The
 * real-API-server suite applies the same files with kubectl.)
 */
@EnableKubernetesMockClient(crud = true)
class CapacityReservationExamplesTest {
  static final String EXPECTED_MODE = "example.gpureservation.io/expected-billing-mode";
  static final String EXPECTED_RESERVATION = "example.gpureservation.io/expected-reservation";
  static final String EXPECTED_ACTIVE = "example.gpureservation.io/expected-active";
  private static final Path EXAMPLES = Path.of("..", "examples", "capacity-reservation");

  static KubernetesClient client;
  private static OperatorApp app;

  @BeforeAll
  static void startOperator() {
    app = OperatorApp.start(client, OperatorConfig.defaults().withHttpPort(-1));
  }

  @AfterAll
  static void stopOperator() {
    app.stop();
  }

  static Stream<Path> exampleDirectories() throws IOException {
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).isNotEmpty();
      // A directory of phases is one scenario; a top-level file is one scenario.
      return yaml.stream().map(p -> p.getParent().equals(EXAMPLES) ? p : p.getParent()).distinct();
    }
  }

  @ParameterizedTest
  @MethodSource("exampleDirectories")
  void exampleReachesTheOutcomeItStates(Path scenario) throws IOException {
    String namespace =
        "ex-"
            + scenario.getFileName().toString().replace(".yaml", "").replaceAll("[^a-z0-9-]", "-");
    List<HasMetadata> objects = load(scenario);
    assertThat(objects).isNotEmpty();
    for (HasMetadata object : objects) {
      object.getMetadata().setNamespace(namespace);
      if (object instanceof Pod pod) {
        pod.getSpec().setNodeName("gpu-node-1"); // what the scheduler would do
        allocateClaims(pod);
      }
      if (object instanceof Deployment || object instanceof Job) {
        podsOf(object).forEach(pod -> client.resource(pod).create());
      } else {
        client.resource(object).create();
      }
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertOutcome(namespace, objects));
  }

  /**
   * What the controller-manager and the scheduler do for a pod's claim templates (the mock server
   * runs neither): a claim made from each template, allocated one L20 device of the node's
   * ResourceSlice (the DRA examples select "NVIDIA L20") and reserved for the pod, named in the
   * pod's status (docs/capacity-reservation.md "GPUs claimed through DRA").
   */
  private static void allocateClaims(Pod pod) {
    if (pod.getSpec().getResourceClaims() == null) {
      return;
    }
    String namespace = pod.getMetadata().getNamespace();
    if (client.resources(ResourceSlice.class).withName("gpu-node-1-gpu.nvidia.com").get() == null) {
      client.resource(nodeSlice()).create();
    }
    PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    int device = 0;
    for (PodResourceClaim rc : pod.getSpec().getResourceClaims()) {
      String claim = pod.getMetadata().getName() + "-" + rc.getName();
      client
          .resource(
              new ResourceClaimBuilder()
                  .withNewMetadata()
                  .withName(claim)
                  .withNamespace(namespace)
                  .endMetadata()
                  .withNewStatus()
                  .withNewAllocation()
                  .withNewDevices()
                  .addNewResult()
                  .withDriver("gpu.nvidia.com")
                  .withPool("gpu-node-1")
                  .withDevice("gpu-" + device++)
                  .withRequest("gpu")
                  .endResult()
                  .endDevices()
                  .endAllocation()
                  .addNewReservedFor()
                  .withResource("pods")
                  .withName(pod.getMetadata().getName())
                  .endReservedFor()
                  .endStatus()
                  .build())
          .create();
      status.getResourceClaimStatuses().add(new PodResourceClaimStatus(rc.getName(), claim));
    }
    pod.setStatus(status);
  }

  private static ResourceSlice nodeSlice() {
    ResourceSliceBuilder slice =
        new ResourceSliceBuilder()
            .withNewMetadata()
            .withName("gpu-node-1-gpu.nvidia.com")
            .endMetadata()
            .withNewSpec()
            .withDriver("gpu.nvidia.com")
            .withNodeName("gpu-node-1")
            .withNewPool()
            .withName("gpu-node-1")
            .withGeneration(1L)
            .withResourceSliceCount(1L)
            .endPool()
            .endSpec();
    for (int i = 0; i < 8; i++) {
      DeviceAttribute product = new DeviceAttribute();
      product.setString("NVIDIA L20");
      slice
          .editSpec()
          .addNewDevice()
          .withName("gpu-" + i)
          .addToAttributes("productName", product)
          .endDevice()
          .endSpec();
    }
    return slice.build();
  }

  /**
   * The pods a Deployment's or Job's controller would make (the mock server runs no controller),
   * bound to a node as a scheduler would.
   */
  private static List<Pod> podsOf(HasMetadata workload) {
    PodTemplateSpec template;
    int replicas;
    if (workload instanceof Deployment d) {
      template = d.getSpec().getTemplate();
      replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    } else {
      template = ((Job) workload).getSpec().getTemplate();
      replicas = 1;
    }
    List<Pod> pods = new java.util.ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      pods.add(
          new PodBuilder()
              .withMetadata(template.getMetadata())
              .editMetadata()
              .withName(workload.getMetadata().getName() + "-" + i)
              .withNamespace(workload.getMetadata().getNamespace())
              .endMetadata()
              .withSpec(template.getSpec())
              .editSpec()
              .withNodeName("gpu-node-1")
              .endSpec()
              .build());
    }
    return pods;
  }

  private void assertOutcome(String namespace, List<HasMetadata> objects) {
    for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
      Map<String, String> actual = pod.getMetadata().getAnnotations();
      String name = pod.getMetadata().getName();
      if (actual == null || !actual.containsKey(EXPECTED_MODE)) {
        continue;
      }
      assertThat(Arrays.asList(actual.get(EXPECTED_MODE).split("\\|")))
          .as("billing mode of pod %s", name)
          .contains(actual.get(GpuReservation.BILLING_MODE_ANNOTATION));
      if (actual.containsKey(EXPECTED_RESERVATION)) {
        assertThat(actual.get(GpuReservation.RESERVATION_ANNOTATION))
            .isEqualTo(actual.get(EXPECTED_RESERVATION));
      }
    }
    for (HasMetadata object : objects) {
      Map<String, String> expected = object.getMetadata().getAnnotations();
      String name = object.getMetadata().getName();
      if (object instanceof CapacityReservation && expected != null) {
        CapacityReservation r =
            client.resources(CapacityReservation.class).inNamespace(namespace).withName(name).get();
        if (expected.containsKey(EXPECTED_ACTIVE)) {
          assertThat(r.getStatus()).as("status of %s", name).isNotNull();
          assertThat(r.getStatus().getActive())
              .as("active slots of %s", name)
              .isEqualTo(Integer.parseInt(expected.get(EXPECTED_ACTIVE)));
        }
      }
    }
  }

  private List<HasMetadata> load(Path scenario) throws IOException {
    List<Path> files;
    if (Files.isDirectory(scenario)) {
      try (Stream<Path> list = Files.list(scenario)) {
        files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      }
    } else {
      files = List.of(scenario);
    }
    List<HasMetadata> result = new java.util.ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata item : client.load(in).items()) {
          result.add(
              "CapacityReservation".equals(item.getKind())
                  ? client
                      .getKubernetesSerialization()
                      .convertValue(item, CapacityReservation.class)
                  : item);
        }
      }
    }
    return result;
  }
}
