package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationSpec;
import io.gpureservation.api.v1alpha1.ReservationPodSelector;
import io.gpureservation.api.v1alpha1.ReservationWindow;
import java.util.HashMap;
import java.util.Map;

/** Builders for the cluster objects of controller tests. */
public final class ClusterFixtures {
  private ClusterFixtures() {}

  public static ReservationBuilder reservation(String namespace, String name) {
    return new ReservationBuilder(namespace, name);
  }

  public static GpuPodBuilder gpuPod(String namespace, String name) {
    return new GpuPodBuilder(namespace, name);
  }

  /** A required node affinity whose one term pins the given zone. */
  public static Affinity requiredZoneAffinity(String zone) {
    return requiredAffinity(GpuPods.ZONE_LABEL, zone);
  }

  /** A required node affinity pinning {@code label} to one value in its only term. */
  public static Affinity requiredAffinity(String label, String value) {
    return new AffinityBuilder()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey(label)
        .withOperator("In")
        .withValues(value)
        .endMatchExpression()
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .build();
  }

  public static final class ReservationBuilder {
    private final CapacityReservation r = new CapacityReservation();

    private ReservationBuilder(String namespace, String name) {
      r.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
      CapacityReservationSpec spec = new CapacityReservationSpec();
      spec.setCardType("L20");
      spec.setCards(1);
      spec.setQuantity(1);
      r.setSpec(spec);
    }

    public ReservationBuilder cards(String cardType, int cards) {
      r.getSpec().setCardType(cardType);
      r.getSpec().setCards(cards);
      return this;
    }

    public ReservationBuilder shape(String cpu, String memory) {
      r.getSpec().setCpu(new Quantity(cpu));
      r.getSpec().setMemory(new Quantity(memory));
      return this;
    }

    public ReservationBuilder quantity(int quantity) {
      r.getSpec().setQuantity(quantity);
      return this;
    }

    public ReservationBuilder releaseAt(String time) {
      r.getSpec().setReleaseAt(time);
      return this;
    }

    public ReservationBuilder startAt(String time) {
      r.getSpec().setStartAt(time);
      return this;
    }

    /** Adds a window (docs/time-windows.md); lead may be null. */
    public ReservationBuilder window(
        String schedule, String timeZone, String duration, String lead) {
      if (r.getSpec().getWindows() == null) {
        r.getSpec().setWindows(new java.util.ArrayList<>());
      }
      r.getSpec().getWindows().add(new ReservationWindow(schedule, timeZone, duration, lead));
      return this;
    }

    public ReservationBuilder lockInUntil(String time) {
      r.getSpec().setLockInUntil(time);
      return this;
    }

    public ReservationBuilder region(String region) {
      r.getSpec().setRegion(region);
      return this;
    }

    public ReservationBuilder selector(Map<String, String> labels) {
      r.getSpec().setPodSelector(new ReservationPodSelector(labels, null));
      return this;
    }

    public CapacityReservation build() {
      return r;
    }
  }

  public static final class GpuPodBuilder {
    private final String namespace;
    private final String name;
    private final Map<String, String> labels = new HashMap<>();
    private final Map<String, String> annotations = new HashMap<>();
    private final Map<String, String> nodeSelector = new HashMap<>();
    private String cpu = "8";
    private String memory = "16Gi";
    private int gpus = 1;
    private String nodeName = "gpu-node-1";
    private String phase = "Running";

    private GpuPodBuilder(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
      nodeSelector.put("nvidia.com/gpu.product", "NVIDIA-L20");
    }

    public GpuPodBuilder size(int gpus, String cpu, String memory) {
      this.gpus = gpus;
      this.cpu = cpu;
      this.memory = memory;
      return this;
    }

    public GpuPodBuilder cardLabel(String cardType) {
      labels.put("gpureservation.io/card-type", cardType);
      return this;
    }

    public GpuPodBuilder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public GpuPodBuilder annotation(String key, String value) {
      annotations.put(key, value);
      return this;
    }

    public GpuPodBuilder unscheduled() {
      this.nodeName = null;
      this.phase = "Pending";
      return this;
    }

    public Pod build() {
      return new PodBuilder()
          .withNewMetadata()
          .withNamespace(namespace)
          .withName(name)
          .withLabels(labels)
          .withAnnotations(annotations)
          .endMetadata()
          .withNewSpec()
          .withNodeName(nodeName)
          .withNodeSelector(nodeSelector)
          .withContainers(
              new ContainerBuilder()
                  .withName("main")
                  .withImage("registry.example/inference:1")
                  .withResources(
                      new ResourceRequirementsBuilder()
                          .withRequests(
                              Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                          .withLimits(Map.of("nvidia.com/gpu", new Quantity(String.valueOf(gpus))))
                          .build())
                  .build())
          .endSpec()
          .withNewStatus()
          .withPhase(phase)
          .endStatus()
          .build();
    }
  }
}
