package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodResourceClaimBuilder;
import io.fabric8.kubernetes.api.model.ResourceClaimBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplateBuilder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Placeholders that hold their cards through Dynamic Resource Allocation (docs/capacity-holding.md,
 * "GPUs claimed through DRA"): a reservation with {@code spec.placeholders.deviceClassName} gets a
 * ResourceClaimTemplate {@code <reservation>-hold} of its own (owned by it) with one request of
 * {@code cards} devices of that DeviceClass whose {@code productName} is one of the card type's
 * names, and each placeholder claims through it instead of requesting the GPU resource.
 */
public final class DraPlaceholders {
  /** The name of the placeholder's claim in its pod spec, and of the template's request. */
  public static final String CLAIM = "gpu";

  private DraPlaceholders() {}

  public static String templateName(String holder) {
    return holder + "-hold";
  }

  /** Makes {@code pod} claim its cards through the holder's template. */
  static void claimThroughTemplate(Pod pod, String holder) {
    pod.getSpec()
        .setResourceClaims(
            List.of(
                new PodResourceClaimBuilder()
                    .withName(CLAIM)
                    .withResourceClaimTemplateName(templateName(holder))
                    .build()));
    var container = pod.getSpec().getContainers().get(0);
    pod.getSpec()
        .getContainers()
        .set(
            0,
            new ContainerBuilder(container)
                .editResources()
                .withClaims(new ResourceClaimBuilder().withName(CLAIM).build())
                .endResources()
                .build());
  }

  /**
   * The holder's template: {@code cards} devices of {@code deviceClassName} whose product is one of
   * the card type's names. The DeviceClass's name is its driver's attribute domain, as for NVIDIA's
   * {@code gpu.nvidia.com}.
   */
  public static ResourceClaimTemplate template(
      HasMetadata holder, int cards, String deviceClassName, List<String> cardTypeValues) {
    return new ResourceClaimTemplateBuilder()
        .withNewMetadata()
        .withName(templateName(holder.getMetadata().getName()))
        .withNamespace(holder.getMetadata().getNamespace())
        .addToLabels(PlaceholderPods.HOLDER_LABEL, holder.getMetadata().getName())
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(holder.getApiVersion())
                .withKind(holder.getKind())
                .withName(holder.getMetadata().getName())
                .withUid(holder.getMetadata().getUid())
                .withController(true)
                .build())
        .endMetadata()
        .withNewSpec()
        .withNewSpec()
        .withNewDevices()
        .addNewRequest()
        .withName(CLAIM)
        .withNewExactly()
        .withDeviceClassName(deviceClassName)
        .withAllocationMode("ExactCount")
        .withCount((long) cards)
        .addNewSelector()
        .withNewCel()
        .withExpression(productSelector(deviceClassName, cardTypeValues))
        .endCel()
        .endSelector()
        .endExactly()
        .endRequest()
        .endDevices()
        .endSpec()
        .endSpec()
        .build();
  }

  /**
   * CEL that selects the card type's devices by {@code productName}: each of its node-label values
   * as written and with spaces for hyphens ({@code NVIDIA-L20} is NVIDIA's {@code NVIDIA L20}), the
   * reverse of how a device's product is read (docs/capacity-reservation.md, "GPUs claimed through
   * DRA").
   */
  static String productSelector(String domain, List<String> cardTypeValues) {
    Set<String> names = new LinkedHashSet<>();
    for (String value : cardTypeValues) {
      names.add(value);
      names.add(value.replace('-', ' '));
    }
    return "device.attributes[\""
        + domain
        + "\"].productName in ["
        + names.stream()
            .map(n -> "\"" + n.replace("\"", "") + "\"")
            .collect(Collectors.joining(", "))
        + "]";
  }
}
