package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * A patch of a pod, built by the caller from the object its cache holds, sent as one request.
 * fabric8's {@code withName(name).patch(context, body)} first GETs the pod (it wants an item to
 * name the request after), which doubled the requests per pod (docs/performance.md, "Round 20: no
 * read before a write"); here the request is named after a stub, so no GET goes out. The body
 * carries its own preconditions: {@code metadata.uid} (the API server refuses it for another pod of
 * the same name) and, where the patch replaces lists the cache may hold stale, {@code
 * metadata.resourceVersion} (409 when the pod changed since).
 */
public final class PodPatch {
  private PodPatch() {}

  /** Patches the pod's spec and metadata; returns the pod as stored. */
  public static Pod patch(KubernetesClient client, Pod pod, PatchType type, Object body) {
    return resource(client, pod).patch(PatchContext.of(type), Serialization.asJson(body));
  }

  /** Patches the pod's status subresource; returns the pod as stored. */
  public static Pod patchStatus(KubernetesClient client, Pod pod, PatchType type, Object body) {
    return resource(client, pod)
        .subresource("status")
        .patch(PatchContext.of(type), Serialization.asJson(body));
  }

  private static PodResource resource(KubernetesClient client, Pod pod) {
    Pod stub = new Pod();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(pod.getMetadata().getName());
    meta.setNamespace(pod.getMetadata().getNamespace());
    stub.setMetadata(meta);
    return client.pods().inNamespace(meta.getNamespace()).resource(stub);
  }
}
