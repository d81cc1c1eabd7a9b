package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.gpureservation.api.v1alpha1.GpuReservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DeviceTaintRules of DRA hand-overs (docs/capacity-holding.md, "GPUs claimed through DRA"):
 * while a placeholder's device passes to the pod promised its slot, a {@code NoSchedule} taint on
 * exactly that device, with the claimant's uid as value, keeps it from every claim but the
 * claimant's (whose claims tolerate their own pod's uid). Rules are cluster-scoped and nothing
 * collects them for the operator: they are labelled {@code gpureservation.io/handover: "true"},
 * named {@code handover-<claimant uid>} ({@code -<n>} for a slot's further cards), and deleted when
 * the claimant is bound, gone, or no longer in a hand-over — and by {@link #sweep} at start and on
 * every hand-over timeout.
 */
public final class HandOverTaints {
  private static final Logger LOG = LoggerFactory.getLogger(HandOverTaints.class);
  public static final String LABEL = GpuReservation.GROUP + "/handover";
  public static final String CLAIMANT_LABEL = GpuReservation.GROUP + "/handover-claimant";
  public static final String CLAIMANT_ANNOTATION = GpuReservation.GROUP + "/handover-pod";
  public static final String TAINT_KEY = GpuReservation.GROUP + "/handover";
  public static final ResourceDefinitionContext RULES =
      new ResourceDefinitionContext.Builder()
          .withGroup("resource.k8s.io")
          .withVersion("v1")
          .withKind("DeviceTaintRule")
          .withPlural("devicetaintrules")
          .withNamespaced(false)
          .build();

  /** The claimant of a rule: its pod's namespace, name and uid. */
  public record Claimant(String namespace, String name, String uid) {}

  private final KubernetesClient client;
  private final Set<String> tainted = ConcurrentHashMap.newKeySet();

  public HandOverTaints(KubernetesClient client) {
    this.client = client;
  }

  public static String ruleName(String claimantUid, int card) {
    return "handover-" + claimantUid + (card == 0 ? "" : "-" + card);
  }

  /**
   * Taints the devices for {@code claimant}, replacing rules an earlier attempt left for it.
   * Returns why that was refused, or null.
   */
  public String taint(Pod claimant, List<DraDevices.DeviceId> devices) {
    String uid = claimant.getMetadata().getUid();
    release(uid, true);
    tainted.add(uid);
    for (int card = 0; card < devices.size(); card++) {
      DraDevices.DeviceId d = devices.get(card);
      try {
        client.genericKubernetesResources(RULES).resource(rule(claimant, card, d)).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          LOG.warn(
              "DeviceTaintRule for {} refused: {}",
              claimant.getMetadata().getName(),
              e.getMessage());
          release(uid, true);
          return e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
        }
      }
    }
    return null;
  }

  /** Deletes the claimant's rules, if this run made any. */
  public void release(String claimantUid) {
    release(claimantUid, false);
  }

  private void release(String claimantUid, boolean evenIfUnknown) {
    if (claimantUid == null || !(tainted.remove(claimantUid) || evenIfUnknown)) {
      return;
    }
    for (GenericKubernetesResource rule : rulesOf(CLAIMANT_LABEL + "=" + claimantUid)) {
      delete(rule.getMetadata().getName());
    }
  }

  /**
   * Deletes every rule of a hand-over whose claimant {@code inHandOver} does not confirm (it is
   * bound, gone, or not in a hand-over the ledger knows): at start, a crash's leftovers; later,
   * rules whose release was missed. Returns how many were deleted.
   */
  public int sweep(Predicate<Claimant> inHandOver) {
    int deleted = 0;
    for (GenericKubernetesResource rule : rulesOf(LABEL + "=true")) {
      Map<String, String> labels = rule.getMetadata().getLabels();
      Map<String, String> annotations = rule.getMetadata().getAnnotations();
      String pod = annotations == null ? null : annotations.get(CLAIMANT_ANNOTATION);
      int slash = pod == null ? -1 : pod.indexOf('/');
      Claimant claimant =
          slash < 0
              ? null
              : new Claimant(
                  pod.substring(0, slash), pod.substring(slash + 1), labels.get(CLAIMANT_LABEL));
      if (claimant == null || claimant.uid() == null || !inHandOver.test(claimant)) {
        delete(rule.getMetadata().getName());
        if (claimant != null) {
          tainted.remove(claimant.uid());
        }
        deleted++;
      } else {
        tainted.add(claimant.uid());
      }
    }
    return deleted;
  }

  private List<GenericKubernetesResource> rulesOf(String selector) {
    try {
      return client.genericKubernetesResources(RULES).withLabelSelector(selector).list().getItems();
    } catch (KubernetesClientException e) {
      LOG.warn("cannot list DeviceTaintRules: {}", e.getMessage());
      return new ArrayList<>();
    }
  }

  private void delete(String name) {
    try {
      client.genericKubernetesResources(RULES).withName(name).delete();
    } catch (KubernetesClientException e) {
      LOG.warn("cannot delete DeviceTaintRule {}: {}", name, e.getMessage());
    }
  }

  static GenericKubernetesResource rule(Pod claimant, int card, DraDevices.DeviceId device) {
    String uid = claimant.getMetadata().getUid();
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("resource.k8s.io/v1")
        .withKind("DeviceTaintRule")
        .withNewMetadata()
        .withName(ruleName(uid, card))
        .addToLabels(LABEL, "true")
        .addToLabels(CLAIMANT_LABEL, uid)
        .addToAnnotations(
            CLAIMANT_ANNOTATION,
            claimant.getMetadata().getNamespace() + "/" + claimant.getMetadata().getName())
        .endMetadata()
        .withAdditionalProperties(
            Map.of(
                "spec",
                Map.of(
                    "deviceSelector",
                    Map.of(
                        "driver", device.driver(),
                        "pool", device.pool(),
                        "device", device.device()),
                    "taint",
                    Map.of("key", TAINT_KEY, "value", uid, "effect", "NoSchedule"))))
        .build();
  }
}
