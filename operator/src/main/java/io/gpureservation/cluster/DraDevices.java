package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodResourceClaim;
import io.fabric8.kubernetes.api.model.PodResourceClaimStatus;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttribute;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequestAllocationResult;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceSelector;
import io.fabric8.kubernetes.api.model.resource.v1.ExactDeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimConsumerReference;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.matching.Reasons;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the GPU cards a pod got through Dynamic Resource Allocation (docs/capacity-reservation.md,
 * "GPUs claimed through DRA"): the devices of a configured GPU driver allocated to the claims of
 * its {@code spec.resourceClaims}, their card type from the {@code productName} attribute of the
 * device in its ResourceSlice, through the catalog's aliases. Pure: the claims and devices come
 * from lookups, so an odd object (no status, no allocation, an unknown driver, a device no slice
 * lists) is read as "no card" or "type unknown", never an exception.
 */
public final class DraDevices {
  /** NVIDIA's DRA driver: device class, driver and attribute domain ({@code GPU_DRIVERS}). */
  public static final String NVIDIA_DRIVER = "gpu.nvidia.com";

  static final String PRODUCT_NAME = "productName";
  static final String TYPE = "type";
  static final String PROFILE = "profile";

  /** The pod's ResourceClaims as the informer holds them. */
  @FunctionalInterface
  public interface Claims {
    Optional<ResourceClaim> claim(String namespace, String name);
  }

  /** A device's attributes as its ResourceSlice publishes them; empty when no slice lists it. */
  @FunctionalInterface
  public interface Devices {
    Optional<Map<String, DeviceAttribute>> attributes(String driver, String pool, String device);
  }

  /**
   * What a pod's DRA devices say.
   *
   * @param cards GPU devices of its own claims that the pod is billed for
   * @param cardType the catalog card type of its devices, or null when no device says (the pod's
   *     declared type then counts)
   * @param reason why the pod has no card type although its devices say one (MIG profile or product
   *     not in the catalog, devices of two types), or null
   */
  public record Reading(int cards, String cardType, String reason) {
    public static final Reading NONE = new Reading(0, null, null);
  }

  private final Catalog catalog;
  private final Set<String> drivers;

  public DraDevices(Catalog catalog, List<String> drivers) {
    this.catalog = catalog;
    this.drivers = Set.copyOf(drivers);
  }

  /** Whether the pod may get GPUs through DRA: it names claims, or DRA serves a GPU request. */
  public static boolean usesClaims(Pod pod) {
    return (pod.getSpec() != null
            && pod.getSpec().getResourceClaims() != null
            && !pod.getSpec().getResourceClaims().isEmpty())
        || extendedClaim(pod) != null;
  }

  /**
   * The pod's DRA GPUs now. Cards: the allocated devices of a GPU driver, {@code adminAccess}
   * excluded (a monitoring view of a device, not a card the pod uses), over the claims the pod is
   * the first consumer of (a shared claim is billed once, to the pod listed first in its {@code
   * status.reservedFor}; docs/billing.md "DRA claims"). The claim behind a DRA-served {@code
   * nvidia.com/gpu} request adds no card (the request counts it) but tells the card type.
   */
  public Reading read(Pod pod, Claims claims, Devices devices) {
    if (pod.getMetadata() == null || !usesClaims(pod)) {
      return Reading.NONE;
    }
    String namespace = pod.getMetadata().getNamespace();
    Set<DeviceId> counted = new LinkedHashSet<>();
    for (String name : claimNames(pod)) {
      claims
          .claim(namespace, name)
          .filter(c -> isFirstConsumer(c, pod))
          .ifPresent(c -> counted.addAll(gpuDevices(c)));
    }
    String extended = extendedClaim(pod);
    if (counted.isEmpty() && extended == null && isPending(pod)) {
      Reading requested = requested(pod, claims);
      if (requested.cards() > 0) {
        return requested;
      }
    }
    Set<DeviceId> typed = new LinkedHashSet<>(counted);
    if (extended != null) {
      claims.claim(namespace, extended).ifPresent(c -> typed.addAll(gpuDevices(c)));
    }
    Set<String> types = new TreeSet<>();
    String reason = null;
    for (DeviceId key : typed) {
      Optional<Map<String, DeviceAttribute>> attributes =
          devices.attributes(key.driver(), key.pool(), key.device());
      if (attributes.isEmpty()) {
        continue; // its slice is not seen (yet): the other devices or the declared type tell
      }
      Typed t = cardType(key.driver(), attributes.get());
      if (t.type() != null) {
        types.add(t.type());
      } else if (reason == null || Reasons.MIG_NOT_IN_CATALOG.equals(t.reason())) {
        reason = t.reason();
      }
    }
    if (reason == null && types.size() > 1) {
      reason = Reasons.NO_CARD_TYPE; // one pod, two card types: no slot shape fits it
    }
    if (reason != null) {
      return new Reading(counted.size(), null, reason);
    }
    return new Reading(counted.size(), types.isEmpty() ? null : types.iterator().next(), null);
  }

