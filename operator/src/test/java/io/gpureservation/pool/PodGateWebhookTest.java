package io.gpureservation.pool;

import static io.gpureservation.pool.Pools.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The mutating webhook's answers to AdmissionReview v1 requests. */
class PodGateWebhookTest {

  static String review(String operation, Pod pod) {
    return Serialization.asJson(
        new AdmissionReviewBuilder()
            .withApiVersion("admission.k8s.io/v1")
            .withKind("AdmissionReview")
            .withNewRequest()
            .withUid("req-1")
            .withOperation(operation)
            .withObject(pod)
            .endRequest()
            .build());
  }

  private static AdmissionResponse answer(String operation, Pod pod) {
    AdmissionReview out =
        Serialization.unmarshal(
            PodGateWebhook.handle(review(operation, pod)), AdmissionReview.class);
    assertThat(out.getApiVersion()).isEqualTo("admission.k8s.io/v1");
    assertThat(out.getKind()).isEqualTo("AdmissionReview");
    assertThat(out.getResponse().getUid()).isEqualTo("req-1");
    return out.getResponse();
  }

  static String patch(AdmissionResponse response) {
    return new String(Base64.getDecoder().decode(response.getPatch()), StandardCharsets.UTF_8);
  }

  private static PodBuilder ungated(String name) {
    return pod(name, "pool", "f", 1, "10Gi").editSpec().withSchedulingGates().endSpec();
  }

