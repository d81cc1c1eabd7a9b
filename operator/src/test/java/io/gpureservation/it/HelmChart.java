package io.gpureservation.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Renders the repository's Helm chart with the pinned helm binary. */
public final class HelmChart {
  /** The chart folder. */
  public static final Path DIR = RealCluster.repoRoot().resolve("helm/gpu-reservation-operator");

  private HelmChart() {}

  /** {@code helm template <release> <chart> -n <namespace> <args>} for the pinned version. */
  public static RealCluster.Result template(
      RealCluster cluster, String release, String namespace, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "template",
                release,
                DIR.toString(),
                "--namespace",
                namespace,
                "--kube-version",
                RealCluster.kubernetesVersion()));
    command.addAll(List.of(args));
    return cluster.helm(command.toArray(String[]::new));
  }

  /** The objects {@link #template} renders; fails when helm does. */
  public static List<HasMetadata> render(
      RealCluster cluster, String release, String namespace, String... args) {
    String yaml = template(cluster, release, namespace, args).requireSuccess();
    return cluster
        .admin()
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .items();
  }

  /** The one rendered object of this kind and name. */
  public static <T extends HasMetadata> T find(
      List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }
}
