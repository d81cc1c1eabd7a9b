package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.RESIDENT_POOL_GATE;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The mutating admission webhook for pool pods: AdmissionReview v1 in, AdmissionReview v1 out. A
 * pod labelled {@code gpureservation.io/resident-pool} gets the scheduling gate of the same name
 * (JSONPatch, nothing else), so the scheduler leaves it alone until the pool admits it. A pod that
 * already has the gate is not patched again. A pool pod created with {@code spec.nodeName} (which
 * bypasses the scheduler and cannot carry gates) is refused.
 */
public final class PodGateWebhook {
  static final String PATH = "/mutate-pods";

  private PodGateWebhook() {}

  /** Handles one AdmissionReview JSON document. */
  public static String handle(String reviewJson) {
    AdmissionReview review = Serialization.unmarshal(reviewJson, AdmissionReview.class);
    AdmissionRequest request = review.getRequest();
    AdmissionResponse response = respond(request);
    return Serialization.asJson(
        new AdmissionReviewBuilder()
            .withApiVersion("admission.k8s.io/v1")
            .withKind("AdmissionReview")
            .withResponse(response)
            .build());
  }

  private static AdmissionResponse respond(AdmissionRequest request) {
    AdmissionResponseBuilder response =
        new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(true);
    if (!"CREATE".equals(request.getOperation()) || request.getObject() == null) {
      return response.build();
    }
    Pod pod = Serialization.unmarshal(Serialization.asJson(request.getObject()), Pod.class);
    if (PoolPods.poolOf(pod).isEmpty() || PoolPods.isGated(pod)) {
      return response.build();
    }
    if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
      return response
          .withAllowed(false)
          .withStatus(
              new StatusBuilder()
                  .withCode(403)
                  .withMessage(
                      "a ResidentPool pod must go through the scheduler so the pool can hold it:"
                          + " remove spec.nodeName")
                  .build())
          .build();
    }
    return response
        .withPatchType("JSONPatch")
        .withPatch(
            Base64.getEncoder().encodeToString(gatePatch(pod).getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  private static String gatePatch(Pod pod) {
    String gate = "{\"name\":\"" + RESIDENT_POOL_GATE + "\"}";
    boolean hasGates =
        pod.getSpec() != null
            && pod.getSpec().getSchedulingGates() != null
            && !pod.getSpec().getSchedulingGates().isEmpty();
    return hasGates
        ? "[{\"op\":\"add\",\"path\":\"/spec/schedulingGates/-\",\"value\":" + gate + "}]"
        : "[{\"op\":\"add\",\"path\":\"/spec/schedulingGates\",\"value\":[" + gate + "]}]";
  }
}