  @Test
  void aPoolPodGetsTheSchedulingGateAndNothingElse() {
    AdmissionResponse r = answer("CREATE", ungated("p").build());

    assertThat(r.getAllowed()).isTrue();
    assertThat(r.getPatchType()).isEqualTo("JSONPatch");
    assertThat(patch(r))
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/spec/schedulingGates\","
                + "\"value\":[{\"name\":\"gpureservation.io/resident-pool\"}]}]");
  }

  @Test
  void aPodWithOtherGatesGetsOursAppended() {
    Pod pod = ungated("p").editSpec().addNewSchedulingGate("example.com/other").endSpec().build();

    AdmissionResponse r = answer("CREATE", pod);

    assertThat(patch(r))
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/spec/schedulingGates/-\","
                + "\"value\":{\"name\":\"gpureservation.io/resident-pool\"}}]");
  }

  @Test
  void aPodThatAlreadyHasTheGateIsNotPatchedTwice() {
    AdmissionResponse r = answer("CREATE", pod("p", "pool", "f", 1, "10Gi").build());

    assertThat(r.getAllowed()).isTrue();
    assertThat(r.getPatch()).isNull();
  }

  @Test
  void aPodWithoutThePoolLabelPassesUntouched() {
    Pod pod = ungated("p").editMetadata().withLabels(null).endMetadata().build();

    AdmissionResponse r = answer("CREATE", pod);

    assertThat(r.getAllowed()).isTrue();
    assertThat(r.getPatch()).isNull();
  }

  @Test
  void onlyCreateIsMutated() {
    AdmissionResponse r = answer("UPDATE", ungated("p").build());

    assertThat(r.getAllowed()).isTrue();
    assertThat(r.getPatch()).isNull();
  }

  @Test
  void aPoolPodBoundToANodeAtCreationIsRefused() {
    Pod pod = ungated("p").editSpec().withNodeName("gpu-node-1").endSpec().build();

    AdmissionResponse r = answer("CREATE", pod);

    assertThat(r.getAllowed()).isFalse();
    assertThat(r.getStatus().getMessage()).contains("remove spec.nodeName");
  }

  // docs/capacity-holding.md "Hand-over": the capacity gate, for pods the reservations name.

  private static AdmissionResponse answer(Pod pod, PodGateWebhook.CapacityGated gated) {
    String json =
        Serialization.asJson(
            new AdmissionReviewBuilder()
                .withApiVersion("admission.k8s.io/v1")
                .withKind("AdmissionReview")
                .withNewRequest()
                .withUid("req-2")
                .withOperation("CREATE")
                .withNamespace("team-a")
                .withObject(pod)
                .endRequest()
                .build());
    return Serialization.unmarshal(PodGateWebhook.handle(json, gated), AdmissionReview.class)
        .getResponse();
  }

  private static Pod plainGpuPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("infer")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void aPodTheReservationsNameGetsTheCapacityGate() {
    AdmissionResponse r = answer(plainGpuPod(), (ns, pod) -> "team-a".equals(ns));

    assertThat(r.getAllowed()).isTrue();
    assertThat(patch(r))
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/spec/schedulingGates\","
                + "\"value\":[{\"name\":\"gpureservation.io/capacity\"}]}]");
  }

  @Test
  void otherPodsAndPodsWithANodeAreLeftAlone() {
    assertThat(answer(plainGpuPod(), (ns, pod) -> false).getPatch()).isNull();
    Pod bound = new PodBuilder(plainGpuPod()).editSpec().withNodeName("n1").endSpec().build();
    assertThat(answer(bound, (ns, pod) -> true).getPatch()).isNull();
    Pod gated =
        new PodBuilder(plainGpuPod())
            .editSpec()
            .addNewSchedulingGate("gpureservation.io/capacity")
            .endSpec()
            .build();
    assertThat(answer(gated, (ns, pod) -> true).getPatch()).isNull();
  }

  @Test
  void aPoolPodGetsThePoolGateNeverTheCapacityGate() {
    AdmissionResponse r = answer(ungated("p").build(), (ns, pod) -> true);
    assertThat(patch(r)).contains("gpureservation.io/resident-pool").doesNotContain("capacity");
  }

  // docs/capacity-holding.md "Why nothing else can take a hand-over's capacity": a gated pod is a
  // claimant, with the three priority fields set together so the Priority plugin accepts them.

  private static PodGateWebhook.CapacityGated gatedAsClaimants() {
    return new PodGateWebhook.CapacityGated() {
      @Override
      public boolean test(String namespace, Pod pod) {
        return true;
      }

      @Override
      public PodGateWebhook.Claimant claimant() {
        return new PodGateWebhook.Claimant("gpu-reservation-claimant", 1000000);
      }
    };
  }

  @Test
  void aGatedPodOfOrdinaryPriorityBecomesAClaimant() {
    Pod resolved =
        new PodBuilder(plainGpuPod())
            .editSpec()
            .withPriority(0)
            .withPreemptionPolicy("PreemptLowerPriority")
            .endSpec()
            .build();

    assertThat(patch(answer(resolved, gatedAsClaimants())))
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/spec/schedulingGates\","
                + "\"value\":[{\"name\":\"gpureservation.io/capacity\"}]},"
                + "{\"op\":\"add\",\"path\":\"/spec/priorityClassName\","
                + "\"value\":\"gpu-reservation-claimant\"},"
                + "{\"op\":\"add\",\"path\":\"/spec/priority\",\"value\":1000000},"
                + "{\"op\":\"add\",\"path\":\"/spec/preemptionPolicy\",\"value\":\"Never\"}]");
  }

  @Test
  void aGatedPodThatChoseAClassAtOrAboveTheClaimantsKeepsIt() {
    Pod critical =
        new PodBuilder(plainGpuPod())
            .editSpec()
            .withPriorityClassName("tenant-top")
            .withPriority(1000000)
            .endSpec()
            .build();

    assertThat(patch(answer(critical, gatedAsClaimants())))
        .contains("gpureservation.io/capacity")
        .doesNotContain("priority");
  }

  @Test
  void aPodTheWebhookDoesNotGateKeepsItsPriority() {
    PodGateWebhook.CapacityGated notGated =
        new PodGateWebhook.CapacityGated() {
          @Override
          public boolean test(String namespace, Pod pod) {
            return false;
          }

          @Override
          public PodGateWebhook.Claimant claimant() {
            return new PodGateWebhook.Claimant("gpu-reservation-claimant", 1000000);
          }
        };
    assertThat(answer(plainGpuPod(), notGated).getPatch()).isNull();
  }

  // docs/capacity-holding.md "Resident pools": a pool hands cards over the way a reservation does.
  @Test
  void aPoolPodIsGatedAsAClaimant() {
    assertThat(patch(answer(ungated("p").build(), gatedAsClaimants())))
        .contains("gpureservation.io/resident-pool")
        .contains("\"path\":\"/spec/priorityClassName\",\"value\":\"gpu-reservation-claimant\"")
        .contains("\"path\":\"/spec/priority\",\"value\":1000000")
        .contains("\"path\":\"/spec/preemptionPolicy\",\"value\":\"Never\"");
  }
}