  /** One device of a driver's pool, as a ResourceSlice names it. */
  public record DeviceId(String driver, String pool, String device) {}

  /** The GPU devices allocated to the pod's claims, whoever else shares them. */
  public List<DeviceId> allocatedTo(Pod pod, Claims claims) {
    List<DeviceId> result = new ArrayList<>();
    for (String name : claimNames(pod)) {
      claims
          .claim(pod.getMetadata().getNamespace(), name)
          .ifPresent(c -> result.addAll(gpuDevices(c)));
    }
    return result;
  }

  private static final Pattern PRODUCT_EQUALS =
      Pattern.compile("\\.productName\\s*==\\s*[\"']([^\"']+)[\"']");

  /**
   * What a pending pod's generated claims ask for before they are allocated (a gated pod's are
   * never allocated, docs/capacity-holding.md "GPUs claimed through DRA"): the devices their
   * requests of a GPU DeviceClass (named as its driver, like {@code gpu.nvidia.com}) count, and the
   * card type a selector names as {@code productName == "…"}, or null. A claim named by {@code
   * resourceClaimName} was made before the pod and counts only once allocated.
   */
  private Reading requested(Pod pod, Claims claims) {
    String namespace = pod.getMetadata().getNamespace();
    int cards = 0;
    Set<String> types = new TreeSet<>();
    for (String name : generatedClaimNames(pod)) {
      Optional<ResourceClaim> claim = claims.claim(namespace, name);
      if (claim.isEmpty() || isAllocated(claim.get())) {
        continue;
      }
      for (ExactDeviceRequest request : gpuRequests(claim.get())) {
        cards += request.getCount() == null ? 1 : request.getCount().intValue();
        types.addAll(productTypes(request));
      }
    }
    return new Reading(cards, types.size() == 1 ? types.iterator().next() : null, null);
  }

  /** The claim's requests of exactly a count of devices of a GPU DeviceClass. */
  public List<ExactDeviceRequest> gpuRequests(ResourceClaim claim) {
    if (claim.getSpec() == null
        || claim.getSpec().getDevices() == null
        || claim.getSpec().getDevices().getRequests() == null) {
      return List.of();
    }
    List<ExactDeviceRequest> result = new ArrayList<>();
    for (DeviceRequest r : claim.getSpec().getDevices().getRequests()) {
      ExactDeviceRequest exactly = r == null ? null : r.getExactly();
      if (exactly != null
          && drivers.contains(exactly.getDeviceClassName())
          && (exactly.getAllocationMode() == null
              || "ExactCount".equals(exactly.getAllocationMode()))
          && !Boolean.TRUE.equals(exactly.getAdminAccess())) {
        result.add(exactly);
      }
    }
    return result;
  }

