package io.gpureservation.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.it.RealCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart's CRD templates render copies of crds/ and policies/; the copies must be current. */
class ChartCrdsTest {
  private static Map<String, String> yamlFiles(Path dir) throws IOException {
    return files(dir, ".yml");
  }

  private static Map<String, String> files(Path dir, String suffix) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> list = Files.list(dir)) {
        for (Path f : (Iterable<Path>) list::iterator) {
          if (f.toString().endsWith(suffix)) {
            files.put(f.getFileName().toString(), Files.readString(f));
          }
        }
      }
    }
    return files;
  }

  @Test
  void chartCarriesExactlyTheCommittedCrds() throws IOException {
    Path root = RealCluster.repoRoot();
    assertThat(yamlFiles(root.resolve("helm/gpu-reservation-operator/files/crds")))
        .as("helm/gpu-reservation-operator/files/crds is stale: run scripts/sync-chart-crds.sh")
        .isEqualTo(yamlFiles(root.resolve("crds")));
  }

  @Test
  void chartCarriesExactlyTheCommittedAdmissionPolicies() throws IOException {
    Path root = RealCluster.repoRoot();
    Map<String, String> committed = files(root.resolve("policies"), ".yaml");
    assertThat(committed).isNotEmpty();
    assertThat(files(root.resolve("helm/gpu-reservation-operator/files/policies"), ".yaml"))
        .as("helm/gpu-reservation-operator/files/policies is stale: run scripts/sync-chart-crds.sh")
        .isEqualTo(committed);
  }
}
