package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Edits a pod the operator writes (its annotations, scheduling gates, node affinity) from the
 * object a cache already holds: the change is applied to a copy, and what differs goes out as one
 * JSON merge patch carrying the pod's uid and the resourceVersion it was composed from. Only a
 * conflict (the pod changed since; 409) costs a GET, then the change is composed again from the pod
 * as stored, as {@link ConflictRetry} does for the operator's own objects. fabric8's {@code edit}
 * read the pod before every write (docs/performance.md, "Round 20: no read before a write").
 *
 * <p>The base must hold whole what the change rewrites: merge patches replace lists (scheduling
 * gates, node selector terms), and the resourceVersion makes sure nothing changed under them. A
 * pruned pod ({@link PrunedPods}) keeps a gated pod's gates whole, and its operator annotations;
 * not its affinity.
 */
public final class PodEdit {
  static final int MAX_ATTEMPTS = 3;

  private PodEdit() {}

  /**
   * Applies {@code change} to the pod; returns the pod as stored, {@code known} itself when the
   * change alters nothing, or null when the pod is gone or was replaced by another of its name.
   * {@code change} may alter annotations, scheduling gates and affinity only, and is called on a
   * copy (once per attempt).
   */
  public static Pod apply(KubernetesClient client, Pod known, UnaryOperator<Pod> change) {
    String uid = known.getMetadata().getUid();
    Pod current = known;
    for (int attempt = 1; ; attempt++) {
      Map<String, Object> body = diff(current, change.apply(Serialization.clone(current)));
      if (body.isEmpty()) {
        return current;
      }
      try {
        return PodPatch.patch(client, current, PatchType.JSON_MERGE, body);
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return null;
        }
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        current =
            client
                .pods()
                .inNamespace(known.getMetadata().getNamespace())
                .withName(known.getMetadata().getName())
                .get();
        if (current == null || !uid.equals(current.getMetadata().getUid())) {
          return null;
        }
      }
    }
  }

  // The merge patch that turns `before` into `after`, with its preconditions; empty: no change.
  static Map<String, Object> diff(Pod before, Pod after) {
    Map<String, Object> spec = new LinkedHashMap<>();
    if (!Objects.equals(gates(before), gates(after))) {
      spec.put("schedulingGates", gates(after));
    }
    if (!Objects.equals(before.getSpec().getAffinity(), after.getSpec().getAffinity())) {
      spec.put("affinity", after.getSpec().getAffinity());
    }
    Map<String, String> annotations = annotationChanges(before, after);
    if (spec.isEmpty() && annotations.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("uid", before.getMetadata().getUid());
    metadata.put("resourceVersion", before.getMetadata().getResourceVersion());
    if (!annotations.isEmpty()) {
      metadata.put("annotations", annotations);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("metadata", metadata);
    if (!spec.isEmpty()) {
      body.put("spec", spec);
    }
    return body;
  }

  // An empty list and no list are one state; null removes the field (RFC 7386).
  private static Object gates(Pod pod) {
    var gates = pod.getSpec().getSchedulingGates();
    return gates == null || gates.isEmpty() ? null : gates;
  }

  // Changed keys with their new values; removed keys with null (a merge patch deletes them).
  private static Map<String, String> annotationChanges(Pod before, Pod after) {
    Map<String, String> a = orEmpty(before.getMetadata().getAnnotations());
    Map<String, String> b = orEmpty(after.getMetadata().getAnnotations());
    Set<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    Map<String, String> changes = new LinkedHashMap<>();
    for (String key : keys) {
      if (!Objects.equals(a.get(key), b.get(key))) {
        changes.put(key, b.get(key));
      }
    }
    return changes;
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
