package io.gpureservation.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The scenarios in {@code examples/}, as the examples suite and {@code scripts/demo.sh} apply them:
 * every Kubernetes manifest file directly in {@code examples/} or in an area folder ({@code
 * examples/capacity-reservation/01-....yaml}) is one scenario; a folder one level deeper ({@code
 * examples/capacity-reservation/seven-phases/}) is one scenario whose files apply in name order.
 * Files that hold no Kubernetes objects (e.g. {@code examples/billing/}, inputs of the {@code bill}
 * command) are not scenarios.
 */
final class Examples {
  static final Path DIR = RealCluster.repoRoot().resolve("examples");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Examples() {}

  /** A scenario: its files in apply order, and a namespace name derived from its path. */
  record Scenario(String name, List<Path> files) {
    String namespace() {
      String ns =
          "ex-" + name.toLowerCase().replaceAll("\\.ya?ml$", "").replaceAll("[^a-z0-9]+", "-");
      return ns.substring(0, Math.min(ns.length(), 63)).replaceAll("-+$", "");
    }
  }

  static List<Scenario> scenarios() {
    Map<String, List<Path>> byName = new TreeMap<>();
    try (Stream<Path> files = Files.walk(DIR)) {
      for (Path f : files.filter(Examples::isManifest).sorted().toList()) {
        Path relative = DIR.relativize(f);
        String name =
            relative.getNameCount() <= 2 ? relative.toString() : relative.subpath(0, 2).toString();
        byName.computeIfAbsent(name, k -> new ArrayList<>()).add(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Scenario> scenarios = new ArrayList<>();
    byName.forEach((name, files) -> scenarios.add(new Scenario(name, files)));
    return scenarios;
  }

  /** A YAML file whose every document is a Kubernetes object (has apiVersion and kind). */
  static boolean isManifest(Path f) {
    if (!f.toString().matches(".*\\.ya?ml$")) {
      return false;
    }
    try (YAMLParser parser = new YAMLFactory().createParser(f.toFile())) {
      List<JsonNode> docs = YAML.readValues(parser, JsonNode.class).readAll();
      List<JsonNode> objects = docs.stream().filter(d -> d != null && !d.isEmpty()).toList();
      return !objects.isEmpty()
          && objects.stream().allMatch(d -> d.hasNonNull("apiVersion") && d.hasNonNull("kind"));
    } catch (IOException e) {
      throw new UncheckedIOException(f.toString(), e);
    }
  }
}
