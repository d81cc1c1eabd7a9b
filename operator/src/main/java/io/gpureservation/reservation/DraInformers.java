package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.resource.v1.AllocationResult;
import io.fabric8.kubernetes.api.model.resource.v1.Device;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAllocationResult;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceAttribute;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequestAllocationResult;
import io.fabric8.kubernetes.api.model.resource.v1.ExactDeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimConsumerReference;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimSpec;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimStatus;
import io.fabric8.kubernetes.api.model.resource.v1.ResourcePool;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSlice;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceSliceSpec;
import io.gpureservation.cluster.DraDevices;
import io.gpureservation.cluster.DraGpus;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ResourceClaim and ResourceSlice informers of the GPU pod controller (docs/architecture.md,
 * "GPUs claimed through DRA"). Both caches are pruned to what {@link DraDevices} reads: a claim
 * keeps its GPU driver devices and the pods it is reserved for, a slice its GPU devices' names and
 * product, type and profile attributes. A claim whose allocation or consumers change wakes the pod
 * it bills: the scheduler allocates a claim after the pod was seen, so that is when the pod becomes
 * a GPU pod; a shared claim's next consumer takes its cards over when the first ends. Slices are
 * indexed by driver and pool, so a device is found without a scan of the cluster.
 */
final class DraInformers {
  static final String CLAIMS = "gpu-pods-claims";
  static final String SLICES = "gpu-pods-slices";
  private static final String BY_POOL = "driver-pool";
  private static final Set<String> ATTRIBUTES =
      Set.of("productName", "type", "profile"); // DraDevices reads these only

  private final DraGpus dra;
  private final Set<String> drivers;

  DraInformers(DraGpus dra, List<String> drivers) {
    this.dra = dra;
    this.drivers = Set.copyOf(drivers);
  }

