package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.pool.Pools;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code kubectl get} prints for both kinds, from the committed CRDs' printer columns on a
 * real API server (docs/resident-pool.md and docs/capacity-reservation.md, the console examples).
 */
class PrinterColumnsIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();

  private static List<String> header(String table) {
    return List.of(table.lines().findFirst().orElseThrow().trim().split("\\s{2,}"));
  }

  @Test
  void aPoolShowsItsFutureExpiryAsATimeAndAgeLast() {
    ResidentPool pool = Pools.pool("inference", 6, 40);
    pool.getMetadata().setNamespace(cluster.namespace());
    pool.getMetadata().setUid(null);
    pool.getMetadata().setGeneration(null);
    ResidentPool stored = cluster.admin().resource(pool).create();
    ResidentPoolStatus status = new ResidentPoolStatus();
    status.setPhase("Active");
    status.setCardUsage("6/6");
    status.setDiskUsage("240Gi/240Gi");
    status.setExpiresAt("2099-04-01T00:00:00Z");
    status.setHeldCards(5);
    status.setLent(0);
    stored.setStatus(status);
    cluster.admin().resource(stored).updateStatus();

    String table = cluster.kubectlOk("get", "rpool", "-n", cluster.namespace());

    assertThat(header(table))
        .containsExactly(
            "NAME", "CARD TYPE", "CARDS", "DISK", "EXPIRES", "HELD", "LENT", "PHASE", "AGE");
    String row = table.lines().skip(1).findFirst().orElseThrow();
    assertThat(row)
        .contains("2099-04-01T00:00:00Z")
        .containsPattern("Z\\s+5\\s+0\\s+Active")
        .doesNotContain("<invalid>");
  }

  @Test
  void aReservationPrintsAgeLast() {
    Workload.reservation(cluster, "l20-pool", "L20", 1, 2);

    String table = cluster.kubectlOk("get", "gcr", "-n", cluster.namespace());

    assertThat(header(table))
        .containsExactly(
            "NAME",
            "CARD TYPE",
            "CARDS",
            "QUANTITY",
            "ACTIVE",
            "IDLE",
            "HELD",
            "PRICE",
            "PHASE",
            "LENT",
            "NEXT EDGE",
            "AGE");
  }
}
