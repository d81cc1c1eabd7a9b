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

/** The chart's CRD templates render a copy of crds/; the copy must be current. */
class ChartCrdsTest {
  private static Map<String, String> yamlFiles(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> list = Files.list(dir)) {
        for (Path f : (Iterable<Path>) list::iterator) {
          if (f.toString().endsWith(".yml")) {
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
}
