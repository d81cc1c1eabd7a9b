package io.gpureservation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttribute;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequestAllocationResult;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimBuilder;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimConsumerReference;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.matching.PodDef;
import io.gpureservation.core.matching.Reasons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a pod's ResourceClaims are read into cards and a card type (docs/capacity-reservation.md,
 * "GPUs claimed through DRA"; docs/billing.md, "DRA claims"): allocations of the GPU driver only,
 * adminAccess excluded, the product name through the catalog's aliases, a shared claim billed to
 * its first consumer, MIG devices the catalog does not name pay-as-you-go with a reason.
 */
class DraDevicesTest {
  private static final String NODE = "l20-dra-a-1";
  private final DraDevices dra = new DraDevices(Catalog.defaults(), List.of("gpu.nvidia.com"));
  private final Map<String, ResourceClaim> claims = new HashMap<>();
  private final Map<String, Map<String, DeviceAttribute>> slice = new HashMap<>();

  private final DraDevices.Claims claimLookup =
      (namespace, name) -> Optional.ofNullable(claims.get(namespace + "/" + name));
  private final DraDevices.Devices deviceLookup =
      (driver, pool, device) ->
          "gpu.nvidia.com".equals(driver) && NODE.equals(pool)
              ? Optional.ofNullable(slice.get(device))
              : Optional.empty();

  DraDevicesTest() {
    for (int i = 0; i < 8; i++) {
      gpu("gpu-" + i, "NVIDIA L20");
    }
  }

  private void gpu(String device, String product) {
    slice.put(
        device,
        Map.of(
            "type", str("gpu"),
            "productName", str(product),
            "uuid", str("GPU-" + device)));
  }

  private static DeviceAttribute str(String value) {
    DeviceAttribute a = new DeviceAttribute();
    a.setString(value);
    return a;
  }

