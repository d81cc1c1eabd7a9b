package io.gpureservation.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
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
 * own with its pods bound as a scheduler would, reaches the outcome its
 * example.gpureservation.io/expected-* annotations state. (The real-API-server suite applies the
 * same files with kubectl.)
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
      }
      client.resource(object).create();
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertOutcome(namespace, objects));
  }

  private void assertOutcome(String namespace, List<HasMetadata> objects) {
    for (HasMetadata object : objects) {
      Map<String, String> expected = object.getMetadata().getAnnotations();
      String name = object.getMetadata().getName();
      if (object instanceof Pod) {
        Map<String, String> actual =
            client
                .pods()
                .inNamespace(namespace)
                .withName(name)
                .get()
                .getMetadata()
                .getAnnotations();
        assertThat(actual).as("annotations of pod %s", name).isNotNull();
        assertThat(Arrays.asList(expected.get(EXPECTED_MODE).split("\\|")))
            .as("billing mode of pod %s", name)
            .contains(actual.get(GpuReservation.BILLING_MODE_ANNOTATION));
        if (expected.containsKey(EXPECTED_RESERVATION)) {
          assertThat(actual.get(GpuReservation.RESERVATION_ANNOTATION))
              .isEqualTo(expected.get(EXPECTED_RESERVATION));
        }
      } else if (object instanceof CapacityReservation && expected != null) {
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
