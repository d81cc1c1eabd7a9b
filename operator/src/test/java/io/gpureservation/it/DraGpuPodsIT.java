package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GPUs claimed through Dynamic Resource Allocation, on the project's cluster (docs/testing.md "GPUs
 * through DRA"): kube-scheduler allocates the claims on the DRA node {@code l20-dra-a-1}'s
 * ResourceSlice and the operator, on the chart's RBAC, reads the allocated devices as cards
 * (docs/capacity-reservation.md "GPUs claimed through DRA"): a DRA pod is reserved against an L20
 * reservation, billed in the ledger and the chargeback metrics and released when it ends; a shared
 * claim is billed once (docs/billing.md "DRA claims"); device-plugin and DRA pods share one
 * reservation; a MIG device the catalog does not name is pay-as-you-go with its reason.
 * Reservations hold their idle slots with placeholders on the device-plugin L20 nodes as usual; no
 * pod here is handed one (no capacity-gate webhook is registered).
 */
class DraGpuPodsIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String MODE = "gpureservation.io/billing-mode";
  private static ChartOperator operator;

  private static ChartOperator operator() {
    if (operator == null) {
      // Plain /metrics on the health port: this class reads what the metrics say, not who may
      // (MetricsAuthIT; docs/install.md "Metrics").
      operator =
          ChartOperator.start(
              cluster, ChartOperator.chartRbac(cluster), Map.of("METRICS_SECURE", "false"));
    }
    return operator;
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void aJobPodClaimingAnL20IsReservedBilledAndReleasedWhenItEnds() throws Exception {
    operator();
    String ns = cluster.namespace();
    Workload.reservation(cluster, "dra-l20", "L20", 1, 1);
    Workload.claimTemplate(cluster, "one-l20", "gpu.nvidia.com", Workload.L20_DEVICE);
    cluster
        .admin()
        .resource(
            """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: train}
            spec:
              template:
                metadata:
                  labels: {app: train}
                  annotations: {pod-complete.stage.kwok.x-k8s.io/delay: 40s}
                spec:
                  restartPolicy: Never
                  resourceClaims:
                  - {name: gpu, resourceClaimTemplateName: one-l20}
                  containers:
                  - name: main
                    image: registry.example.com/train:1.0
                    resources:
                      requests: {cpu: "8", memory: 64Gi}
                      claims: [{name: gpu}]
            """)
        .inNamespace(ns)
        .create();

    Pod reserved =
        await()
            .atMost(WAIT)
            .until(() -> onlyPod(ns), p -> p != null && "reserved".equals(annotation(p, MODE)));
    String pod = reserved.getMetadata().getName();
    assertThat(reserved.getSpec().getNodeName()).isEqualTo("l20-dra-a-1");
    assertThat(annotation(reserved, "gpureservation.io/reservation")).isEqualTo("dra-l20/0");
    ReservationStatus.await(
        cluster, ns, "dra-l20", s -> assertThat(ledgerPods(s)).containsExactly(pod));
    // The chargeback metrics price it as an L20 pod (1.80 per card-hour) and count its seconds.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              String metrics = scrape();
              assertThat(metrics)
                  .contains(
                      "gpureservation_pod_hourly_cost{namespace=\""
                          + ns
                          + "\",pod=\""
                          + pod
                          + "\",card_type=\"L20\",billing_mode=\"reserved\"} 1.8");
              assertThat(
                      counter(
                          metrics, "gpureservation_chargeback_gpu_seconds_total", ns, "reserved"))
                  .isPositive();
            });

    // KWOK completes it; the slot is free again although its claim is let go of at the same time.
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(onlyPod(ns).getStatus().getPhase()).isEqualTo("Succeeded"));
    ReservationStatus.await(
        cluster,
        ns,
        "dra-l20",
        s -> {
          assertThat(ledgerPods(s)).isEmpty();
          assertThat(s.get("active")).isEqualTo(0);
        });
  }

  @Test
  void aClaimSharedByTwoPodsIsBilledOnceThenByTheOtherWhenTheFirstGoes() {
    operator();
    String ns = cluster.namespace();
    Workload.reservation(cluster, "shared-l20", "L20", 1, 2);
    Workload.claim(cluster, "shared-l20", "gpu.nvidia.com", Workload.L20_DEVICE);
    createDraPod("reader-a", "shared-l20", null);
    createDraPod("reader-b", "shared-l20", null);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Pod> pods = pods(ns);
              assertThat(pods).hasSize(2).allMatch(p -> "Running".equals(p.getStatus().getPhase()));
              assertThat(pods).filteredOn(p -> annotation(p, MODE) != null).hasSize(1);
            });
    Pod billed =
        pods(ns).stream()
            .filter(p -> "reserved".equals(annotation(p, MODE)))
            .findFirst()
            .orElseThrow();
    String other = billed.getMetadata().getName().equals("reader-a") ? "reader-b" : "reader-a";
    ReservationStatus.await(
        cluster,
        ns,
        "shared-l20",
        s -> assertThat(ledgerPods(s)).containsExactly(billed.getMetadata().getName()));
    // Two slots, one card: the other pod is not billed a second time.
    assertThat(annotation(pod(ns, other), MODE)).isNull();

    cluster.admin().pods().inNamespace(ns).withName(billed.getMetadata().getName()).delete();
    ReservationStatus.await(
        cluster, ns, "shared-l20", s -> assertThat(ledgerPods(s)).containsExactly(other));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(annotation(pod(ns, other), MODE)).isEqualTo("reserved"));
  }

  @Test
  void devicePluginAndDraPodsShareOneReservation() {
    operator();
    String ns = cluster.namespace();
    Workload.reservation(cluster, "mixed", "L20", 1, 2);
    Workload.claimTemplate(cluster, "one-l20", "gpu.nvidia.com", Workload.L20_DEVICE);
    Workload.gpuPod(cluster, "plugin", "L20", 1);
    awaitMode(ns, "plugin", "reserved");
    createDraPod("dra-1", null, "one-l20");
    awaitMode(ns, "dra-1", "reserved");
    ReservationStatus.await(
        cluster,
        ns,
        "mixed",
        s -> assertThat(ledgerPods(s)).containsExactlyInAnyOrder("plugin", "dra-1"));

    createDraPod("dra-2", null, "one-l20");
    awaitMode(ns, "dra-2", "pay-as-you-go");
    assertThat(annotation(pod(ns, "dra-2"), "gpureservation.io/reason"))
        .isEqualTo("NoMatchingReservation");
    // The device-plugin pod's slot goes to the waiting DRA pod (real-time dynamic matching).
    cluster.admin().pods().inNamespace(ns).withName("plugin").delete();
    awaitMode(ns, "dra-2", "reserved");
    ReservationStatus.await(
        cluster,
        ns,
        "mixed",
        s -> assertThat(ledgerPods(s)).containsExactlyInAnyOrder("dra-1", "dra-2"));
  }

  @Test
  void aMigDeviceTheCatalogDoesNotNameIsPayAsYouGoWithItsReason() {
    operator();
    String ns = cluster.namespace();
    // A MIG slice of an L20 on the DRA node, as NVIDIA's driver publishes MIG devices (the cluster
    // launcher publishes whole GPUs only; docs/testing.md "GPUs through DRA").
    cluster
        .admin()
        .resource(
            """
            apiVersion: resource.k8s.io/v1
            kind: ResourceSlice
            metadata: {name: l20-dra-a-1-mig-gpu.nvidia.com}
            spec:
              driver: gpu.nvidia.com
              nodeName: l20-dra-a-1
              pool: {name: l20-dra-a-1-mig, generation: 1, resourceSliceCount: 1}
              devices:
              - name: gpu-0-mig-1g24gb-0
                attributes:
                  type: {string: mig}
                  productName: {string: NVIDIA L20}
                  profile: {string: 1g.24gb}
                  uuid: {string: MIG-00000000-0000-4000-8000-000000000001}
                capacity:
                  memory: {value: 24Gi}
            """)
        .create();
    Workload.reservation(cluster, "l20", "L20", 1, 1);
    Workload.claimTemplate(
        cluster,
        "one-mig",
        "mig.nvidia.com",
        "device.attributes[\"gpu.nvidia.com\"].profile == \"1g.24gb\"");
    createDraPod("mig", null, "one-mig");

    awaitMode(ns, "mig", "pay-as-you-go");
    Pod mig = pod(ns, "mig");
    assertThat(mig.getSpec().getNodeName()).isEqualTo("l20-dra-a-1");
    assertThat(annotation(mig, "gpureservation.io/reason")).isEqualTo("MigNotInCatalog");
    ReservationStatus.await(cluster, ns, "l20", s -> assertThat(ledgerPods(s)).isEmpty());
  }

  // A pod of 8 vCPU and 64Gi whose GPU is the claim named, or one made from the template named.
  private void createDraPod(String name, String claim, String template) {
    Map<String, Quantity> requests =
        Map.of("cpu", new Quantity("8"), "memory", new Quantity("64Gi"));
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .addNewResourceClaim()
            .withName("gpu")
            .withResourceClaimName(claim)
            .withResourceClaimTemplateName(template)
            .endResourceClaim()
            .addNewContainer()
            .withName("main")
            .withImage("registry.example.com/inference:1.0")
            .withNewResources()
            .withRequests(requests)
            .addNewClaim()
            .withName("gpu")
            .endClaim()
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    cluster.admin().pods().inNamespace(cluster.namespace()).resource(pod).create();
  }

  private void awaitMode(String ns, String name, String mode) {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(annotation(pod(ns, name), MODE)).isEqualTo(mode));
  }

  private static Pod pod(String ns, String name) {
    return cluster.admin().pods().inNamespace(ns).withName(name).get();
  }

  private static List<Pod> pods(String ns) {
    return cluster.admin().pods().inNamespace(ns).list().getItems().stream()
        .filter(
            p ->
                p.getMetadata().getOwnerReferences().stream()
                    .noneMatch(o -> "CapacityReservation".equals(o.getKind())))
        .toList();
  }

  private static Pod onlyPod(String ns) {
    List<Pod> pods = pods(ns);
    return pods.size() == 1 ? pods.get(0) : null;
  }

  private static String annotation(Pod pod, String key) {
    Map<String, String> a = pod == null ? null : pod.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<String> ledgerPods(Map<String, Object> status) {
    List<Map<String, Object>> ledger = (List<Map<String, Object>>) status.get("ledger");
    return ledger == null ? List.of() : ledger.stream().map(l -> (String) l.get("pod")).toList();
  }

  private static String scrape() throws Exception {
    return operator().metrics();
  }

  private static double counter(String metrics, String name, String ns, String mode) {
    Matcher m =
        Pattern.compile(
                Pattern.quote(
                        name
                            + "{namespace=\""
                            + ns
                            + "\",card_type=\"L20\",billing_mode=\""
                            + mode
                            + "\"} ")
                    + "(\\S+)")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
