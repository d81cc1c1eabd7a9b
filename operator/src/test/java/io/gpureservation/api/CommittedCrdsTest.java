package io.gpureservation.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed under crds/ must equal what the build generates from the Java model, with the
 * Age column moved last ({@link CrdColumns}).
 */
class CommittedCrdsTest {
  private static final Path CRDS = Path.of("..", "crds");

  @Test
  void everyGeneratedCrdIsCommittedUnchanged() throws IOException {
    Path generated = Path.of("target", "classes", "META-INF", "fabric8");
    try (Stream<Path> files = Files.list(generated)) {
      for (Path crd : files.filter(p -> p.toString().endsWith("-v1.yml")).toList()) {
        Path committed = CRDS.resolve(crd.getFileName());
        assertThat(committed)
            .as("crds/%s is stale: run scripts/update-crds.sh and commit", crd.getFileName())
            .exists();
        assertThat(Files.readString(committed))
            .isEqualTo(CrdColumns.ageLast(Files.readString(crd)));
      }
    }
  }

  @Test
  void everyCommittedCrdIsStillGenerated() throws IOException {
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path committed : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
        try (InputStream in =
            getClass()
                .getResourceAsStream("/META-INF/fabric8/" + committed.getFileName().toString())) {
          assertThat(in).as("crds/%s has no model class any more", committed).isNotNull();
          assertThat(CrdColumns.ageLast(new String(in.readAllBytes(), StandardCharsets.UTF_8)))
              .isEqualTo(Files.readString(committed));
        }
      }
    }
  }
}
