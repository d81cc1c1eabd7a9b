package io.gpureservation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.matching.SlotShape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** docs/capacity-holding.md "Placeholders": what a placeholder is and how it is recognised. */
class PlaceholderPodsTest {
  private static final PlaceholderPods PODS =
      new PlaceholderPods(
          new PlaceholderPods.Settings(
              "registry.k8s.io/pause:3.10",
              "gpu-reservation-placeholder",
              "nvidia.com/gpu",
              "nvidia.com/gpu.product"));
  private static final SlotShape SHAPE = new SlotShape("L20", 2, 32_000, 230L << 30);

  private static CapacityReservation reservation() {
    CapacityReservation r = new CapacityReservation();
    r.getMetadata().setName("serving");
    r.getMetadata().setNamespace("team-a");
    r.getMetadata().setUid("uid-serving");
    return r;
  }

  private static PlaceholderPods.Placement placement(String zone) {
    return new PlaceholderPods.Placement(
        Catalog.defaults().nodeLabelValues("L20"),
        zone,
        Map.of("pool", "gpu"),
        List.of(new TolerationBuilder().withKey("gpu").withOperator("Exists").build()),
        null);
  }

  // docs/capacity-holding.md, "Placeholders only the operator controls": what anyone could change
  // on a running pod marks a placeholder altered, in the informer's pruned copy too.
  @Test
  void aPlaceholderIsAsBuiltUntilItsImageCommandContainersOrPriorityChange() {
    Pod built = PODS.build(reservation(), 0, SHAPE, placement(null), null);
    built.getMetadata().getOwnerReferences().get(0).setApiVersion("gpureservation.io/v1alpha1");
    PrunedPods pruner =
        new PrunedPods(new GpuPods(OperatorConfig.defaults(), Catalog.defaults()), List.of());
    assertThat(PODS.isAsBuilt(built)).isTrue();
    assertThat(PODS.isAsBuilt(pruner.apply(built))).isTrue();
    assertThat(PODS.stateOf(built).altered()).isFalse();

    List<java.util.function.Consumer<Pod>> tampering =
        List.of(
            p -> p.getSpec().getContainers().get(0).setImage("tenant/trainer:latest"),
            p -> p.getSpec().getContainers().get(0).setCommand(List.of("python", "train.py")),
            p ->
                p.getSpec()
                    .setEphemeralContainers(
                        List.of(
                            new io.fabric8.kubernetes.api.model.EphemeralContainerBuilder()
                                .withName("debug")
                                .withImage("busybox")
                                .build())),
            p -> p.getSpec().setPriorityClassName("tenant-high"),
            p -> p.getSpec().setActiveDeadlineSeconds(60L));
    for (var tamper : tampering) {
      Pod altered = new PodBuilder(built).build();
      tamper.accept(altered);
      assertThat(PODS.isAsBuilt(altered)).isFalse();
      assertThat(PODS.isAsBuilt(pruner.apply(altered))).isFalse();
      assertThat(PODS.stateOf(altered).altered()).isTrue();
      assertThat(PODS.stateOf(altered).holds()).isFalse();
    }
  }

