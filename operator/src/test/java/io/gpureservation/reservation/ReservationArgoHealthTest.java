package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.chart.ArgoHealth;
import io.gpureservation.core.catalog.Catalog;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The chart's Argo CD health check for CapacityReservation on status documents the operator's
 * status composer writes (docs/gitops.md).
 */
class ReservationArgoHealthTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private final Catalog catalog = Catalog.defaults();
  private final ReservationShapes shapes = new ReservationShapes(catalog);
  private final ReservationStatusComposer composer =
      new ReservationStatusComposer(catalog, region -> true);

  private CapacityReservation composed(CapacityReservation r, Instant now) {
    r.getMetadata().setGeneration(1L);
    r.setStatus(
        composer.compose(
            r,
            shapes.resolve(r.getSpec()),
            new SlotsView(java.util.List.of(), 0, 0, 0, null),
            now));
    return r;
  }

  private static ArgoHealth.Verdict health(CapacityReservation r) {
    return ArgoHealth.of("capacityreservation", r);
  }

  @Test
  void aReservationTheOperatorHasNotSeenIsProgressing() {
    assertThat(health(reservation("ns", "r").build()).status()).isEqualTo("Progressing");
  }

  @Test
  void anActiveReservationIsHealthy() {
    assertThat(health(composed(reservation("ns", "r").build(), T0)).status()).isEqualTo("Healthy");
  }

  @Test
  void aNewGenerationNotYetObservedIsProgressing() {
    CapacityReservation r = composed(reservation("ns", "r").build(), T0);
    r.getMetadata().setGeneration(2L);

    assertThat(health(r).status()).isEqualTo("Progressing");
  }

  @Test
  void anExpiredReservationIsSuspendedNotDegraded() {
    CapacityReservation r =
        composed(reservation("ns", "r").releaseAt("2026-02-01T00:00:00Z").build(), T0);

    ArgoHealth.Verdict v = health(r);
    assertThat(v.status()).isEqualTo("Suspended");
    assertThat(v.message()).startsWith("Expired");
  }

  @Test
  void aReservationOutsideItsWindowIsSuspendedNotDegraded() {
    // docs/time-windows.md: Pending between windows is by design, nothing to fix
    CapacityReservation r =
        composed(reservation("ns", "r").window("0 8 * * *", "UTC", "2h", null).build(), T0);

    ArgoHealth.Verdict v = health(r);
    assertThat(v.status()).isEqualTo("Suspended");
    assertThat(v.message()).startsWith("Pending: outside every window");
  }

  @Test
  void aWindowTheOperatorCannotReadIsDegraded() {
    CapacityReservation r =
        composed(
            reservation("ns", "r").window("0 8 * * *", "Mars/Olympus", "2h", null).build(), T0);

    ArgoHealth.Verdict v = health(r);
    assertThat(v.status()).isEqualTo("Degraded");
    assertThat(v.message()).startsWith("InvalidWindow: spec.windows[0].timeZone");
  }

  @Test
  void aCardTypeTheCatalogDoesNotKnowIsDegraded() {
    CapacityReservation r = composed(reservation("ns", "r").cards("Z99", 1).build(), T0);

    ArgoHealth.Verdict v = health(r);
    assertThat(v.status()).isEqualTo("Degraded");
    assertThat(v.message()).startsWith("UnknownCardSpec");
  }
}
