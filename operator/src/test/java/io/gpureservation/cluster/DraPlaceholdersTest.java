package io.gpureservation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.resource.v1.ExactDeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.core.matching.SlotShape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Placeholders that hold their cards through DRA (docs/capacity-holding.md, "GPUs claimed through
 * DRA"): the reservation's template selects the card type's products, and a placeholder claims
 * through it instead of requesting the GPU resource.
 */
class DraPlaceholdersTest {
  private static final List<String> L20_NAMES = List.of("L20", "GN8IS", "NVIDIA-L20");

  private static CapacityReservation reservation() {
    CapacityReservation r = new CapacityReservation();
    r.getMetadata().setName("held");
    r.getMetadata().setNamespace("team");
    r.getMetadata().setUid("uid-held");
    return r;
  }

  @Test
  void theTemplateRequestsTheSlotsCardsOfTheCardTypesProductsAndIsOwnedByTheReservation() {
    ResourceClaimTemplate template =
        DraPlaceholders.template(reservation(), 2, "gpu.nvidia.com", L20_NAMES);

    assertThat(template.getMetadata().getName()).isEqualTo("held-hold");
    assertThat(template.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("uid-held");
    ExactDeviceRequest request =
        template.getSpec().getSpec().getDevices().getRequests().get(0).getExactly();
    assertThat(request.getDeviceClassName()).isEqualTo("gpu.nvidia.com");
    assertThat(request.getCount()).isEqualTo(2L);
    assertThat(request.getSelectors().get(0).getCel().getExpression())
        .isEqualTo(
            "device.attributes[\"gpu.nvidia.com\"].productName in"
                + " [\"L20\", \"GN8IS\", \"NVIDIA-L20\", \"NVIDIA L20\"]");
  }

  @Test
  void aDraPlaceholderClaimsThroughTheTemplateAndRequestsNoGpuResource() {
    PlaceholderPods pods =
        new PlaceholderPods(
            new PlaceholderPods.Settings(
                "pause",
                "gpu-reservation-placeholder",
                "nvidia.com/gpu",
                "nvidia.com/gpu.product"));
    Pod pod =
        pods.build(
            reservation(),
            0,
            new SlotShape("L20", 1, 1000, 1L << 30),
            new PlaceholderPods.Placement(
                L20_NAMES, null, Map.of(), List.of(), null, "gpu.nvidia.com"),
            null);

    assertThat(pod.getSpec().getResourceClaims())
        .singleElement()
        .satisfies(c -> assertThat(c.getResourceClaimTemplateName()).isEqualTo("held-hold"));
    var resources = pod.getSpec().getContainers().get(0).getResources();
    assertThat(resources.getRequests()).doesNotContainKey("nvidia.com/gpu").containsKey("cpu");
    assertThat(resources.getClaims())
        .singleElement()
        .satisfies(c -> assertThat(c.getName()).isEqualTo("gpu"));
    assertThat(pods.isAsBuilt(pod)).isTrue();
  }

  @Test
  void aHandOverRuleTaintsExactlyTheDeviceForItsClaimantsUid() {
    Pod claimant = new Pod();
    claimant.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    claimant.getMetadata().setName("train");
    claimant.getMetadata().setNamespace("team");
    claimant.getMetadata().setUid("uid-train");

    var rule =
        HandOverTaints.rule(
            claimant, 0, new DraDevices.DeviceId("gpu.nvidia.com", "l20-dra-a-1", "gpu-7"));

    assertThat(rule.getMetadata().getName()).isEqualTo("handover-uid-train");
    assertThat(rule.getMetadata().getLabels())
        .containsEntry("gpureservation.io/handover", "true")
        .containsEntry("gpureservation.io/handover-claimant", "uid-train");
    assertThat(rule.getMetadata().getAnnotations())
        .containsEntry("gpureservation.io/handover-pod", "team/train");
    assertThat(rule.getAdditionalProperties().get("spec"))
        .isEqualTo(
            Map.of(
                "deviceSelector",
                Map.of("driver", "gpu.nvidia.com", "pool", "l20-dra-a-1", "device", "gpu-7"),
                "taint",
                Map.of(
                    "key",
                    "gpureservation.io/handover",
                    "value",
                    "uid-train",
                    "effect",
                    "NoSchedule")));
    assertThat(HandOverTaints.ruleName("uid-train", 2)).isEqualTo("handover-uid-train-2");
  }
}
