package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The committed CRDs on a real API server: they apply cleanly with {@code kubectl apply
 * --server-side}, and every schema and CEL rule they declare refuses a bad object with the expected
 * message.
 *
 * <p>Cases live in {@code src/test/resources/crd-rules/<crd name>.yaml}: a {@code valid} object
 * (which must be accepted) and {@code cases}, each naming the {@code rule} it covers (an id from
 * {@link CrdRules}), a JSON merge patch applied to the valid object either at {@code create} or as
 * an {@code update} of a stored valid object, and the {@code message} the API server must answer. A
 * rule without a case fails {@code everyRuleHasACase}: add a case when you add a rule.
 */
class CrdValidationIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final AtomicInteger NAMES = new AtomicInteger();

  @Test
  void committedCrdsApplyCleanlyServerSideAndAreEstablished() {
    String out =
        cluster.kubectlOk(
            "apply",
            "--server-side",
            "--field-manager=realcluster",
            "-f",
            RealCluster.repoRoot().resolve("crds").toString());
    List<CustomResourceDefinition> crds = committedCrds();
    assertThat(crds).isNotEmpty();
    for (CustomResourceDefinition crd : crds) {
      assertThat(out).contains(crd.getMetadata().getName() + " serverside-applied");
      var stored =
          cluster
              .admin()
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .get();
      assertThat(stored.getStatus().getConditions())
          .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"))
          .noneMatch(c -> c.getType().equals("NonStructuralSchema"));
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRuleHasACase() {
    return committedCrds().stream()
        .map(
            crd ->
                dynamicTest(
                    crd.getMetadata().getName(),
                    () -> {
                      Set<String> covered = new TreeSet<>();
                      cases(crd).cases().forEach(c -> covered.add((String) c.get("rule")));
                      assertThat(covered)
                          .as("rules of %s without a case", crd.getMetadata().getName())
                          .containsAll(CrdRules.of(crd));
                      assertThat(CrdRules.of(crd))
                          .as("cases naming no rule of %s", crd.getMetadata().getName())
                          .containsAll(covered);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyRuleRefusesABadObjectWithItsMessage() {
    List<DynamicTest> tests = new ArrayList<>();
    for (CustomResourceDefinition crd : committedCrds()) {
      Cases cases = cases(crd);
      String crdName = crd.getMetadata().getName();
      tests.add(
          dynamicTest(crdName + " accepts the valid object", () -> store(crd, cases.valid())));
      for (Map<String, Object> c : cases.cases()) {
        tests.add(
            dynamicTest(
                crdName + " refuses: " + c.get("rule"),
                () -> {
                  KubernetesClientException refusal =
                      catchThrowableOfType(
                          KubernetesClientException.class, () -> attempt(crd, cases.valid(), c));
                  assertThat(refusal).as("the API server accepted the bad object").isNotNull();
                  assertThat(refusal.getCode()).isEqualTo(422);
                  assertThat(refusal.getMessage()).contains((String) c.get("message"));
                }));
      }
    }
    return tests.stream();
  }

  @SuppressWarnings("unchecked")
  private void attempt(
      CustomResourceDefinition crd, Map<String, Object> valid, Map<String, Object> c) {
    if (c.containsKey("create")) {
      store(crd, merge(valid, (Map<String, Object>) c.get("create")));
    } else {
      GenericKubernetesResource stored = store(crd, valid);
      Map<String, Object> changed = merge(asMap(stored), (Map<String, Object>) c.get("update"));
      resources(crd).resource(fromMap(changed)).update();
    }
  }

  private GenericKubernetesResource store(CustomResourceDefinition crd, Map<String, Object> obj) {
    GenericKubernetesResource resource = fromMap(obj);
    resource.getMetadata().setName("case-" + NAMES.incrementAndGet());
    resource.getMetadata().setNamespace(cluster.namespace());
    return resources(crd).resource(resource).create();
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      resources(CustomResourceDefinition crd) {
    var spec = crd.getSpec();
    String apiVersion = spec.getGroup() + "/" + spec.getVersions().get(0).getName();
    return cluster
        .admin()
        .genericKubernetesResources(apiVersion, spec.getNames().getKind())
        .inNamespace(cluster.namespace());
  }

  /** RFC 7386 JSON merge patch: maps merge recursively, null removes. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> target, Map<String, Object> patch) {
    Map<String, Object> result = new LinkedHashMap<>(target);
    patch.forEach(
        (key, value) -> {
          if (value == null) {
            result.remove(key);
          } else if (value instanceof Map<?, ?> m && result.get(key) instanceof Map<?, ?> t) {
            result.put(key, merge((Map<String, Object>) t, (Map<String, Object>) m));
          } else {
            result.put(key, value);
          }
        });
    return result;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(GenericKubernetesResource r) {
    return YAML.convertValue(r, Map.class);
  }

  private static GenericKubernetesResource fromMap(Map<String, Object> m) {
    return YAML.convertValue(m, GenericKubernetesResource.class);
  }

  record Cases(Map<String, Object> valid, List<Map<String, Object>> cases) {}

  @SuppressWarnings("unchecked")
  private static Cases cases(CustomResourceDefinition crd) {
    String file = "/crd-rules/" + crd.getMetadata().getName() + ".yaml";
    try (InputStream in = CrdValidationIT.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new AssertionError("no rule cases for " + crd.getMetadata().getName() + ": " + file);
      }
      Map<String, Object> doc = YAML.readValue(in, Map.class);
      return new Cases(
          (Map<String, Object>) doc.get("valid"), (List<Map<String, Object>>) doc.get("cases"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<CustomResourceDefinition> committedCrds() {
    Path dir = RealCluster.repoRoot().resolve("crds");
    try (Stream<Path> files = Files.list(dir)) {
      List<CustomResourceDefinition> crds = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          crds.add(
              cluster.admin().apiextensions().v1().customResourceDefinitions().load(in).item());
        }
      }
      return crds;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
