package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.CAPACITY_GATE;
import static io.gpureservation.api.v1alpha1.GpuReservation.POOL_LOAN_GATE;
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
 * The mutating admission webhook for GPU pods: AdmissionReview v1 in, AdmissionReview v1 out. A pod
 * labelled {@code gpureservation.io/resident-pool} gets the scheduling gate of the same name and
 * the {@link Claimant} PriorityClass (JSONPatch), so the scheduler leaves it alone until the pool
 * admits it and then keeps the cards the pool hands it for it; a pool pod created with {@code
 * spec.nodeName} (which bypasses the scheduler and cannot carry gates) is refused. Any other pod
 * that {@link CapacityGated} names (a GPU pod in a namespace with live reservations) gets the gate
 * {@code gpureservation.io/capacity}, so the operator can hand it a held slot
 * (docs/capacity-holding.md "Hand-over"), and, unless its priority is already at least the
 * claimants', the {@link Claimant} PriorityClass: what keeps a hand-over's capacity for it
 * (docs/capacity-holding.md "Why nothing else can take a hand-over's capacity"). A pod that already
 * has its gate is not patched again.
 */
public final class PodGateWebhook {
  static final String PATH = "/mutate-pods";

  private PodGateWebhook() {}

  /** Which non-pool pods get the capacity gate, by namespace and pod. */
  @FunctionalInterface
  public interface CapacityGated {
    CapacityGated NONE = (namespace, pod) -> false;

    boolean test(String namespace, Pod pod);

    /** The class a gated pod is given, or null for none. */
    default Claimant claimant() {
      return null;
    }

    /**
     * Whether a pod the capacity gate leaves alone asks to borrow and a ResidentPool of another
     * namespace may lend to it: it gets the pool loan gate (docs/lending.md, "Resident pools").
     */
    default boolean poolLends(String namespace, Pod pod) {
      return false;
    }
  }

  /**
   * The PriorityClass of pods that may be handed held capacity: its name and value (the
   * placeholders' value, {@code preemptionPolicy: Never}).
   */
  public record Claimant(String priorityClass, int priority) {}

  /** Handles one AdmissionReview JSON document (pool gates only). */
  public static String handle(String reviewJson) {
    return handle(reviewJson, CapacityGated.NONE);
  }

  /** Handles one AdmissionReview JSON document. */
  public static String handle(String reviewJson, CapacityGated capacityGated) {
    AdmissionReview review = Serialization.unmarshal(reviewJson, AdmissionReview.class);
    AdmissionRequest request = review.getRequest();
    AdmissionResponse response = respond(request, capacityGated);
    return Serialization.asJson(
        new AdmissionReviewBuilder()
            .withApiVersion("admission.k8s.io/v1")
            .withKind("AdmissionReview")
            .withResponse(response)
            .build());
  }

  private static AdmissionResponse respond(AdmissionRequest request, CapacityGated capacityGated) {
    AdmissionResponseBuilder response =
        new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(true);
    if (!"CREATE".equals(request.getOperation()) || request.getObject() == null) {
      return response.build();
    }
    Pod pod = Serialization.unmarshal(Serialization.asJson(request.getObject()), Pod.class);
    if (PoolPods.poolOf(pod).isEmpty()) {
      boolean schedulable = pod.getSpec() == null || pod.getSpec().getNodeName() == null;
      if (schedulable
          && !hasGate(pod, CAPACITY_GATE)
          && capacityGated.test(request.getNamespace(), pod)) {
        return patched(
            response, gatePatch(pod, CAPACITY_GATE) + claimantPatch(pod, capacityGated.claimant()));
      }
      if (schedulable
          && !hasGate(pod, CAPACITY_GATE)
          && !hasGate(pod, POOL_LOAN_GATE)
          && capacityGated.poolLends(request.getNamespace(), pod)) {
        return patched(
            response,
            gatePatch(pod, POOL_LOAN_GATE) + claimantPatch(pod, capacityGated.claimant()));
      }
      return response.build();
    }
    if (PoolPods.isGated(pod)) {
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
    return patched(
        response,
        gatePatch(pod, RESIDENT_POOL_GATE) + claimantPatch(pod, capacityGated.claimant()));
  }

  private static AdmissionResponse patched(AdmissionResponseBuilder response, String operations) {
    return response
        .withPatchType("JSONPatch")
        .withPatch(
            Base64.getEncoder()
                .encodeToString(("[" + operations + "]").getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  // The Priority admission plugin resolved the pod's priority before this webhook; the three
  // fields are set together, consistent with the class, so that the plugin accepts the pod again
  // if webhooks are reinvoked. A pod already at or above the claimants' priority keeps its class
  // (a system-critical pod, a tenant's own top class).
  private static String claimantPatch(Pod pod, Claimant claimant) {
    Integer priority = pod.getSpec() == null ? null : pod.getSpec().getPriority();
    if (claimant == null || (priority != null && priority >= claimant.priority())) {
      return "";
    }
    return ",{\"op\":\"add\",\"path\":\"/spec/priorityClassName\",\"value\":\""
        + claimant.priorityClass()
        + "\"},{\"op\":\"add\",\"path\":\"/spec/priority\",\"value\":"
        + claimant.priority()
        + "},{\"op\":\"add\",\"path\":\"/spec/preemptionPolicy\",\"value\":\"Never\"}";
  }

  private static boolean hasGate(Pod pod, String name) {
    return pod.getSpec() != null
        && pod.getSpec().getSchedulingGates() != null
        && pod.getSpec().getSchedulingGates().stream().anyMatch(g -> name.equals(g.getName()));
  }

  private static String gatePatch(Pod pod, String gateName) {
    String gate = "{\"name\":\"" + gateName + "\"}";
    boolean hasGates =
        pod.getSpec() != null
            && pod.getSpec().getSchedulingGates() != null
            && !pod.getSpec().getSchedulingGates().isEmpty();
    return hasGates
        ? "{\"op\":\"add\",\"path\":\"/spec/schedulingGates/-\",\"value\":" + gate + "}"
        : "{\"op\":\"add\",\"path\":\"/spec/schedulingGates\",\"value\":[" + gate + "]}";
  }
}
