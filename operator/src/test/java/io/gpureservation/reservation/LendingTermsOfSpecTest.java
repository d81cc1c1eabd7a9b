package io.gpureservation.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationSpec;
import io.gpureservation.api.v1alpha1.LendingSpec;
import io.gpureservation.api.v1alpha1.ReservationPodSelector;
import io.gpureservation.core.lending.LendingTerms;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code spec.lending} read into the core's terms (docs/lending.md, "The operator"). */
class LendingTermsOfSpecTest {
  private static final Map<String, String> BORROW = Map.of(LendingTerms.BORROW_LABEL, "true");

  @Test
  void noLendingOrDisabledLendsNothing() {
    assertThat(ReservationShapes.lending(reservation(null))).isEqualTo(LendingTerms.NONE);
    LendingSpec off = new LendingSpec();
    off.setEnabled(false);
    off.setNamespaceSelector(new ReservationPodSelector());
    assertThat(ReservationShapes.lending(reservation(off))).isEqualTo(LendingTerms.NONE);
  }

  @Test
  void selectorOnNamespaceLabelsAndTheDefaultGracePeriod() {
    LendingSpec on = new LendingSpec();
    on.setEnabled(true);
    ReservationPodSelector selector = new ReservationPodSelector();
    selector.setMatchLabels(Map.of("gpu-borrower", "true"));
    on.setNamespaceSelector(selector);
    LendingTerms terms = ReservationShapes.lending(reservation(on));
    assertThat(terms.reclaimGracePeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(terms.allows("team-a", "batch", Map.of("gpu-borrower", "true"), BORROW)).isTrue();
    assertThat(terms.allows("team-a", "other", Map.of(), BORROW)).isFalse();
    assertThat(terms.allows("team-a", "team-a", Map.of("gpu-borrower", "true"), BORROW)).isFalse();

    on.setReclaimGracePeriodSeconds(5);
    assertThat(ReservationShapes.lending(reservation(on)).reclaimGracePeriod())
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void noNamespaceSelectorLendsToNoNamespace() {
    LendingSpec on = new LendingSpec();
    on.setEnabled(true);
    assertThat(
            ReservationShapes.lending(reservation(on))
                .allows("team-a", "batch", Map.of("gpu-borrower", "true"), BORROW))
        .isFalse();
  }

  private static CapacityReservation reservation(LendingSpec lending) {
    CapacityReservation r = new CapacityReservation();
    CapacityReservationSpec spec = new CapacityReservationSpec();
    spec.setLending(lending);
    r.setSpec(spec);
    return r;
  }
}