  /** Both event sources; the pods' DRA reading reads their caches from now on. */
  List<EventSource<?, Pod>> eventSources(EventSourceContext<Pod> context) {
    InformerEventSource<ResourceClaim, Pod> claims =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ResourceClaim.class, Pod.class)
                .withName(CLAIMS)
                .withOnUpdateFilter(
                    (now, before) -> !Objects.equals(now.getStatus(), before.getStatus()))
                .withItemStore(new TransformingItemStore<>(this::prunedClaim))
                .withSecondaryToPrimaryMapper(this::podsOf)
                .build(),
            context);
    InformerEventSource<ResourceSlice, Pod> slices =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ResourceSlice.class, Pod.class)
                .withName(SLICES)
                .withWatchAllNamespaces()
                .withFollowControllerNamespacesChanges(false)
                .withItemStore(new TransformingItemStore<>(this::prunedSlice))
                .withSecondaryToPrimaryMapper(slice -> Set.of())
                .build(),
            context);
    slices.addIndexers(Map.of(BY_POOL, DraInformers::poolKeys));
    dra.readFrom(
        (namespace, name) -> claims.get(new ResourceID(name, namespace)),
        (driver, pool, device) -> attributes(slices, driver, pool, device));
    return List.of(claims, slices);
  }

  // The pod a GPU claim bills: its first consumer (DraDevices); a claim without GPU devices wakes
  // nobody, and a pod that shares a claim is woken when it becomes the first.
  private Set<ResourceID> podsOf(ResourceClaim claim) {
    if (!dra.devices().holdsGpus(claim)) {
      // not allocated yet: a claim that requests GPUs wakes the pod it was generated for, which
      // may wait behind the capacity gate for it (docs/capacity-holding.md, "GPUs claimed through
      // DRA")
      return dra.devices().gpuRequests(claim).isEmpty()
          ? Set.of()
          : ownerPods(claim).stream()
              .map(name -> new ResourceID(name, claim.getMetadata().getNamespace()))
              .collect(Collectors.toSet());
    }
    return DraDevices.podConsumers(claim).stream()
        .findFirst()
        .filter(ref -> ref.getName() != null)
        .map(ref -> Set.of(new ResourceID(ref.getName(), claim.getMetadata().getNamespace())))
        .orElse(Set.of());
  }

  private static Optional<Map<String, DeviceAttribute>> attributes(
      InformerEventSource<ResourceSlice, Pod> slices, String driver, String pool, String device) {
    for (ResourceSlice slice : slices.byIndex(BY_POOL, driver + "/" + pool)) {
      for (Device d : slice.getSpec().getDevices()) {
        if (device.equals(d.getName())) {
          return Optional.of(d.getAttributes() == null ? Map.of() : d.getAttributes());
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> poolKeys(ResourceSlice slice) {
    ResourceSliceSpec spec = slice.getSpec();
    if (spec == null || spec.getDriver() == null || spec.getPool() == null) {
      return List.of();
    }
    return List.of(spec.getDriver() + "/" + spec.getPool().getName());
  }

  private static ObjectMeta meta(ObjectMeta original) {
    ObjectMeta meta = new ObjectMeta();
    meta.setFinalizers(null);
    meta.setManagedFields(null);
    meta.setOwnerReferences(null);
    meta.setName(original.getName());
    meta.setNamespace(original.getNamespace());
    meta.setUid(original.getUid());
    meta.setResourceVersion(original.getResourceVersion());
    return meta;
  }

  // A claim keeps its GPU devices and its pod consumers; any other claim only its name.
  ResourceClaim prunedClaim(ResourceClaim claim) {
    ResourceClaim kept = new ResourceClaim();
    kept.setMetadata(meta(claim.getMetadata()));
    if (!dra.devices().holdsGpus(claim)) {
      List<ExactDeviceRequest> requests = dra.devices().gpuRequests(claim);
      boolean allocated = claim.getStatus() != null && claim.getStatus().getAllocation() != null;
      if (!requests.isEmpty() && !allocated) {
        keepRequests(kept, claim, requests);
      }
      return kept;
    }
    List<DeviceRequestAllocationResult> results =
        claim.getStatus().getAllocation().getDevices().getResults().stream()
            .filter(r -> r != null && drivers.contains(r.getDriver()))
            .map(
                r -> {
                  DeviceRequestAllocationResult small = new DeviceRequestAllocationResult();
                  small.setBindingConditions(null);
                  small.setBindingFailureConditions(null);
                  small.setTolerations(null);
                  small.setDriver(r.getDriver());
                  small.setPool(r.getPool());
                  small.setDevice(r.getDevice());
                  small.setAdminAccess(r.getAdminAccess());
                  return small;
                })
            .toList();
    DeviceAllocationResult devices = new DeviceAllocationResult();
    devices.setConfig(null);
    devices.setResults(results);
    AllocationResult allocation = new AllocationResult();
    allocation.setDevices(devices);
    ResourceClaimStatus status = new ResourceClaimStatus();
    status.setDevices(null);
    status.setAllocation(allocation);
    status.setReservedFor(
        DraDevices.podConsumers(claim).stream()
            .map(
                r ->
                    new ResourceClaimConsumerReference(
                        r.getApiGroup(), r.getName(), r.getResource(), r.getUid()))
            .toList());
    kept.setStatus(status);
    return kept;
  }

  // An unallocated claim that requests GPUs keeps those requests and its owner pod, so a pending
  // pod's cards are known before the scheduler allocates them (DraDevices).
  private static void keepRequests(
      ResourceClaim kept, ResourceClaim claim, List<ExactDeviceRequest> requests) {
    kept.getMetadata()
        .setOwnerReferences(
            claim.getMetadata().getOwnerReferences() == null
                ? null
                : claim.getMetadata().getOwnerReferences().stream()
                    .filter(o -> "Pod".equals(o.getKind()))
                    .toList());
    List<DeviceRequest> small = new ArrayList<>();
    for (ExactDeviceRequest r : requests) {
      ExactDeviceRequest e = new ExactDeviceRequest();
      e.setTolerations(null);
      e.setDeviceClassName(r.getDeviceClassName());
      e.setAllocationMode(r.getAllocationMode());
      e.setCount(r.getCount());
      e.setSelectors(r.getSelectors());
      DeviceRequest request = new DeviceRequest();
      request.setFirstAvailable(null);
      request.setExactly(e);
      small.add(request);
    }
    DeviceClaim devices = new DeviceClaim();
    devices.setConfig(null);
    devices.setConstraints(null);
    devices.setRequests(small);
    ResourceClaimSpec spec = new ResourceClaimSpec();
    spec.setDevices(devices);
    kept.setSpec(spec);
  }

  private static List<String> ownerPods(ResourceClaim claim) {
    return claim.getMetadata().getOwnerReferences() == null
        ? List.of()
        : claim.getMetadata().getOwnerReferences().stream()
            .filter(o -> "Pod".equals(o.getKind()) && o.getName() != null)
            .map(o -> o.getName())
            .toList();
  }

  // A slice of a GPU driver keeps its pool and its devices' names and type attributes.
  ResourceSlice prunedSlice(ResourceSlice slice) {
    ResourceSlice kept = new ResourceSlice();
    kept.setMetadata(meta(slice.getMetadata()));
    ResourceSliceSpec original = slice.getSpec();
    if (original == null
        || !drivers.contains(original.getDriver())
        || original.getPool() == null
        || original.getDevices() == null) {
      return kept;
    }
    ResourceSliceSpec spec = new ResourceSliceSpec();
    spec.setSharedCounters(null);
    spec.setDriver(original.getDriver());
    spec.setNodeName(original.getNodeName());
    spec.setPool(new ResourcePool(null, original.getPool().getName(), null));
    spec.setDevices(
        original.getDevices().stream()
            .filter(d -> d != null && d.getName() != null)
            .map(d -> device(d, original.getDriver()))
            .toList());
    kept.setSpec(spec);
    return kept;
  }

  private static Device device(Device original, String driver) {
    Device d = new Device();
    d.setBindingConditions(null);
    d.setBindingFailureConditions(null);
    d.setCapacity(null);
    d.setConsumesCounters(null);
    d.setTaints(null);
    d.setName(original.getName());
    Map<String, DeviceAttribute> attributes = new HashMap<>(4);
    if (original.getAttributes() != null) {
      original
          .getAttributes()
          .forEach(
              (key, value) -> {
                String name =
                    key.startsWith(driver + "/") ? key.substring(driver.length() + 1) : key;
                if (ATTRIBUTES.contains(name) && value != null) {
                  attributes.put(key, value);
                }
              });
    }
    d.setAttributes(attributes);
    return d;
  }
}
