package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The attacks of a hostile tenant, each run as that tenant on the real cluster (docs/install.md,
 * "Multi-tenant hardening"): a user bound to the built-in {@code edit} ClusterRole in its
 * namespace, who may also create CapacityReservations and ResidentPools there. Each attack ends in
 * a refusal with a clear message, an evicted pod or a billed pod — never in an unbilled GPU, a
 * tampered placeholder or a frozen namespace. The operator runs with the chart's RBAC and webhooks,
 * the admission policies of {@code policies/} are applied and the placeholder policy is bound as
 * the chart binds it.
 */
class TenantAttackIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String BILLING_MODE = "gpureservation.io/billing-mode";
  private static final String OWN_CLASS = "tenant-own-top";

  private ChartOperator operator;
  private KubernetesClient tenant;
  private String ns;

  @BeforeEach
  void startOperatorAndTenant() {
    cluster.kubectlOk(
        "apply",
        "--server-side",
        "--force-conflicts",
        "--field-manager=realcluster",
        "-f",
        RealCluster.repoRoot().resolve("policies").toString());
    List<HasMetadata> binding =
        HelmChart.render(
            cluster,
            cluster.namespace(),
            cluster.namespace(),
            "--show-only",
            "templates/placeholder-policy.yaml");
    cluster.admin().resourceList(binding).serverSideApply();
    // A class at the placeholders' value that may preempt: the webhook leaves a pod of it as it
    // is (not a claimant), so its author may lift its gates (docs/capacity-holding.md "Which pods
    // are claimants").
    cluster
        .admin()
        .resource(
            new PriorityClassBuilder()
                .withNewMetadata()
                .withName(OWN_CLASS)
                .endMetadata()
                .withValue(1000000)
                .withPreemptionPolicy("PreemptLowerPriority")
                .build())
        .serverSideApply();
    operator = ChartOperator.startWithWebhook(cluster);
    ns = cluster.createNamespace(cluster.namespace() + "-tenant");
    tenant = tenantOf(ns);
    awaitPlaceholderPolicyInForce();
  }

  @AfterEach
  void stopOperator() {
    tenant.close();
    operator.closeAndUnregisterWebhooks(cluster);
    cluster
        .admin()
        .admissionRegistration()
        .v1()
        .validatingAdmissionPolicyBindings()
        .withName(cluster.namespace() + "-gpu-reservation-operator-placeholder-pods")
        .delete();
  }

  // docs/capacity-holding.md, "Placeholders only the operator controls".
  @Test
  void settingAnImageOnAPlaceholderIsRefused() {
    reservation("held", Map.of());
    Pod placeholder =
        await()
            .atMost(WAIT)
            .until(
                () -> tenant.pods().inNamespace(ns).withName("held-hold-0").get(), p -> p != null);

    KubernetesClientException refusal =
        refusal(
            () ->
                tenant
                    .pods()
                    .inNamespace(ns)
                    .withName(placeholder.getMetadata().getName())
                    .edit(
                        p -> {
                          p.getSpec().getContainers().get(0).setImage("tenant/trainer:latest");
                          return p;
                        }));

    assertThat(refusal)
        .isNotNull()
        .hasMessageContaining("pod held-hold-0 is a placeholder that holds reserved capacity")
        .hasMessageContaining("only the gpu-reservation-operator");
    assertThat(
            tenant
                .pods()
                .inNamespace(ns)
                .withName("held-hold-0")
                .get()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .isEqualTo("registry.k8s.io/pause:3.10");
  }

  @Test
  void aPodWithThePlaceholderPriorityClassIsRefused() {
    Pod pod = gpuPod("sneaky", Map.of());
    pod.getSpec().setPriorityClassName("gpu-reservation-placeholder");

    assertThat(refusal(() -> tenant.pods().inNamespace(ns).resource(pod).create()))
        .isNotNull()
        .hasMessageContaining(
            "may create pods with PriorityClass gpu-reservation-placeholder: such pods hold"
                + " reserved capacity");
  }

  // docs/capacity-reservation.md, "Lock-in".
  @Test
  void movingTheStartOfALockedInReservationLaterIsRefused() {
    String until =
        Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    reservation("locked", Map.of("lockInUntil", until));

    var reservations =
        tenant.genericKubernetesResources("gpureservation.io/v1alpha1", "CapacityReservation");

    // the operator writes the reservation too: a conflict is tried again from a fresh read
    KubernetesClientException refusal =
        await()
            .atMost(WAIT)
            .until(
                () -> {
                  GenericKubernetesResource later =
                      reservations.inNamespace(ns).withName("locked").get();
                  spec(later).put("startAt", "2099-01-01T00:00:00Z");
                  return refusal(() -> reservations.resource(later).update());
                },
                e -> e == null || e.getCode() != 409);

    assertThat(refusal)
        .isNotNull()
        .hasMessageContaining(
            "spec.startAt cannot be moved later (to 2099-01-01T00:00:00Z) before the lock-in ends"
                + " at "
                + until);
  }

  // docs/capacity-reservation.md, "A reservation the operator cannot read".
  @Test
  void valuesNoClockOrPoolCanHoldAreRefusedByTheApiServer() {
    KubernetesClientException lead =
        refusal(
            () ->
                reservation(
                    "absurd",
                    Map.of(
                        "windows",
                        List.of(
                            Map.of(
                                "schedule", "0 8 * * *",
                                "timeZone", "UTC",
                                "duration", "1h",
                                "lead", "99999999999999999999h")))));
    assertThat(lead).isNotNull().hasMessageContaining("spec.windows[0].lead in body should match");

    KubernetesClientException cards = refusal(() -> pool("huge", 2_000_000_000));
    assertThat(cards)
        .isNotNull()
        .hasMessageContaining("spec.cards in body should be less than or equal to 5000");
  }

  // docs/resident-pool.md, "Pods outside every pool": an empty pool label hides nothing.
  @Test
  void aPodWithAnEmptyPoolLabelWhoseGateTheTenantLiftsIsBilled() {
    tenant
        .pods()
        .inNamespace(ns)
        .resource(gpuPod("empty", Map.of("gpureservation.io/resident-pool", "")))
        .create();
    liftGates("empty");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(annotations("empty"))
                    .containsEntry(BILLING_MODE, "pay-as-you-go")
                    .containsKey("gpureservation.io/reason"));
  }

  // A pod of a pool that does not exist runs only until it is evicted; while a disruption budget
  // refuses the eviction it is billed pay-as-you-go. A budget protects only a running pod (the
  // Eviction API ignores budgets for pending pods), so the protected pod joins the pool by a label
  // added while it runs: the gate-lifting race would let the operator evict it before it ran.
  @Test
  void aPodOfAMissingPoolIsEvicted_orBilledWhileABudgetRefuses() {
    tenant
        .pods()
        .inNamespace(ns)
        .resource(ownClass(gpuPod("evicted", Map.of("gpureservation.io/resident-pool", "ghost"))))
        .create();
    liftGates("evicted");
    protect("kept");
    runThenLabel(ownClass(gpuPod("kept", Map.of("app", "kept"))), "ghost");

    await()
        .atMost(WAIT)
        .until(
            () -> {
              Pod p = tenant.pods().inNamespace(ns).withName("evicted").get();
              return p == null || p.getMetadata().getDeletionTimestamp() != null;
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(annotations("kept"))
                    .containsEntry(BILLING_MODE, "pay-as-you-go")
                    .containsKey("gpureservation.io/reason"));
    assertThat(tenant.pods().inNamespace(ns).withName("kept").get().getSpec().getNodeName())
        .isNotNull();
  }

  // A pod of an existing pool that the pool has not admitted runs only until it is evicted (here
  // one whose gate the tenant lifts); while a disruption budget refuses, the pool bills it
  // pay-as-you-go with the reason (here one labelled into the full pool while it runs).
  @Test
  void aPoolPodOverCapacityIsEvicted_orBilledWhileABudgetRefusesItsEviction() {
    pool("small", 1);
    tenant
        .pods()
        .inNamespace(ns)
        .resource(poolPod("first", Map.of("gpureservation.io/resident-pool", "small")))
        .create();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(annotations("first")).containsEntry(BILLING_MODE, "resident"));
    tenant
        .pods()
        .inNamespace(ns)
        .resource(ownClass(poolPod("ungated", Map.of("gpureservation.io/resident-pool", "small"))))
        .create();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(annotations("ungated"))
                    .containsEntry("gpureservation.io/reason", "PoolCapacityExceeded"));
    liftGates("ungated");
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Pod p = tenant.pods().inNamespace(ns).withName("ungated").get();
              return p == null || p.getMetadata().getDeletionTimestamp() != null;
            });

    protect("second");
    runThenLabel(ownClass(gpuPod("second", Map.of("app", "second"))), "small");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(annotations("second"))
                    .containsEntry(BILLING_MODE, "pay-as-you-go")
                    .containsEntry("gpureservation.io/reason", "EvictionRefused"));
    assertThat(annotations("first")).containsEntry(BILLING_MODE, "resident");
  }

  // docs/capacity-holding.md, "Which pods are claimants": the class is the webhook's to give, and
  // the gates of a pod it gave it to are the operator's to lift.
  @Test
  void liftingTheGateOfAClaimantOrNamingTheClassWithoutAGateIsRefused() {
    Pod gated =
        tenant
            .pods()
            .inNamespace(ns)
            .resource(gpuPod("claimant", Map.of("gpureservation.io/resident-pool", "ghost")))
            .create();
    assertThat(gated.getSpec().getPriorityClassName()).isEqualTo("gpu-reservation-claimant");

    assertThat(
            refusal(
                () ->
                    tenant
                        .pods()
                        .inNamespace(ns)
                        .withName("claimant")
                        .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"spec\":{\"schedulingGates\":null}}")))
        .isNotNull()
        .hasMessageContaining("may lift the scheduling gates gpureservation.io/* of pod claimant");
    assertThat(tenant.pods().inNamespace(ns).withName("claimant").get().getSpec())
        .satisfies(spec -> assertThat(spec.getSchedulingGates()).isNotEmpty())
        .satisfies(spec -> assertThat(spec.getNodeName()).isNull());

    Pod plain = gpuPod("queue-jumper", Map.of());
    plain.getSpec().setPriorityClassName("gpu-reservation-claimant");
    assertThat(refusal(() -> tenant.pods().inNamespace(ns).resource(plain).create()))
        .isNotNull()
        .hasMessageContaining(
            "PriorityClass gpu-reservation-claimant is given by the gpu-reservation-operator");
  }

  private static Pod ownClass(Pod pod) {
    pod.getSpec().setPriorityClassName(OWN_CLASS);
    return pod;
  }

  // A one-month Ada pool in cn-hangzhou, created by the tenant.
  private GenericKubernetesResource pool(String name, int cards) {
    return tenant
        .genericKubernetesResources("gpureservation.io/v1alpha1", "ResidentPool")
        .inNamespace(ns)
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("gpureservation.io/v1alpha1")
                .withKind("ResidentPool")
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToAdditionalProperties(
                    "spec",
                    Map.of(
                        "region",
                        "cn-hangzhou",
                        "cardType",
                        "Ada",
                        "cards",
                        cards,
                        "diskPerCardGB",
                        10,
                        "subscription",
                        Map.of("termMonths", 1)))
                .build())
        .create();
  }

  // A PodDisruptionBudget that refuses every eviction of the pods labelled app=<app>.
  private void protect(String app) {
    tenant
        .policy()
        .v1()
        .podDisruptionBudget()
        .inNamespace(ns)
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName("keep-" + app)
                .endMetadata()
                .withNewSpec()
                .withNewMinAvailable(1)
                .withNewSelector()
                .addToMatchLabels("app", app)
                .endSelector()
                .endSpec()
                .build())
        .create();
  }

  private KubernetesClient tenantOf(String namespace) {
    bindTenant(namespace, "tenant-edit", "ClusterRole", "edit");
    // What a platform team grants its tenants besides edit: their own reservations and pools.
    cluster
        .admin()
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("tenant-gpu")
                .withNamespace(namespace)
                .endMetadata()
                .addToRules(
                    new PolicyRuleBuilder()
                        .withApiGroups("gpureservation.io")
                        .withResources("capacityreservations", "residentpools")
                        .withVerbs("get", "list", "watch", "create", "update", "patch", "delete")
                        .build())
                .build())
        .create();
    bindTenant(namespace, "tenant-gpu", "Role", "tenant-gpu");
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(cluster.admin().getConfiguration())
                .withImpersonateUsername("tenant")
                .withImpersonateGroups("system:authenticated")
                .withNamespace(namespace)
                .build())
        .build();
  }

  private static void bindTenant(String namespace, String name, String kind, String role) {
    cluster
        .admin()
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", kind, role)
                .addNewSubject()
                .withKind("User")
                .withName("tenant")
                .withApiGroup("rbac.authorization.k8s.io")
                .endSubject()
                .build())
        .create();
  }

  // The admission plugin picks a new binding up from its informer: probe with a dry run.
  private void awaitPlaceholderPolicyInForce() {
    Pod probe = gpuPod("probe", Map.of());
    probe.getSpec().setPriorityClassName("gpu-reservation-placeholder");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                refusal(() -> tenant.pods().inNamespace(ns).resource(probe).dryRun().create())
                    != null);
  }

  private GenericKubernetesResource reservation(String name, Map<String, Object> more) {
    Map<String, Object> spec =
        new java.util.HashMap<>(
            Map.of("cardType", "L20", "cards", 1, "quantity", 1, "cpu", "8", "memory", "64Gi"));
    spec.putAll(more);
    return Workload.reservation(tenant, ns, name, spec);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  private Pod gpuPod(String name, Map<String, String> labels) {
    return new PodBuilder(poolPod(name, labels))
        .editSpec()
        .addToNodeSelector("nvidia.com/gpu.product", "NVIDIA-L20")
        .endSpec()
        .build();
  }

  // A pool's pods are placed by their pool (docs/resident-pool.md), not by a node selector.
  private Pod poolPod(String name, Map<String, String> labels) {
    return new PodBuilder(Workload.smallGpuPod(name, 1).build())
        .editMetadata()
        .withNamespace(ns)
        .addToLabels(labels)
        .endMetadata()
        .build();
  }

  // A GPU pod that runs (no pool, no reservation: nothing gates it), then joins a pool by label.
  private void runThenLabel(Pod pod, String poolName) {
    String name = pod.getMetadata().getName();
    tenant.pods().inNamespace(ns).resource(pod).create();
    await()
        .atMost(WAIT)
        .until(
            () -> tenant.pods().inNamespace(ns).withName(name).get(),
            p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    tenantEdit(
        name,
        p -> p.getMetadata().getLabels().put("gpureservation.io/resident-pool", poolName),
        p -> poolName.equals(p.getMetadata().getLabels().get("gpureservation.io/resident-pool")));
  }

  // What any editor of the namespace may do: remove a pod's scheduling gates.
  private void liftGates(String pod) {
    await()
        .atMost(WAIT)
        .until(() -> tenant.pods().inNamespace(ns).withName(pod).get(), p -> p != null);
    tenantEdit(
        pod,
        p -> p.getSpec().setSchedulingGates(List.of()),
        p -> p.getSpec().getSchedulingGates().isEmpty());
  }

  // The operator writes the pod too (its reason): a conflict is tried again.
  private void tenantEdit(String pod, Consumer<Pod> change, Predicate<Pod> done) {
    await()
        .atMost(WAIT)
        .ignoreExceptionsInstanceOf(KubernetesClientException.class)
        .until(
            () ->
                tenant
                    .pods()
                    .inNamespace(ns)
                    .withName(pod)
                    .edit(
                        p -> {
                          change.accept(p);
                          return p;
                        }),
            done);
  }

  private Map<String, String> annotations(String pod) {
    Map<String, String> a =
        tenant.pods().inNamespace(ns).withName(pod).get().getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  private static KubernetesClientException refusal(Runnable call) {
    return catchThrowableOfType(KubernetesClientException.class, call::run);
  }
}
