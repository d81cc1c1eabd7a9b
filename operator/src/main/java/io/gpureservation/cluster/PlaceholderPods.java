package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.core.holding.PlaceholderState;
import io.gpureservation.core.matching.SlotShape;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Placeholder pods: the objects that hold a reservation's idle slot (or a pool's free card) on a
 * node (docs/capacity-holding.md "Placeholders"). A placeholder is owned by its holder, named after
 * it and the slot, requests exactly the slot's shape and runs the pause image at the placeholder
 * PriorityClass, which ordinary workloads cannot preempt.
 *
 * <p>A placeholder is recognised by what the operator created — the controller owner reference to
 * the holder's uid <b>and</b> the name {@code <holder>-hold-<slot>} — never by its labels: a user
 * pod that wears the labels is an ordinary GPU pod.
 */
public final class PlaceholderPods {
  public static final String HOLDER_LABEL = GpuReservation.GROUP + "/placeholder-for";
  public static final String SLOT_LABEL = GpuReservation.GROUP + "/slot";

  /**
   * The holder's kind ({@code CapacityReservation} or {@code ResidentPool}), so that a watch of one
   * kind's placeholders selects only those (docs/architecture.md, "One pod watch per concern").
   */
  public static final String HOLDER_KIND_LABEL = GpuReservation.GROUP + "/placeholder-kind";

  /**
   * The label selector of a ResidentPool's placeholders: every placeholder but a reservation's. A
   * placeholder made before {@link #HOLDER_KIND_LABEL} existed has no kind and is selected too (the
   * pool tells its own by owner and name), so an upgrade loses none.
   */
  public static final String POOL_PLACEHOLDERS_SELECTOR =
      HOLDER_LABEL + "," + HOLDER_KIND_LABEL + " notin (CapacityReservation)";

  private static final String INFIX = "-hold-";
  public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

  /** How placeholders are made: image, PriorityClass, GPU resource and card-type node label. */
  public record Settings(
      String image, String priorityClass, String gpuResource, String cardTypeNodeLabel) {}

  /**
   * Where a placeholder may go, beyond its shape.
   *
   * @param cardTypeValues node-label values naming the card type (canonical name and aliases)
   * @param zone the zone, or null for any
   * @param region the region, or null for any
   * @param extraNodeSelector more node labels to require (per holder)
   * @param tolerations taints it tolerates (per holder)
   * @param deviceClassName the DeviceClass the placeholder claims its cards from through DRA
   *     ({@link DraPlaceholders}), or null: it requests the GPU resource
   */
  public record Placement(
      List<String> cardTypeValues,
      String zone,
      Map<String, String> extraNodeSelector,
      List<Toleration> tolerations,
      String region,
      String deviceClassName) {
    public Placement {
      cardTypeValues = List.copyOf(cardTypeValues);
      extraNodeSelector = extraNodeSelector == null ? Map.of() : Map.copyOf(extraNodeSelector);
      tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    }

    /** Placeholders that request the GPU resource. */
    public Placement(
        List<String> cardTypeValues,
        String zone,
        Map<String, String> extraNodeSelector,
        List<Toleration> tolerations,
        String region) {
      this(cardTypeValues, zone, extraNodeSelector, tolerations, region, null);
    }
  }

  private final Settings settings;

  public PlaceholderPods(Settings settings) {
    this.settings = settings;
  }

  /** Placeholders as the operator's configuration makes them (image, PriorityClass, labels). */
  public static PlaceholderPods of(OperatorConfig config) {
    return new PlaceholderPods(
        new Settings(
            config.holding().image(),
            config.holding().priorityClass(),
            config.gpuResources().get(0),
            config.cardTypeNodeLabel()));
  }

  public static String name(String holder, int slot) {
    return holder + INFIX + slot;
  }