  private Set<String> productTypes(ExactDeviceRequest request) {
    Set<String> types = new TreeSet<>();
    if (request.getSelectors() == null) {
      return types;
    }
    for (DeviceSelector selector : request.getSelectors()) {
      if (selector == null
          || selector.getCel() == null
          || selector.getCel().getExpression() == null) {
        continue;
      }
      Matcher m = PRODUCT_EQUALS.matcher(selector.getCel().getExpression());
      while (m.find()) {
        String product = m.group(1).trim();
        catalog
            .canonicalCardType(product.replaceAll("\\s+", "-"))
            .or(() -> catalog.canonicalCardType(product))
            .ifPresent(types::add);
      }
    }
    return types;
  }

  private static boolean isAllocated(ResourceClaim claim) {
    return claim.getStatus() != null && claim.getStatus().getAllocation() != null;
  }

  private static boolean isPending(Pod pod) {
    return (pod.getSpec() == null
            || pod.getSpec().getNodeName() == null
            || pod.getSpec().getNodeName().isEmpty())
        && (pod.getStatus() == null
            || !("Succeeded".equals(pod.getStatus().getPhase())
                || "Failed".equals(pod.getStatus().getPhase())));
  }

  private record Typed(String type, String reason) {}

  /**
   * A device's catalog card type. A whole GPU is named by its product name with hyphens for spaces
   * ({@code NVIDIA L20} → {@code NVIDIA-L20}), the spelling of NVIDIA's node product label, so the
   * aliases that map node labels map devices too. A MIG device is a card only when the catalog
   * names its product and profile as NVIDIA's MIG product label spells them ({@code
   * NVIDIA-A100-SXM4-40GB-MIG-1g.5gb}).
   */
  private Typed cardType(String driver, Map<String, DeviceAttribute> attributes) {
    String product = string(attributes, driver, PRODUCT_NAME);
    String profile = string(attributes, driver, PROFILE);
    boolean mig = "mig".equalsIgnoreCase(string(attributes, driver, TYPE)) || profile != null;
    if (product == null) {
      return new Typed(null, mig ? Reasons.MIG_NOT_IN_CATALOG : Reasons.NO_CARD_TYPE);
    }
    String label = product.trim().replaceAll("\\s+", "-");
    if (mig) {
      return catalog
          .canonicalCardType(profile == null ? label + "-MIG" : label + "-MIG-" + profile)
          .map(type -> new Typed(type, null))
          .orElse(new Typed(null, Reasons.MIG_NOT_IN_CATALOG));
    }
    return catalog
        .canonicalCardType(label)
        .or(() -> catalog.canonicalCardType(product))
        .map(type -> new Typed(type, null))
        .orElse(new Typed(null, Reasons.NO_CARD_TYPE));
  }

  // NVIDIA publishes unqualified names, which belong to the driver's domain; a qualified name
  // "<driver>/<name>" is the same attribute.
  private static String string(
      Map<String, DeviceAttribute> attributes, String driver, String name) {
    DeviceAttribute a = attributes.get(name);
    if (a == null) {
      a = attributes.get(driver + "/" + name);
    }
    String value = a == null ? null : a.getString();
    return value == null || value.isBlank() ? null : value;
  }

  private List<DeviceId> gpuDevices(ResourceClaim claim) {
    if (claim.getStatus() == null
        || claim.getStatus().getAllocation() == null
        || claim.getStatus().getAllocation().getDevices() == null
        || claim.getStatus().getAllocation().getDevices().getResults() == null) {
      return List.of();
    }
    List<DeviceId> result = new ArrayList<>();
    for (DeviceRequestAllocationResult r :
        claim.getStatus().getAllocation().getDevices().getResults()) {
      if (r != null
          && r.getDriver() != null
          && drivers.contains(r.getDriver())
          && r.getDevice() != null
          && !Boolean.TRUE.equals(r.getAdminAccess())) {
        result.add(new DeviceId(r.getDriver(), r.getPool(), r.getDevice()));
      }
    }
    return result;
  }

  /** Whether the claim's GPU driver devices are in the configured set. */
  public boolean holdsGpus(ResourceClaim claim) {
    return !gpuDevices(claim).isEmpty();
  }