  @Test
  void requestsTheSlotShapeAtThePlaceholderPriorityOnNodesOfTheCardTypeAndZone() {
    Pod pod = PODS.build(reservation(), 3, SHAPE, placement("zone-b"), null);
    assertThat(pod.getMetadata().getName()).isEqualTo("serving-hold-3");
    assertThat(pod.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo("uid-serving");
              assertThat(o.getController()).isTrue();
              assertThat(o.getKind()).isEqualTo("CapacityReservation");
            });
    var spec = pod.getSpec();
    assertThat(spec.getPriorityClassName()).isEqualTo("gpu-reservation-placeholder");
    assertThat(spec.getNodeName()).isNull();
    assertThat(spec.getNodeSelector())
        .containsEntry("topology.kubernetes.io/zone", "zone-b")
        .containsEntry("pool", "gpu");
    assertThat(spec.getTolerations()).hasSize(1);
    var requirement =
        spec.getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()
            .get(0)
            .getMatchExpressions()
            .get(0);
    assertThat(requirement.getKey()).isEqualTo("nvidia.com/gpu.product");
    assertThat(requirement.getValues()).containsExactly("L20", "GN8IS", "NVIDIA-L20");
    var container = spec.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("registry.k8s.io/pause:3.10");
    assertThat(container.getResources().getRequests())
        .containsEntry("nvidia.com/gpu", new Quantity("2"))
        .isEqualTo(container.getResources().getLimits());
    assertThat(Quantity.getAmountInBytes(container.getResources().getRequests().get("cpu")))
        .isEqualByComparingTo("32");
    assertThat(Quantity.getAmountInBytes(container.getResources().getRequests().get("memory")))
        .isEqualByComparingTo(String.valueOf(230L << 30));
  }

  @Test
  void aRegionalReservationsPlaceholderSelectsItsRegion() {
    PlaceholderPods.Placement base = placement("zone-b");
    PlaceholderPods.Placement regional =
        new PlaceholderPods.Placement(
            base.cardTypeValues(),
            base.zone(),
            base.extraNodeSelector(),
            base.tolerations(),
            "cn-shanghai");

    assertThat(PODS.build(reservation(), 0, SHAPE, regional, null).getSpec().getNodeSelector())
        .containsEntry("topology.kubernetes.io/region", "cn-shanghai")
        .containsEntry("topology.kubernetes.io/zone", "zone-b");
    assertThat(PODS.build(reservation(), 0, SHAPE, base, null).getSpec().getNodeSelector())
        .doesNotContainKey("topology.kubernetes.io/region");
  }

  @Test
  void aSlotAPodJustLeftIsBoundToThatNodeDirectly() {
    Pod pod = PODS.build(reservation(), 0, SHAPE, placement(null), "l20-a-1");
    assertThat(pod.getSpec().getNodeName()).isEqualTo("l20-a-1");
    assertThat(pod.getSpec().getNodeSelector()).doesNotContainKey("topology.kubernetes.io/zone");
  }

  @Test
  void isRecognisedByItsOwnerAndName() {
    Pod pod = PODS.build(reservation(), 7, SHAPE, placement(null), null);
    assertThat(PlaceholderPods.slotOf(pod, reservation())).contains(7);
    assertThat(PlaceholderPods.looksOwnedByAHolder(pod)).isTrue();
  }

  @Test
  void aUserPodWearingPlaceholderLabelsIsNotAPlaceholder() {
    Pod impostor =
        new PodBuilder()
            .withNewMetadata()
            .withName("serving-hold-1")
            .addToLabels(PlaceholderPods.HOLDER_LABEL, "serving")
            .addToLabels(PlaceholderPods.SLOT_LABEL, "1")
            .endMetadata()
            .build();
    assertThat(PlaceholderPods.slotOf(impostor, reservation())).isEmpty();
    assertThat(PlaceholderPods.looksOwnedByAHolder(impostor)).isFalse();
  }

  @Test
  void aPodOwnedByAnotherObjectOrWithAnotherNameIsNotThisHoldersPlaceholder() {
    Pod other = PODS.build(reservation(), 1, SHAPE, placement(null), null);
    CapacityReservation sameNameNewUid = reservation();
    sameNameNewUid.getMetadata().setUid("uid-recreated");
    assertThat(PlaceholderPods.slotOf(other, sameNameNewUid)).isEmpty();
    Pod renamed =
        new PodBuilder(other).editMetadata().withName("serving-hold-x").endMetadata().build();
    assertThat(PlaceholderPods.slotOf(renamed, reservation())).isEmpty();
  }

  // docs/resident-pool.md, "Pods outside every pool": only an existing pool takes a pod off the
  // reservations' bill, by its name in the label or by its own placeholder (uid + name).
  @Test
  void aPodBelongsToAPoolOnlyWhenThatPoolExistsAndMadeItOrItNamesIt() {
    io.gpureservation.api.v1alpha1.ResidentPool pool =
        new io.gpureservation.api.v1alpha1.ResidentPool();
    pool.getMetadata().setName("inference");
    pool.getMetadata().setNamespace("team-a");
    pool.getMetadata().setUid("uid-pool");
    GpuPods.PoolLookup existing =
        (ns, name) -> name.equals("inference") ? Optional.of(pool) : Optional.empty();
    GpuPods.PoolLookup none = (ns, name) -> Optional.empty();

    Pod labelled = new PodBuilder().withNewMetadata().withNamespace("team-a").endMetadata().build();
    labelled.getMetadata().setLabels(Map.of("gpureservation.io/resident-pool", "inference"));
    assertThat(GpuPods.belongsToAPool(labelled, existing)).isTrue();
    assertThat(GpuPods.belongsToAPool(labelled, none)).as("pool does not exist").isFalse();
    labelled.getMetadata().setLabels(Map.of("gpureservation.io/resident-pool", ""));
    assertThat(GpuPods.belongsToAPool(labelled, existing)).as("empty label").isFalse();

    Pod placeholder = PODS.buildPacked(pool, 0, SHAPE, placement(null), null);
    assertThat(GpuPods.belongsToAPool(placeholder, existing)).isTrue();
    assertThat(GpuPods.belongsToAPool(placeholder, none)).as("owner does not exist").isFalse();
    placeholder.getMetadata().getOwnerReferences().get(0).setUid("any-uid");
    assertThat(GpuPods.belongsToAPool(placeholder, existing)).as("another uid").isFalse();
  }

  @Test
  void aPoolsPlaceholdersPreferTheNodesOfItsOtherPlaceholdersAndBelongToThePool() {
    io.gpureservation.api.v1alpha1.ResidentPool pool =
        new io.gpureservation.api.v1alpha1.ResidentPool();
    pool.getMetadata().setName("inference");
    pool.getMetadata().setNamespace("team-a");
    pool.getMetadata().setUid("uid-pool");

    Pod pod = PODS.buildPacked(pool, 0, SHAPE, placement(null), null);

    var preferred =
        pod.getSpec()
            .getAffinity()
            .getPodAffinity()
            .getPreferredDuringSchedulingIgnoredDuringExecution();
    assertThat(preferred)
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.getWeight()).isEqualTo(100);
              assertThat(w.getPodAffinityTerm().getTopologyKey())
                  .isEqualTo("kubernetes.io/hostname");
              assertThat(w.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                  .containsEntry("gpureservation.io/placeholder-for", "inference");
            });
    assertThat(PlaceholderPods.looksOwnedByAPool(pod)).isTrue();
    assertThat(GpuPods.belongsToAPool(pod, (ns, name) -> Optional.of(pool))).isTrue();
    assertThat(PlaceholderPods.slotOf(pod, pool)).contains(0);
    Pod reservationPlaceholder = PODS.build(reservation(), 0, SHAPE, placement(null), null);
    assertThat(PlaceholderPods.looksOwnedByAPool(reservationPlaceholder)).isFalse();
    assertThat(reservationPlaceholder.getSpec().getAffinity().getPodAffinity()).isNull();
    // the kind label lets the pool's watch leave the reservations' placeholders out
    assertThat(pod.getMetadata().getLabels())
        .containsEntry(PlaceholderPods.HOLDER_KIND_LABEL, "ResidentPool");
    assertThat(reservationPlaceholder.getMetadata().getLabels())
        .containsEntry(PlaceholderPods.HOLDER_KIND_LABEL, "CapacityReservation");
    assertThat(PlaceholderPods.POOL_PLACEHOLDERS_SELECTOR)
        .isEqualTo(
            "gpureservation.io/placeholder-for,"
                + "gpureservation.io/placeholder-kind notin (CapacityReservation)");
  }
}
