package io.gpureservation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes-free core is kept pure by the build: nothing under io.gpureservation.core may
 * import the Kubernetes client, the operator SDK, or the operator's own cluster-facing packages
 * (docs/architecture.md, "Rules").
 */
class ArchitectureTest {
  private static final Path CORE = Path.of("src/main/java/io/gpureservation/core");
  private static final Pattern FORBIDDEN =
      Pattern.compile(
          "^import\\s+(static\\s+)?(io\\.fabric8|io\\.javaoperatorsdk"
              + "|io\\.gpureservation\\.(reservation|pool|cluster|api|cli))\\b.*$",
          Pattern.MULTILINE);

  @Test
  void coreImportsNothingFromKubernetesTheSdkOrTheOperatorLayers() throws IOException {
    List<String> violations;
    try (Stream<Path> files = Files.walk(CORE)) {
      violations =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .flatMap(ArchitectureTest::forbiddenImports)
              .toList();
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void theCheckSeesAForbiddenImport() {
    assertThat(FORBIDDEN.matcher("import io.fabric8.kubernetes.api.model.Pod;").find()).isTrue();
    assertThat(FORBIDDEN.matcher("import io.gpureservation.cluster.Pods;").find()).isTrue();
    assertThat(FORBIDDEN.matcher("import io.gpureservation.core.matching.PodDef;").find())
        .isFalse();
  }

  private static Stream<String> forbiddenImports(Path file) {
    try {
      var matcher = FORBIDDEN.matcher(Files.readString(file));
      return matcher.results().map(m -> CORE.relativize(file) + ": " + m.group());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