  /**
   * The placeholder of {@code holder}'s slot. With a {@code node}, it is bound there directly (the
   * node a pod just left, so the capacity goes back to the holder at once); without, the scheduler
   * places it.
   */
  public Pod build(
      HasMetadata holder, int slot, SlotShape shape, Placement placement, String node) {
    boolean dra = placement.deviceClassName() != null;
    Map<String, Quantity> resources = new TreeMap<>();
    if (!dra) {
      resources.put(settings.gpuResource(), new Quantity(String.valueOf(shape.cards())));
    }
    resources.put("cpu", new Quantity(BigDecimal.valueOf(shape.cpuMillis(), 3).toPlainString()));
    resources.put("memory", new Quantity(String.valueOf(shape.memoryBytes())));
    Map<String, String> nodeSelector = new TreeMap<>(placement.extraNodeSelector());
    if (placement.zone() != null) {
      nodeSelector.put(GpuPods.ZONE_LABEL, placement.zone());
    }
    if (placement.region() != null) {
      nodeSelector.put(GpuPods.REGION_LABEL, placement.region());
    }
    String holderName = holder.getMetadata().getName();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name(holderName, slot))
            .withNamespace(holder.getMetadata().getNamespace())
            .addToLabels(HOLDER_LABEL, holderName)
            .addToLabels(SLOT_LABEL, String.valueOf(slot))
            .addToLabels(HOLDER_KIND_LABEL, holder.getKind())
            .withOwnerReferences(ownerOf(holder))
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .withPriorityClassName(settings.priorityClass())
            .withTerminationGracePeriodSeconds(0L)
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
            .withTolerations(placement.tolerations())
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .withMatchExpressions(
                new NodeSelectorRequirementBuilder()
                    .withKey(settings.cardTypeNodeLabel())
                    .withOperator("In")
                    .withValues(placement.cardTypeValues())
                    .build())
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .addNewContainer()
            .withName("hold")
            .withImage(settings.image())
            .withNewResources()
            .withRequests(resources)
            .withLimits(resources)
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    if (dra) {
      DraPlaceholders.claimThroughTemplate(pod, holderName);
    }
    return pod;
  }

  /**
   * {@link #build} with a preference for the nodes that already run the holder's other placeholders
   * (preferred pod affinity by node hostname), so a pool's held cards pack onto few nodes and a
   * multi-card pod finds them together (docs/capacity-holding.md "Resident pools").
   */
  public Pod buildPacked(
      HasMetadata holder, int slot, SlotShape shape, Placement placement, String node) {
    Pod pod = build(holder, slot, shape, placement, node);
    pod.getSpec()
        .getAffinity()
        .setPodAffinity(
            new PodAffinityBuilder()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100)
                .withNewPodAffinityTerm()
                .withTopologyKey(HOSTNAME_LABEL)
                .withNewLabelSelector()
                .addToMatchLabels(HOLDER_LABEL, holder.getMetadata().getName())
                .endLabelSelector()
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .build());
    return pod;
  }

  /**
   * Whether the placeholder is still what {@link #build} made, as far as anyone can change a pod:
   * one container running the placeholder image with no command or arguments, no init or ephemeral
   * containers, the placeholder PriorityClass, no deadline. The admission policy of {@code
   * policies/} lets only the operator change a placeholder; one changed anyway (the policy missing)
   * holds nothing and is replaced (docs/capacity-holding.md, "Placeholders only the operator
   * controls"). Reads a pruned pod ({@link PrunedPods}) as well as a whole one.
   */
  public boolean isAsBuilt(Pod pod) {
    PodSpec spec = pod.getSpec();
    if (spec == null || spec.getContainers() == null || spec.getContainers().size() != 1) {
      return false;
    }
    Container only = spec.getContainers().get(0);
    return settings.image().equals(only.getImage())
        && isEmpty(only.getCommand())
        && isEmpty(only.getArgs())
        && isEmpty(spec.getInitContainers())
        && isEmpty(spec.getEphemeralContainers())
        && settings.priorityClass().equals(spec.getPriorityClassName())
        && spec.getActiveDeadlineSeconds() == null;
  }

  /** Where the placeholder is, and whether it is still as the operator made it. */
  public PlaceholderState stateOf(Pod pod) {
    return new PlaceholderState(
        pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
        pod.getMetadata().getDeletionTimestamp() != null,
        !isAsBuilt(pod));
  }

  private static boolean isEmpty(List<?> items) {
    return items == null || items.isEmpty();
  }

  /**
   * Whether {@code pod} looks like a placeholder of a ResidentPool: such pods belong to the pool
   * (never matched to reservations or billed as pods); the pool checks its own uid with {@link
   * #slotOf}.
   */
  public static boolean looksOwnedByAPool(Pod pod) {
    return looksOwnedByAHolder(pod)
        && pod.getMetadata().getOwnerReferences().stream()
            .anyMatch(
                o -> Boolean.TRUE.equals(o.getController()) && "ResidentPool".equals(o.getKind()));
  }

  /**
   * The slot {@code pod} holds for {@code holder}, when it is that holder's placeholder: controlled
   * by the holder's uid and named after the holder and a slot. Empty for any other pod.
   */
  public static Optional<Integer> slotOf(Pod pod, HasMetadata holder) {
    String uid = holder.getMetadata().getUid();
    boolean owned =
        pod.getMetadata().getOwnerReferences() != null
            && pod.getMetadata().getOwnerReferences().stream()
                .anyMatch(
                    o ->
                        Boolean.TRUE.equals(o.getController())
                            && uid != null
                            && uid.equals(o.getUid()));
    String prefix = holder.getMetadata().getName() + INFIX;
    String name = pod.getMetadata().getName();
    if (!owned || name == null || !name.startsWith(prefix)) {
      return Optional.empty();
    }
    String slot = name.substring(prefix.length());
    return slot.matches("0|[1-9][0-9]{0,8}")
        ? Optional.of(Integer.parseInt(slot))
        : Optional.empty();
  }

  /**
   * Whether {@code pod} is controlled by a holder kind of this operator with a placeholder's name:
   * such pods are never matched, annotated or billed. The holder's uid is checked by {@link
   * #slotOf} where the holder is at hand.
   */
  public static boolean looksOwnedByAHolder(Pod pod) {
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    if (owners == null) {
      return false;
    }
    return owners.stream()
        .anyMatch(
            o ->
                Boolean.TRUE.equals(o.getController())
                    && o.getApiVersion() != null
                    && o.getApiVersion().startsWith(GpuReservation.GROUP + "/")
                    && pod.getMetadata().getName() != null
                    && pod.getMetadata().getName().startsWith(o.getName() + INFIX));
  }

  private static OwnerReference ownerOf(HasMetadata holder) {
    OwnerReference owner = new OwnerReference();
    owner.setApiVersion(holder.getApiVersion());
    owner.setKind(holder.getKind());
    owner.setName(holder.getMetadata().getName());
    owner.setUid(holder.getMetadata().getUid());
    owner.setController(true);
    return owner;
  }
}