  // A pod using the template "gpu", whose generated claim is named in its status.
  private static Pod templatePod(String name, String claim) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName(name)
        .withUid("uid-" + name)
        .withCreationTimestamp("2026-01-01T00:00:00Z")
        .endMetadata()
        .withNewSpec()
        .withNodeName(NODE)
        .addNewResourceClaim()
        .withName("gpu")
        .withResourceClaimTemplateName("one-l20")
        .endResourceClaim()
        .addNewContainer()
        .withName("main")
        .withNewResources()
        .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("4"))
        .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("16Gi"))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewResourceClaimStatus()
        .withName("gpu")
        .withResourceClaimName(claim)
        .endResourceClaimStatus()
        .endStatus()
        .build();
  }

  // A pod naming a claim directly (shared claims are named).
  private static Pod namedClaimPod(String name, String claim) {
    Pod pod = templatePod(name, claim);
    pod.getSpec().getResourceClaims().get(0).setResourceClaimTemplateName(null);
    pod.getSpec().getResourceClaims().get(0).setResourceClaimName(claim);
    pod.getStatus().setResourceClaimStatuses(null);
    return pod;
  }

  private static DeviceRequestAllocationResult result(String driver, String device) {
    DeviceRequestAllocationResult r = new DeviceRequestAllocationResult();
    r.setDriver(driver);
    r.setPool(NODE);
    r.setDevice(device);
    r.setRequest("gpu");
    return r;
  }

  private ResourceClaim claim(
      String name, List<DeviceRequestAllocationResult> results, String... consumers) {
    List<ResourceClaimConsumerReference> reservedFor = new ArrayList<>();
    for (String pod : consumers) {
      reservedFor.add(new ResourceClaimConsumerReference("", pod, "pods", "uid-" + pod));
    }
    ResourceClaim claim =
        new ResourceClaimBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName(name)
            .endMetadata()
            .withNewStatus()
            .withNewAllocation()
            .withNewDevices()
            .withResults(results)
            .endDevices()
            .endAllocation()
            .withReservedFor(reservedFor)
            .endStatus()
            .build();
    claims.put("ns/" + name, claim);
    return claim;
  }

  private DraDevices.Reading read(Pod pod) {
    return dra.read(pod, claimLookup, deviceLookup);
  }

  @Test
  void aTemplateClaimsTwoL20DevicesAreTwoL20CardsThroughTheCatalogAlias() {
    claim(
        "p-gpu-x1",
        List.of(result("gpu.nvidia.com", "gpu-0"), result("gpu.nvidia.com", "gpu-1")),
        "p");

    assertThat(read(templatePod("p", "p-gpu-x1")))
        .isEqualTo(new DraDevices.Reading(2, "L20", null));
  }

  @Test
  void adminAccessDevicesAndOtherDriversAreNoCards() {
    DeviceRequestAllocationResult monitor = result("gpu.nvidia.com", "gpu-2");
    monitor.setAdminAccess(true);
    claim(
        "c",
        List.of(result("gpu.nvidia.com", "gpu-0"), monitor, result("net.example.com", "nic-0")),
        "p");

    assertThat(read(namedClaimPod("p", "c")).cards()).isEqualTo(1);
  }

  @Test
  void aClaimNotYetAllocatedMissingOrWithoutStatusGivesNoCards() {
    Pod pending = templatePod("p", "p-gpu-x1");
    assertThat(read(pending)).isEqualTo(DraDevices.Reading.NONE); // no claim in the cache
    claims.put(
        "ns/p-gpu-x1",
        new ResourceClaimBuilder().withNewMetadata().withName("p-gpu-x1").endMetadata().build());
    assertThat(read(pending)).isEqualTo(DraDevices.Reading.NONE); // no status
    Pod noStatus = templatePod("q", "q-gpu");
    noStatus.getStatus().setResourceClaimStatuses(null); // not generated yet
    assertThat(read(noStatus)).isEqualTo(DraDevices.Reading.NONE);
    Pod noClaims = templatePod("r", "r-gpu");
    noClaims.getSpec().setResourceClaims(null);
    noClaims.getStatus().setResourceClaimStatuses(null);
    assertThat(DraDevices.usesClaims(noClaims)).isFalse();
    assertThat(read(noClaims)).isEqualTo(DraDevices.Reading.NONE);
  }

  @Test
  void aSharedClaimIsBilledOnceToItsFirstConsumerAndThenToTheNext() {
    claim("shared", List.of(result("gpu.nvidia.com", "gpu-3")), "a", "b");
    Pod a = namedClaimPod("a", "shared");
    Pod b = namedClaimPod("b", "shared");

    assertThat(read(a).cards()).isEqualTo(1);
    assertThat(read(b)).isEqualTo(DraDevices.Reading.NONE);

    claim("shared", List.of(result("gpu.nvidia.com", "gpu-3")), "b"); // a ended
    assertThat(read(b)).isEqualTo(new DraDevices.Reading(1, "L20", null));
    assertThat(read(a)).isEqualTo(DraDevices.Reading.NONE);
  }

  @Test
  void aClaimReservedForNoPodBillsNoPod() {
    claim("c", List.of(result("gpu.nvidia.com", "gpu-0")));

    assertThat(read(namedClaimPod("p", "c")).cards()).isZero();
  }

  @Test
  void aMigDeviceTheCatalogDoesNotNameIsPayAsYouGoWithAReason() {
    slice.put(
        "gpu-0-mig-1g24gb-0",
        Map.of("type", str("mig"), "productName", str("NVIDIA L20"), "profile", str("1g.24gb")));
    claim("c", List.of(result("gpu.nvidia.com", "gpu-0-mig-1g24gb-0")), "p");

    assertThat(read(namedClaimPod("p", "c")))
        .isEqualTo(new DraDevices.Reading(1, null, Reasons.MIG_NOT_IN_CATALOG));
  }

  @Test
  void aMigProfileTheCatalogNamesIsACardOfThatType(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("catalog.yaml");
    Files.writeString(
        file,
        """
        cardTypes:
          L20-1G:
            aliases: [NVIDIA-L20-MIG-1g.24gb]
            gpuMemoryGB: 24
            exampleRates: {reservationPerCardHour: 0.1, payAsYouGoPerCardHour: 0.3}
            specs: [{cards: 1, vcpu: 4, memoryGiB: 30}]
        """);
    DraDevices withMig = new DraDevices(Catalog.load(file), List.of("gpu.nvidia.com"));
    slice.put(
        "mig-0",
        Map.of("type", str("mig"), "productName", str("NVIDIA L20"), "profile", str("1g.24gb")));
    claim("c", List.of(result("gpu.nvidia.com", "mig-0")), "p");

    assertThat(withMig.read(namedClaimPod("p", "c"), claimLookup, deviceLookup))
        .isEqualTo(new DraDevices.Reading(1, "L20-1G", null));
  }

  @Test
  void aProductTheCatalogDoesNotKnowOrTwoProductsInOnePodHaveNoCardType() {
    gpu("gpu-6", "NVIDIA H800");
    gpu("gpu-7", "NVIDIA A10");
    claim("unknown", List.of(result("gpu.nvidia.com", "gpu-6")), "p");
    claim(
        "mixed",
        List.of(result("gpu.nvidia.com", "gpu-0"), result("gpu.nvidia.com", "gpu-7")),
        "q");

    assertThat(read(namedClaimPod("p", "unknown")))
        .isEqualTo(new DraDevices.Reading(1, null, Reasons.NO_CARD_TYPE));
    assertThat(read(namedClaimPod("q", "mixed")))
        .isEqualTo(new DraDevices.Reading(2, null, Reasons.NO_CARD_TYPE));
  }

  @Test
  void aDeviceNoSliceListsLeavesTheCardTypeToThePod() {
    claim("c", List.of(result("gpu.nvidia.com", "gpu-99")), "p");

    assertThat(read(namedClaimPod("p", "c"))).isEqualTo(new DraDevices.Reading(1, null, null));
  }

  @Test
  void qualifiedAttributeNamesAreTheSameAttributes() {
    slice.put("gpu-5", Map.of("gpu.nvidia.com/productName", str("NVIDIA-A10")));
    claim("c", List.of(result("gpu.nvidia.com", "gpu-5")), "p");

    assertThat(read(namedClaimPod("p", "c")).cardType()).isEqualTo("A10");
  }

  @Test
  void aGpuRequestServedByDraCountsOnceAndItsDeviceTellsTheCardType() {
    claim("p-extended", List.of(result("gpu.nvidia.com", "gpu-4")), "p");
    Pod pod = templatePod("p", "unused");
    pod.getSpec().setResourceClaims(null);
    pod.getStatus().setResourceClaimStatuses(null);
    pod.getStatus()
        .setExtendedResourceClaimStatus(
            new io.fabric8.kubernetes.api.model.PodExtendedResourceClaimStatus(
                List.of(), "p-extended"));
    pod.getSpec()
        .getContainers()
        .get(0)
        .getResources()
        .getRequests()
        .put("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("1"));

    assertThat(read(pod)).isEqualTo(new DraDevices.Reading(0, "L20", null));
    GpuPods gpuPods = gpuPods();
    PodDef def = gpuPods.toPodDef(pod).orElseThrow();
    assertThat(def.size().cards()).isEqualTo(1);
    assertThat(def.size().cardType()).isEqualTo("L20");
  }

  private GpuPods gpuPods() {
    GpuPods gpuPods = new GpuPods(OperatorConfig.defaults(), Catalog.defaults());
    gpuPods.dra().readFrom(claimLookup, deviceLookup);
    return gpuPods;
  }

  @Test
  void aDraPodIsAGpuPodOfItsDevicesShapeAndStaysOneAfterItsClaimIsGone() {
    GpuPods gpuPods = gpuPods();
    Pod pod = templatePod("p", "p-gpu-x1");
    assertThat(gpuPods.isGpuPod(pod)).isFalse(); // seen before the scheduler allocated

    claim("p-gpu-x1", List.of(result("gpu.nvidia.com", "gpu-0")), "p");
    PodDef def = gpuPods.toPodDef(pod).orElseThrow();
    assertThat(gpuPods.isGpuPod(pod)).isTrue();
    assertThat(def.size().cardType()).isEqualTo("L20");
    assertThat(def.size().cards()).isEqualTo(1);
    assertThat(def.size().cpuMillis()).isEqualTo(4000);
    assertThat(def.noSizeReason()).isNull();

    claims.clear(); // the pod ended and the controller-manager deleted its claim
    assertThat(gpuPods.isGpuPod(pod)).isTrue();
    gpuPods.dra().forget("uid-p");
    assertThat(gpuPods.isGpuPod(pod)).isFalse();
  }

  @Test
  void aMigPodHasNoSizeAndSaysWhy() {
    slice.put("mig-0", Map.of("type", str("mig"), "productName", str("NVIDIA L20")));
    claim("c", List.of(result("gpu.nvidia.com", "mig-0")), "p");
    Pod pod = namedClaimPod("p", "c");
    pod.getMetadata().setLabels(Map.of("gpureservation.io/card-type", "L20"));

    PodDef def = gpuPods().toPodDef(pod).orElseThrow();
    assertThat(def.size()).isNull();
    assertThat(def.noSizeReason()).isEqualTo(Reasons.MIG_NOT_IN_CATALOG);
  }

  @Test
  void aPrunedDraPodReadsTheSameAsTheOriginal() {
    GpuPods gpuPods = gpuPods();
    claim("p-gpu-x1", List.of(result("gpu.nvidia.com", "gpu-0")), "p");
    Pod pod = templatePod("p", "p-gpu-x1");
    Pod pruned = new PrunedPods(gpuPods, List.of()).apply(pod);

    assertThat(gpuPods.toPodDef(pruned)).isEqualTo(gpuPods.toPodDef(pod));
    claims.clear();
    gpuPods.dra().forget("uid-p");
    Pod prunedBeforeAllocation = new PrunedPods(gpuPods, List.of()).apply(pod);
    assertThat(prunedBeforeAllocation.getSpec().getResourceClaims()).hasSize(1);
    assertThat(prunedBeforeAllocation.getStatus().getResourceClaimStatuses()).hasSize(1);
  }

  // An unallocated claim generated for a pod: requests as written, no status.
  private void requesting(String name, String deviceClass, long count, String cel) {
    ResourceClaim claim =
        new ResourceClaimBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withNewDevices()
            .addNewRequest()
            .withName("gpu")
            .withNewExactly()
            .withDeviceClassName(deviceClass)
            .withCount(count)
            .addNewSelector()
            .withNewCel()
            .withExpression(cel)
            .endCel()
            .endSelector()
            .endExactly()
            .endRequest()
            .endDevices()
            .endSpec()
            .build();
    claims.put("ns/" + name, claim);
  }

  private static Pod pending(Pod pod) {
    pod.getSpec().setNodeName(null);
    pod.getStatus().setPhase("Pending");
    return pod;
  }

  @Test
  void aPendingPodsGeneratedClaimCountsWhatItRequestsAndTheProductItsSelectorNames() {
    requesting(
        "p-gpu-x1",
        "gpu.nvidia.com",
        2,
        "device.attributes[\"gpu.nvidia.com\"].productName == \"NVIDIA L20\"");
    Pod pod = pending(templatePod("p", "p-gpu-x1"));

    assertThat(dra.read(pod, claimLookup, deviceLookup))
        .isEqualTo(new DraDevices.Reading(2, "L20", null));
    assertThat(DraDevices.claimsThroughTemplates(pod)).isTrue();
    assertThat(DraDevices.generatedClaimsSeen(pod, claimLookup)).isTrue();
    // Bound, it counts only what is allocated (nothing yet).
    pod.getSpec().setNodeName(NODE);
    assertThat(dra.read(pod, claimLookup, deviceLookup).cards()).isZero();
  }

  @Test
  void aRequestOfAnotherDeviceClassOrANamedClaimCountsNothingBeforeAllocation() {
    requesting("p-nic-x1", "nic.example.com", 1, "true");
    assertThat(dra.read(pending(templatePod("p", "p-nic-x1")), claimLookup, deviceLookup).cards())
        .isZero();
    requesting("shared", "gpu.nvidia.com", 1, "true");
    assertThat(dra.read(pending(namedClaimPod("q", "shared")), claimLookup, deviceLookup).cards())
        .isZero();
    assertThat(DraDevices.generatedClaimsSeen(pending(templatePod("r", "not-yet")), claimLookup))
        .isFalse();
  }

  @Test
  void aPlaceholdersDevicesAreTheAllocatedGpuDevicesOfItsClaims() {
    claim(
        "h-gpu-x1",
        List.of(result("gpu.nvidia.com", "gpu-7"), result("nic.example.com", "eth-0")),
        "h");
    assertThat(dra.allocatedTo(templatePod("h", "h-gpu-x1"), claimLookup))
        .containsExactly(new DraDevices.DeviceId("gpu.nvidia.com", NODE, "gpu-7"));
  }
}
