package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** What both features read from a pod the same way: creation time, GPU count, whether it ended. */
public final class Pods {
  private Pods() {}

  /** The object's creation time; the epoch when the server has not set it yet. */
  public static Instant createdAt(HasMetadata resource) {
    String ts = resource.getMetadata().getCreationTimestamp();
    return ts == null ? Instant.EPOCH : OffsetDateTime.parse(ts).toInstant();
  }

  /** Succeeded or Failed: the pod runs no more and holds nothing. */
  public static boolean hasEnded(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** Whole GPUs in effective requests ({@link PodRequests#effective}), over every GPU resource. */
  public static long gpuCount(Map<String, BigDecimal> requests, List<String> gpuResources) {
    long count = 0;
    for (String resource : gpuResources) {
      count += PodRequests.whole(requests, resource);
    }
    return count;
  }
}
