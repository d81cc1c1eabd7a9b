package io.gpureservation.core.matching;

import static io.gpureservation.core.matching.MatchingFixtures.T0;
import static io.gpureservation.core.matching.MatchingFixtures.pod;
import static io.gpureservation.core.matching.MatchingFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.core.billing.ReservationAccrual;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * docs/lending.md "Money": after any sequence of lends, borrower starts and ends, owner pods coming
 * and going, reclaims and quantity changes, every slot of the live reservation is in exactly one
 * state ({@link NamespaceMatcher#slotStates} throws otherwise), no slot is both lent and deducted,
 * and the accrued slot time equals slots × elapsed to the millisecond.
 */
class LendingInvariantTest {
  private static final BigDecimal ONE = BigDecimal.ONE;

  @Test
  void everySlotIsBilledExactlyOnceThroughRandomLendingHistories() {
    for (long seed = 1; seed <= 300; seed++) {
      run(new Random(seed));
    }
  }

  private static void run(Random random) {
    NamespaceMatcher matcher = new NamespaceMatcher();
    int quantity = 1 + random.nextInt(4);
    matcher.upsertReservation(reservation("r").quantity(quantity).build(), T0);
    List<String> borrowers = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    ReservationAccrual accrual = ReservationAccrual.ZERO;
    long liveMillis = 0;
    Instant now = T0;
    for (int step = 0; step < 40; step++) {
      Map<Integer, SlotState> states = matcher.slotStates("r");
      Instant next = now.plusMillis(1 + random.nextInt(60_000));
      int lent = (int) states.values().stream().filter(SlotState.LENT::equals).count();
      int active = (int) states.values().stream().filter(SlotState.ACTIVE::equals).count();
      accrual =
          accrual.advance(now, next, states.size() - lent - active, active, lent, ONE, ONE, ONE);
      liveMillis += (next.toEpochMilli() - now.toEpochMilli()) * states.size();
      now = next;
      Instant at = now;
      String name = "p" + step;
      switch (random.nextInt(8)) {
        case 0, 1 -> {
          PodDef b = pod(name).pending().build();
          if (matcher.lend("r", "batch", b, (r, s) -> random.nextInt(4) > 0, at).isPresent()) {
            borrowers.add(b.uid());
          }
        }
        case 2 -> pick(random, borrowers).ifPresent(uid -> matcher.borrowerStarted(uid, at));
        case 3 -> pick(random, borrowers).ifPresent(uid -> matcher.endLoan(uid, at));
        case 4 -> {
          PodDef owner = pod(name).pending().build();
          matcher.upsertPod(owner, now);
          owners.add(name);
          if (matcher.promise(owner, (r, s) -> true).isEmpty()) {
            matcher.reclaimFor(owner);
          }
        }
        case 5 -> pick(random, owners).ifPresent(o -> matcher.upsertPod(pod(o).build(), at));
        case 6 -> pick(random, owners).ifPresent(o -> matcher.removePod("uid-" + o, at));
        default -> {
          quantity = random.nextInt(5);
          matcher.upsertReservation(reservation("r").quantity(quantity).build(), now);
          matcher.drainRecalledLoans().forEach(l -> borrowers.remove(l.borrowerUid()));
        }
      }
      Map<Integer, SlotState> after = matcher.slotStates("r");
      assertThat(after).hasSize(quantity);
      for (Loan loan : matcher.loans("r")) {
        assertThat(matcher.ledger("r")).noneMatch(h -> h.slot() == loan.slot());
      }
    }
    assertThat(accrual.slotMillis()).isEqualTo(liveMillis);
  }

  private static Optional<String> pick(Random random, List<String> from) {
    return from.isEmpty() ? Optional.empty() : Optional.of(from.get(random.nextInt(from.size())));
  }
}
