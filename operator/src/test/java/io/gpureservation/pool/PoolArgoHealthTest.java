package io.gpureservation.pool;

import static io.gpureservation.pool.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.chart.ArgoHealth;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chart's Argo CD health check for ResidentPool on status documents the operator's planner
 * writes (docs/gitops.md).
 */
class PoolArgoHealthTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private final PoolPlanner planner = Pools.planner();

  private ResidentPool reconciled(ResidentPool pool, boolean overdue, Instant now) {
    pool.setStatus(
        planner.plan(pool, List.of(), List.of(), Borrowers.none(), null, overdue, now).status());
    return pool;
  }

  private static ArgoHealth.Verdict health(ResidentPool pool) {
    return ArgoHealth.of("residentpool", pool);
  }

  @Test
  void aPoolTheOperatorHasNotSeenIsProgressing() {
    assertThat(health(pool("p", 1, 10)).status()).isEqualTo("Progressing");
  }

  @Test
  void anActivePoolIsHealthy() {
    ArgoHealth.Verdict v = health(reconciled(pool("p", 1, 10), false, T0));

    assertThat(v.status()).isEqualTo("Healthy");
    assertThat(v.message()).contains("active until");
  }

  @Test
  void aNewGenerationNotYetObservedIsProgressing() {
    ResidentPool pool = reconciled(pool("p", 1, 10), false, T0);
    pool.getMetadata().setGeneration(2L);

    assertThat(health(pool).status()).isEqualTo("Progressing");
  }

  @Test
  void anExpiredPoolIsDegraded() {
    ResidentPool pool = reconciled(pool("p", 1, 10), false, T0);
    reconciled(pool, false, Instant.parse("2026-04-02T00:00:00Z"));

    ArgoHealth.Verdict v = health(pool);
    assertThat(v.status()).isEqualTo("Degraded");
    assertThat(v.message()).startsWith("Expired");
  }

  @Test
  void aPurchaseRefusedWhileOverdueIsDegraded() {
    ArgoHealth.Verdict v = health(reconciled(pool("p", 1, 10), true, T0));

    assertThat(v.status()).isEqualTo("Degraded");
    assertThat(v.message()).startsWith("Overdue: purchase refused");
  }

  @Test
  void aRefusedScaleInIsDegraded() {
    ResidentPool pool = reconciled(pool("p", 2, 10), false, T0);
    pool.getSpec().setCards(1);
    pool.getMetadata().setGeneration(2L);
    reconciled(pool, false, T0.plusSeconds(60));

    ArgoHealth.Verdict v = health(pool);
    assertThat(v.status()).isEqualTo("Degraded");
    assertThat(v.message()).startsWith("ChangeNotAllowed");
  }
}
