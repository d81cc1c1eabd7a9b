package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.RESIDENT_POOL_GATE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolSpec;
import io.gpureservation.it.RealCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code examples/resident-pool/} parses into the model (unknown fields fail), and
 * each pod ends up as its {@code example.gpureservation.io/expected-*} annotations say: the pool's
 * planner runs over the file's objects as the operator would after the webhook gated the pods.
 */
class ResidentPoolExamplesTest {
  private static final String EXPECTED_MODE = "example.gpureservation.io/expected-billing-mode";
  private static final String EXPECTED_REASON = "example.gpureservation.io/expected-reason";
  private static final ObjectMapper STRICT =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final Instant APPLIED = Instant.parse("2026-03-01T00:00:00Z");

  static Stream<Path> examples() throws IOException {
    Path dir = RealCluster.repoRoot().resolve("examples/resident-pool");
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> list = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(list).hasSizeGreaterThanOrEqualTo(3);
      return list.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void examplePodsEndUpAsTheyStateOnTheExamplePool(Path file) throws IOException {
    ResidentPool pool = null;
    List<Pod> pods = new ArrayList<>();
    var docs =
        new YAMLMapper(new YAMLFactory())
            .readValues(new YAMLFactory().createParser(file.toFile()), JsonNode.class);
    while (docs.hasNext()) {
      JsonNode doc = docs.next();
      String uid = UUID.randomUUID().toString();
      switch (doc.get("kind").asText()) {
        case "ResidentPool" -> {
          pool = STRICT.treeToValue(doc, ResidentPool.class);
          STRICT.treeToValue(doc.get("spec"), ResidentPoolSpec.class);
          pool.getMetadata().setUid(uid);
          pool.getMetadata().setNamespace(Pools.NS);
        }
        case "Pod" -> {
          Pod pod = STRICT.treeToValue(doc, Pod.class);
          // As created: the webhook's gate, a uid and creation times in file order.
          pod.getSpec().getSchedulingGates().add(new PodSchedulingGate(RESIDENT_POOL_GATE));
          pod.getMetadata().setUid(uid);
          pod.getMetadata().setCreationTimestamp(APPLIED.plusSeconds(pods.size()).toString());
          pods.add(pod);
        }
        default -> throw new AssertionError("unexpected kind in " + file + ": " + doc);
      }
    }
    assertThat(pool).as("%s declares a ResidentPool", file).isNotNull();
    assertThat(pods).as("%s declares pods", file).isNotEmpty();

    PoolPlan plan =
        Pools.planner()
            .plan(pool, pods, List.of(), Borrowers.none(), null, false, APPLIED.plusSeconds(60));

    for (Pod pod : pods) {
      Map<String, String> expected = pod.getMetadata().getAnnotations();
      PodAction action =
          plan.podActions().stream().filter(a -> a.pod() == pod).findFirst().orElseThrow();
      if ("resident".equals(expected.get(EXPECTED_MODE))) {
        assertThat(action).as(pod.getMetadata().getName()).isInstanceOf(PodAction.Admit.class);
      } else {
        assertThat(action).as(pod.getMetadata().getName()).isInstanceOf(PodAction.Wait.class);
        assertThat(((PodAction.Wait) action).reason()).isEqualTo(expected.get(EXPECTED_REASON));
      }
    }
  }
}
