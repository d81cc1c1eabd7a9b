package io.gpureservation.reservation;

import static io.gpureservation.api.v1alpha1.GpuReservation.CAPACITY_GATE;
import static io.gpureservation.api.v1alpha1.GpuReservation.HANDOVER_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.HANDOVER_AT_ANNOTATION;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.cluster.Claimants;
import io.gpureservation.cluster.NodePin;
import io.gpureservation.cluster.PodEdit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifts the capacity gate of a GPU pod, the pod reconciler's own write (docs/capacity-holding.md
 * "Hand-over"): alone when the pod fits no held slot, or after nominating the pod to the node its
 * slot is held on ({@link Claimants}) together with a required node affinity to that node and the
 * hand-over record (allowed while a pod is gated: Kubernetes lets a gated pod's scheduling
 * constraints be narrowed). One patch, so the pod is never ungated without its pin.
 */
final class CapacityGate {
  private static final Logger LOG = LoggerFactory.getLogger(CapacityGate.class);

  private final KubernetesClient client;
  private final Clock clock;

  CapacityGate(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  static boolean isGated(Pod pod) {
    return pod.getSpec() != null
        && pod.getSpec().getSchedulingGates() != null
        && pod.getSpec().getSchedulingGates().stream()
            .anyMatch(g -> CAPACITY_GATE.equals(g.getName()));
  }

  /**
   * Lifts the gate; with a {@code pin}, nominates and pins the pod to its slot's node first. The
   * patch is built from the cached pod (which keeps a gated pod's gates whole), or with a pin from
   * the pod as the nomination stored it (whole: its affinity is rewritten), so no GET goes out
   * ({@link PodEdit}).
   */
  void lift(Pod pod, HandOver.Pin pin) {
    lift(
        pod,
        pin == null ? null : pin.node(),
        pin == null
            ? Map.of()
            : Map.of(HANDOVER_ANNOTATION, pin.slot().reservation() + "/" + pin.slot().slot()));
  }

  /**
   * As {@link #lift(Pod, HandOver.Pin)} for a pod handed a slot on {@code node} (null: none), with
   * the record that says which slot ({@code gpureservation.io/handover} for a slot of the pod's own
   * namespace, {@code gpureservation.io/lender} for a borrowed one, docs/lending.md "Borrow") and
   * the time of the hand-over.
   */
  void lift(Pod pod, String node, Map<String, String> record) {
    Pod base = pod;
    if (node != null) {
      base = Claimants.nominate(client, pod, node);
      if (base == null) {
        LOG.debug("pod {} is gone", pod.getMetadata().getName());
        return;
      }
    }
    Pod stored =
        PodEdit.apply(
            client,
            base,
            live -> {
              if (!isGated(live)) {
                return live; // already done
              }
              List<PodSchedulingGate> gates = new ArrayList<>(live.getSpec().getSchedulingGates());
              gates.removeIf(g -> CAPACITY_GATE.equals(g.getName()));
              live.getSpec().setSchedulingGates(gates);
              if (node != null) {
                NodePin.pinTo(live, node);
                if (live.getMetadata().getAnnotations() == null) {
                  live.getMetadata().setAnnotations(new HashMap<>());
                }
                live.getMetadata().getAnnotations().putAll(record);
                live.getMetadata()
                    .getAnnotations()
                    .put(HANDOVER_AT_ANNOTATION, clock.instant().toString());
              }
              return live;
            });
    if (stored == null) {
      LOG.debug("pod {} is gone", pod.getMetadata().getName());
    }
  }
}
