package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pod's DRA GPUs as the claim and slice informers show them now, remembered per pod once read
 * (docs/capacity-reservation.md, "GPUs claimed through DRA"). The memory matters because the
 * controller-manager lets go of a finished pod's claim, and may delete a generated claim, before
 * the operator has seen the pod end: a pod that had cards keeps them until it is forgotten (it is
 * deleted), so its end and its deletion are still those of a GPU pod. An allocation is immutable
 * while a pod uses it, so a remembered reading never goes stale; a fresh reading with cards
 * replaces it (a device's slice seen late completes its card type).
 */
public final class DraGpus {
  private final DraDevices devices;
  private final Map<String, DraDevices.Reading> seen = new ConcurrentHashMap<>();
  private volatile DraDevices.Claims claims = (namespace, name) -> Optional.empty();
  private volatile DraDevices.Devices slices = (driver, pool, device) -> Optional.empty();

  public DraGpus(DraDevices devices) {
    this.devices = devices;
  }

  /** The informer caches to read (until set, no pod has DRA GPUs). */
  public void readFrom(DraDevices.Claims claims, DraDevices.Devices slices) {
    this.claims = claims;
    this.slices = slices;
  }

  /** How claims are read into cards (the claim informer asks which claims hold GPUs). */
  public DraDevices devices() {
    return devices;
  }

  /** The pod's DRA GPUs: read now, or as last read while it had cards. */
  public DraDevices.Reading read(Pod pod) {
    if (!DraDevices.usesClaims(pod)) {
      return DraDevices.Reading.NONE;
    }
    String uid = pod.getMetadata().getUid();
    DraDevices.Reading now = devices.read(pod, claims, slices);
    if (uid == null) {
      return now;
    }
    if (now.cards() > 0 || now.cardType() != null || now.reason() != null) {
      seen.put(uid, now);
      return now;
    }
    return seen.getOrDefault(uid, now);
  }

  /** The GPU devices allocated to the pod's claims now (a placeholder's: what it holds). */
  public java.util.List<DraDevices.DeviceId> allocatedTo(Pod pod) {
    return devices.allocatedTo(pod, claims);
  }

  /** Whether every claim the pod's templates generate is in the claim cache. */
  public boolean generatedClaimsSeen(Pod pod) {
    return DraDevices.generatedClaimsSeen(pod, claims);
  }

  /** The pod is deleted: nothing more to remember. */
  public void forget(String podUid) {
    if (podUid != null) {
      seen.remove(podUid);
    }
  }
}
