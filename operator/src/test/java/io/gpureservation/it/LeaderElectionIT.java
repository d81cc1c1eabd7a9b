package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two operator replicas as the chart runs them: separate processes ({@code Main run} from the built
 * jar), authenticated with a real token of the chart's ServiceAccount (so only the chart's RBAC,
 * including its Lease Role, applies), leader election on. One holds the Lease and does the job;
 * when it is killed, the other takes the Lease over and carries on.
 */
class LeaderElectionIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private final List<Process> replicas = new ArrayList<>();

  @AfterEach
  void killReplicas() {
    replicas.forEach(Process::destroyForcibly);
  }

  @Test
  void oneReplicaLeadsAndTheOtherTakesOverWhenItDies() throws Exception {
    String ns = cluster.namespace();
    cluster.admin().resourceList(ChartOperator.chartRbac(cluster)).create();
    Path kubeconfig = cluster.serviceAccountKubeconfig(ns, ns + "-gpu-reservation-operator");
    Process a = replica(kubeconfig, "replica-a");
    Process b = replica(kubeconfig, "replica-b");

    await().atMost(Duration.ofSeconds(90)).until(() -> holder() != null);
    String first = holder();
    Workload.reservation(cluster, "r1", "L20", 1, 2);
    Workload.gpuPod(cluster, "p1", "L20", 1);
    awaitReserved("p1", "r1/0");

    (first.equals("replica-a") ? a : b).destroyForcibly().waitFor();
    String second = first.equals("replica-a") ? "replica-b" : "replica-a";
    await().atMost(Duration.ofSeconds(60)).until(() -> second.equals(holder()));
    Workload.gpuPod(cluster, "p2", "L20", 1);
    awaitReserved("p2", "r1/1");
  }

  private void awaitReserved(String pod, String slot) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        cluster
                            .admin()
                            .pods()
                            .inNamespace(cluster.namespace())
                            .withName(pod)
                            .get()
                            .getMetadata()
                            .getAnnotations())
                    .containsEntry("gpureservation.io/billing-mode", "reserved")
                    .containsEntry("gpureservation.io/reservation", slot));
  }

  private String holder() {
    Lease lease =
        cluster
            .admin()
            .leases()
            .inNamespace(cluster.namespace())
            .withName("gpu-reservation-operator")
            .get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private Process replica(Path kubeconfig, String identity) throws IOException {
    Process process =
        OperatorProcess.start(
            kubeconfig,
            "LeaderElectionIT-" + identity,
            Map.of(
                "HOSTNAME",
                identity,
                "LEADER_ELECTION",
                "true",
                "POD_NAMESPACE",
                cluster.namespace()));
    replicas.add(process);
    return process;
  }
}
