package io.gpureservation.core.matching;

import static io.gpureservation.core.matching.MatchingFixtures.pod;
import static io.gpureservation.core.matching.MatchingFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.core.billing.Money;
import io.gpureservation.core.billing.ReservationAccrual;
import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/lending.md ("A worked example"): a 2-slot L20 reservation lends a
 * slot, takes it back for an owner's pod, and every slot-millisecond is billed exactly once — to
 * the owner at the reservation rate (idle) or through its pods (active), or to the borrower at the
 * lending rate (lent). Rates from the bundled catalog (EXAMPLE rates).
 */
class LendingWorkedExampleTest {
  private static final Instant T10 = Instant.parse("2026-03-02T10:00:00Z");
  private final Catalog catalog = Catalog.defaults();
  private final BigDecimal reservationRate = catalog.reservationHourlyRate("L20", 1).orElseThrow();
  private final BigDecimal podRate = catalog.payAsYouGoHourlyRate("L20", 1).orElseThrow();
  private final BigDecimal lendingRate = catalog.lendingHourlyRate("L20", 1, null).orElseThrow();
  private final NamespaceMatcher matcher = new NamespaceMatcher();
  private ReservationAccrual accrual = ReservationAccrual.ZERO;
  private Instant clock = T10;

  private static Instant at(String hhmmss) {
    return Instant.parse("2026-03-02T" + hhmmss + "Z");
  }

  // Accrues from the last event to t in the states the matcher reports, then moves the clock.
  private void accrueTo(Instant t) {
    Collection<SlotState> states = matcher.slotStates("gpu").values();
    int lent = count(states, SlotState.LENT);
    int active = count(states, SlotState.ACTIVE);
    int idle = states.size() - lent - active; // IDLE and PROMISED: all held here
    accrual = accrual.advance(clock, t, idle, active, lent, reservationRate, podRate, lendingRate);
    clock = t;
  }

  private static int count(Collection<SlotState> states, SlotState state) {
    return (int) states.stream().filter(state::equals).count();
  }

  @Test
  void lendReclaimAndEverySlotMillisecondBilledOnce() {
    assertThat(lendingRate).isEqualByComparingTo("1.08"); // 60 % of 1.80
    matcher.upsertReservation(reservation("gpu").quantity(2).createdAt(T10).build(), T10);

    accrueTo(at("11:00:00"));
    PodDef borrower = pod("batch").pending().build();
    Loan loan = matcher.lend("gpu", "team-batch", borrower, (r, s) -> true, at("11:00:00")).get();
    matcher.borrowerStarted(borrower.uid(), at("11:00:00"));

    accrueTo(at("12:00:00"));
    matcher.upsertPod(pod("p1").startedAt(at("12:00:00")).build(), at("12:00:00"));
    assertThat(matcher.billingOf("uid-p1")).isInstanceOf(PodBilling.Reserved.class);

    accrueTo(at("12:20:00"));
    PodDef p2 = pod("p2").pending().build();
    matcher.upsertPod(p2, at("12:20:00"));
    assertThat(matcher.promise(p2, (r, s) -> true)).isEmpty();
    assertThat(matcher.reclaimFor(p2)).map(Loan::borrowerUid).contains(borrower.uid());

    accrueTo(at("12:20:30")); // the borrower leaves within its 30 s grace period
    matcher.endLoan(borrower.uid(), at("12:20:30"));

    accrueTo(at("12:20:35")); // promised to p2, billed idle, until p2 starts
    matcher.upsertPod(pod("p2").startedAt(at("12:20:35")).build(), at("12:20:35"));
    assertThat(matcher.billingOf("uid-p2"))
        .isEqualTo(new PodBilling.Reserved("gpu", loan.slot(), at("12:20:35")));

    accrueTo(at("14:00:00"));

    assertThat(accrual.idleSlotSeconds()).isEqualByComparingTo("10805");
    assertThat(accrual.activeSlotSeconds()).isEqualByComparingTo("13165");
    assertThat(accrual.lentSlotSeconds()).isEqualByComparingTo("4830");
    // Billed exactly once: 2 slots × 4 h, to the millisecond.
    assertThat(accrual.slotMillis()).isEqualTo(2L * 4 * 3_600_000);
    assertThat(accrual.idleCost()).isEqualByComparingTo("1.620750");
    assertThat(accrual.activeCost()).isEqualByComparingTo("6.582500");
    assertThat(accrual.totalCost()).isEqualByComparingTo("8.203250"); // the owner's
    assertThat(Money.cents(accrual.totalCost())).isEqualByComparingTo("8.20");
    assertThat(accrual.lentCost()).isEqualByComparingTo("1.449000"); // the borrower's
    assertThat(Money.cents(accrual.lentCost())).isEqualByComparingTo("1.45");
  }
}
