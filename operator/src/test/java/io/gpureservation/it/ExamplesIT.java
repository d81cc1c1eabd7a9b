package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every scenario in {@code examples/} (see {@link Examples}) applies ({@code kubectl apply
 * --server-side}) into a fresh namespace of the project's cluster (scheduler, controller-manager,
 * KWOK GPU nodes) where the operator (with the chart's RBAC) runs, and ends up as the example says.
 * The expectations are annotations in the examples, {@code
 * example.gpureservation.io/expected-<what>: <value>} where {@code <value>} may list alternatives
 * as {@code a|b}:
 *
 * <ul>
 *   <li>on a pod (or a Deployment's or Job's pod template), {@code <what>} names the operator's
 *       annotation: {@code expected-billing-mode} must equal {@code
 *       gpureservation.io/billing-mode}, {@code expected-reservation} {@code
 *       gpureservation.io/reservation}, {@code expected-reason} {@code gpureservation.io/reason};
 *   <li>on any other object, {@code <what>} names a top-level status field: {@code expected-active:
 *       "1"} must equal {@code status.active}.
 * </ul>
 */
class ExamplesIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final String EXPECTED = "example.gpureservation.io/expected-";
  private static ChartOperator operator;

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyExampleAppliesAndEndsAsItSays() {
    operator = ChartOperator.start(cluster, ChartOperator.chartRbac(cluster));
    if (Files.exists(
        RealCluster.repoRoot().resolve("crds/residentpools.gpureservation.io-v1.yml"))) {
      operator.registerLoopbackWebhook(cluster);
    }
    List<Examples.Scenario> scenarios = Examples.scenarios();
    assertThat(scenarios).as("examples/ has no Kubernetes manifests").isNotEmpty();
    return scenarios.stream().map(s -> dynamicTest(s.name(), () -> check(s)));
  }

  private void check(Examples.Scenario scenario) {
    String ns = scenario.namespace();
    cluster.createNamespace(ns);
    List<HasMetadata> objects = new ArrayList<>();
    for (Path file : scenario.files()) {
      cluster.kubectlOk(
          "apply", "--server-side", "--field-manager=examples-it", "-n", ns, "-f", file.toString());
      objects.addAll(load(file));
    }
    assertThat(objects)
        .as("%s states no expectation", scenario.name())
        .anyMatch(o -> !expectations(o).isEmpty() || !templateExpectations(o).isEmpty());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(mismatches(ns, objects)).isEmpty());
  }

  /**
   * What differs from the examples' expectations now, one line per difference: every live pod's own
   * expectations (declared on a Pod, or on a Deployment's or Job's pod template), and every other
   * declared object's.
   */
  private List<String> mismatches(String ns, List<HasMetadata> objects) {
    List<String> mismatches = new ArrayList<>();
    List<GenericKubernetesResource> live = new ArrayList<>();
    live.addAll(
        cluster.admin().genericKubernetesResources("v1", "Pod").inNamespace(ns).list().getItems());
    for (HasMetadata declared : objects) {
      if (!"Pod".equals(declared.getKind()) && !expectations(declared).isEmpty()) {
        live.add(
            cluster
                .admin()
                .genericKubernetesResources(declared.getApiVersion(), declared.getKind())
                .inNamespace(ns)
                .withName(declared.getMetadata().getName())
                .get());
      }
    }
    for (GenericKubernetesResource object : live) {
      String id = object.getKind() + " " + object.getMetadata().getName();
      expectations(object)
          .forEach(
              (what, value) -> {
                String actual = actual(object, what);
                if (!Arrays.asList(value.split("\\|")).contains(actual)) {
                  mismatches.add(id + ": " + what + " expected " + value + ", is " + actual);
                }
              });
    }
    if (objects.stream().anyMatch(o -> "Pod".equals(o.getKind()))
        && live.stream().noneMatch(o -> "Pod".equals(o.getKind()))) {
      mismatches.add("no pods");
    }
    return mismatches;
  }

  private static String actual(GenericKubernetesResource live, String what) {
    if (!"Pod".equals(live.getKind())) {
      Object status = live.getAdditionalProperties().get("status");
      Object value = status instanceof Map<?, ?> m ? m.get(what) : null;
      return value == null ? null : String.valueOf(value);
    }
    Map<String, String> annotations = live.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get("gpureservation.io/" + what);
  }

  /** {@code billing-mode -> reserved}, {@code status-active -> 1}, ... declared on an object. */
  private static Map<String, String> expectations(HasMetadata o) {
    Map<String, String> annotations = o.getMetadata().getAnnotations();
    Map<String, String> expected = new TreeMap<>();
    if (annotations != null) {
      annotations.forEach(
          (key, value) -> {
            if (key.startsWith(EXPECTED)) {
              expected.put(key.substring(EXPECTED.length()), value);
            }
          });
    }
    return expected;
  }

  /** Expectations on the pods a Deployment's or Job's template makes. */
  private static Map<String, String> templateExpectations(HasMetadata o) {
    ObjectMeta template =
        o instanceof Deployment d
            ? d.getSpec().getTemplate().getMetadata()
            : o instanceof Job j ? j.getSpec().getTemplate().getMetadata() : null;
    if (template == null) {
      return Map.of();
    }
    return expectations(new PodBuilder().withMetadata(template).build());
  }

  private static List<HasMetadata> load(Path file) {
    try (var in = Files.newInputStream(file)) {
      return cluster.admin().load(in).items();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