  /**
   * The pod is the claim's first consumer: the first pod in {@code status.reservedFor} (the pod it
   * was allocated for; when it ends the next one takes the claim over). A claim reserved for no pod
   * bills no pod.
   */
  static boolean isFirstConsumer(ResourceClaim claim, Pod pod) {
    return firstPod(claim)
        .map(
            ref ->
                ref.getUid() != null
                    ? ref.getUid().equals(pod.getMetadata().getUid())
                    : ref.getName() != null && ref.getName().equals(pod.getMetadata().getName()))
        .orElse(false);
  }

  /** The pods a claim is reserved for, in order. */
  public static List<ResourceClaimConsumerReference> podConsumers(ResourceClaim claim) {
    if (claim.getStatus() == null || claim.getStatus().getReservedFor() == null) {
      return List.of();
    }
    return claim.getStatus().getReservedFor().stream()
        .filter(
            r ->
                r != null
                    && "pods".equals(r.getResource())
                    && (r.getApiGroup() == null || r.getApiGroup().isEmpty()))
        .toList();
  }

  private static Optional<ResourceClaimConsumerReference> firstPod(ResourceClaim claim) {
    return podConsumers(claim).stream().findFirst();
  }

  // A claim named directly, or the claim generated from a template (its name is in the pod's
  // status.resourceClaimStatuses, written by the controller-manager).
  private static Set<String> claimNames(Pod pod) {
    Set<String> names = new LinkedHashSet<>();
    if (pod.getSpec() == null || pod.getSpec().getResourceClaims() == null) {
      return names;
    }
    for (PodResourceClaim rc : pod.getSpec().getResourceClaims()) {
      if (rc != null && rc.getResourceClaimName() != null && !rc.getResourceClaimName().isBlank()) {
        names.add(rc.getResourceClaimName());
      }
    }
    names.addAll(generatedClaimNames(pod));
    return names;
  }

  /**
   * Whether the pod claims devices through a ResourceClaimTemplate: it may get GPUs through DRA,
   * which only its generated claims will tell (the webhook gates such pods at create).
   */
  public static boolean claimsThroughTemplates(Pod pod) {
    return pod.getSpec() != null
        && pod.getSpec().getResourceClaims() != null
        && pod.getSpec().getResourceClaims().stream()
            .anyMatch(rc -> rc != null && rc.getResourceClaimTemplateName() != null);
  }

  /** Whether every claim the pod's templates generate exists and is in {@code claims}. */
  public static boolean generatedClaimsSeen(Pod pod, Claims claims) {
    long templates =
        pod.getSpec().getResourceClaims().stream()
            .filter(rc -> rc != null && rc.getResourceClaimTemplateName() != null)
            .count();
    Set<String> names = generatedClaimNames(pod);
    return names.size() == templates
        && names.stream()
            .allMatch(n -> claims.claim(pod.getMetadata().getNamespace(), n).isPresent());
  }

  // The claims the controller-manager generated for the pod from its templates.
  private static Set<String> generatedClaimNames(Pod pod) {
    Set<String> names = new LinkedHashSet<>();
    if (pod.getSpec() == null
        || pod.getSpec().getResourceClaims() == null
        || pod.getStatus() == null
        || pod.getStatus().getResourceClaimStatuses() == null) {
      return names;
    }
    for (PodResourceClaim rc : pod.getSpec().getResourceClaims()) {
      if (rc == null || rc.getResourceClaimTemplateName() == null) {
        continue;
      }
      for (PodResourceClaimStatus s : pod.getStatus().getResourceClaimStatuses()) {
        if (s != null
            && rc.getName() != null
            && rc.getName().equals(s.getName())
            && s.getResourceClaimName() != null) {
          names.add(s.getResourceClaimName());
        }
      }
    }
    return names;
  }

  private static String extendedClaim(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getExtendedResourceClaimStatus() == null) {
      return null;
    }
    String name = pod.getStatus().getExtendedResourceClaimStatus().getResourceClaimName();
    return name == null || name.isBlank() ? null : name;
  }
}
