package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.pool.Pools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator runs with exactly the RBAC the Helm chart grants, impersonating the chart's
 * ServiceAccount, and does its whole job (reservation ledger, pod annotations; the Lease rules are
 * LeaderElectionIT's); with one permission removed from the chart's ClusterRole the same job is not
 * done, so the suite would catch a chart that grants too little.
 */
class OperatorRbacIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();

  @Test
  void withTheChartsRbacTheOperatorDoesItsWholeJob() {
    try (ChartOperator operator = ChartOperator.start(cluster, ChartOperator.chartRbac(cluster))) {
      Workload.reservation(cluster, "r1", "L20", 1, 1);
      Workload.gpuPod(cluster, "p1", "L20", 1);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(jobDone()).as(this::state).isTrue());

      Workload.gpuPod(cluster, "p2", "L20", 1);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(pod("p2").getMetadata().getAnnotations())
                      .containsEntry("gpureservation.io/billing-mode", "pay-as-you-go")
                      .containsEntry("gpureservation.io/reason", "NoMatchingReservation"));
    }
  }

  @ParameterizedTest(name = "without {0}")
  @ValueSource(strings = {"pods update+patch", "capacityreservations/status"})
  void withOnePermissionRemovedTheJobIsNotDone(String removed) {
    List<HasMetadata> rbac = without(ChartOperator.chartRbac(cluster), removed);
    ChartOperator operator = null;
    try {
      operator = ChartOperator.start(cluster, rbac);
    } catch (RuntimeException refusedToStart) {
      // An operator that cannot start with this RBAC does not do the job either.
    }
    try {
      Workload.reservation(cluster, "r1", "L20", 1, 1);
      Workload.gpuPod(cluster, "p1", "L20", 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> pod("p1").getSpec().getNodeName() != null);
      await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20)).until(() -> !jobDone());
    } finally {
      if (operator != null) {
        operator.close();
      }
    }
  }

  /**
   * A pool's placeholders need {@code pods create} (docs/capacity-holding.md "Resident pools"):
   * without it nothing is held and the pool says why; {@code PoolHoldingIT} shows the pool path
   * working with the chart's RBAC as it is.
   */
  @Test
  void withoutPodCreationAPoolHoldsNothingAndSaysWhy() {
    List<HasMetadata> rbac = without(ChartOperator.chartRbac(cluster), "pods create");
    try (ChartOperator operator = ChartOperator.start(cluster, rbac)) {
      ResidentPool pool = Pools.pool("inference", 2, 10);
      pool.getMetadata().setNamespace(cluster.namespace());
      pool.getMetadata().setUid(null);
      pool.getMetadata().setGeneration(null);
      cluster.admin().resource(pool).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                ResidentPoolStatus status =
                    cluster
                        .admin()
                        .resources(ResidentPool.class)
                        .inNamespace(cluster.namespace())
                        .withName("inference")
                        .get()
                        .getStatus();
                assertThat(status).isNotNull();
                assertThat(status.getHeldCards()).isZero();
                assertThat(status.getConditions())
                    .filteredOn(c -> "CapacityHeld".equals(c.getType()))
                    .singleElement()
                    .satisfies(
                        c -> {
                          assertThat(c.getReason()).isEqualTo("PlaceholderRefused");
                          assertThat(c.getMessage()).contains("forbidden");
                        });
              });
      assertThat(
              cluster
                  .admin()
                  .pods()
                  .inNamespace(cluster.namespace())
                  .withLabel("gpureservation.io/placeholder-for", "inference")
                  .list()
                  .getItems())
          .isEmpty();
    }
  }

  /** p1 deducted the slot of r1: ledger and annotation both written. */
  private boolean jobDone() {
    Map<String, String> annotations = pod("p1").getMetadata().getAnnotations();
    GenericKubernetesResource r1 = Workload.reservations(cluster).withName("r1").get();
    Object status = r1.getAdditionalProperties().get("status");
    return annotations != null
        && "reserved".equals(annotations.get("gpureservation.io/billing-mode"))
        && "r1/0".equals(annotations.get("gpureservation.io/reservation"))
        && status instanceof Map<?, ?> s
        && Integer.valueOf(1).equals(s.get("active"));
  }

  private String state() {
    return "p1 annotations "
        + pod("p1").getMetadata().getAnnotations()
        + ", node "
        + pod("p1").getSpec().getNodeName()
        + ", r1 status "
        + Workload.reservations(cluster)
            .withName("r1")
            .get()
            .getAdditionalProperties()
            .get("status");
  }

  private Pod pod(String name) {
    return cluster.admin().pods().inNamespace(cluster.namespace()).withName(name).get();
  }

  private static List<HasMetadata> without(List<HasMetadata> rbac, String removed) {
    for (HasMetadata o : rbac) {
      if (o instanceof ClusterRole role) {
        List<PolicyRule> rules = new ArrayList<>();
        for (PolicyRule rule : role.getRules()) {
          if (removed.equals("pods create") && rule.getResources().equals(List.of("pods"))) {
            rule.setVerbs(rule.getVerbs().stream().filter(v -> !v.equals("create")).toList());
          }
          if (removed.equals("pods update+patch") && rule.getResources().equals(List.of("pods"))) {
            rule.setVerbs(
                rule.getVerbs().stream()
                    .filter(v -> !List.of("update", "patch").contains(v))
                    .toList());
          }
          if (rule.getResources().remove(removed) && rule.getResources().isEmpty()) {
            continue;
          }
          rules.add(rule);
        }
        role.setRules(rules);
      }
    }
    return rbac;
  }
}
