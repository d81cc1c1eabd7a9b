package io.gpureservation.core.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.core.billing.Bill;
import io.gpureservation.core.billing.LineItem;
import io.gpureservation.core.billing.ReservationAccrual;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.matching.NamespaceMatcher;
import io.gpureservation.core.matching.PodDef;
import io.gpureservation.core.matching.PodSelector;
import io.gpureservation.core.matching.ReservationDef;
import io.gpureservation.core.matching.SlotShape;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A plan and a bill agree (docs/planner.md, "How a plan is priced"): replaying a trace through the
 * operator's matcher ({@link NamespaceMatcher}), with the reservation's quantity following the live
 * slots and its accrual advanced at every transition as the operator does, gives exactly the
 * planner's idle, held and pay-as-you-go amounts.
 */
class PlanMatchesOperatorProperties {
  private static final long MINUTE = 60_000;
  private static final SlotShape SLOT = new SlotShape("L20", 1, 16_000, 128L << 30);
  private static final Catalog CATALOG = Catalog.defaults();
  private static final BigDecimal RESERVATION = new BigDecimal("0.54");
  private static final BigDecimal PAY_AS_YOU_GO = new BigDecimal("1.80");

  record Pod(int startMinute, int minutes) {}

  record Change(int minute, int quantity) {}

  @Provide
  Arbitrary<List<Pod>> pods() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 600), Arbitraries.integers().between(1, 300))
        .as(Pod::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(15);
  }

  @Provide
  Arbitrary<List<Change>> changes() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 900), Arbitraries.integers().between(0, 5))
        .as(Change::new)
        .list()
        .ofMaxSize(8);
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void plannerAmountsEqualTheOperatorsAccrual(
      @ForAll("pods") List<Pod> pods, @ForAll("changes") List<Change> changes) {
    List<PodRun> runs = new ArrayList<>();
    for (int i = 0; i < pods.size(); i++) {
      Pod p = pods.get(i);
      runs.add(
          new PodRun(
              "ns",
              "p" + i,
              "L20",
              1,
              8_000,
              32L << 30,
              p.startMinute() * MINUTE,
              (p.startMinute() + p.minutes()) * MINUTE));
    }
    Span span = new Span(0, 900 * MINUTE);
    long[] times = new long[changes.size() * 2];
    int[] deltas = new int[changes.size() * 2];
    int[] quantityAt = quantities(changes);
    int n = 0;
    for (int minute = 0; minute <= 900; minute++) {
      int before = minute == 0 ? 0 : quantityAt[minute - 1];
      if (quantityAt[minute] != before && n < times.length) {
        times[n] = minute * MINUTE;
        deltas[n++] = quantityAt[minute] - before;
      }
    }
    StepFunction live = StepFunction.ofChanges(times, deltas, n);
    Option option =
        new OptionPricer(CATALOG, "cn-hangzhou", ZoneId.of("UTC"), new ShapeKey("ns", "L20", 1))
            .reservations(OptionKind.ALWAYS_ON, Demand.of(runs, span), 5, live, List.of());

    Replay replay = replay(runs, quantityAt, span);
    assertThat(amount(option.bill(), "Idle slots")).isEqualByComparingTo(replay.slots.idleCost());
    assertThat(amount(option.bill(), "Pods on reserved slots"))
        .isEqualByComparingTo(replay.slots.activeCost());
    assertThat(amount(option.bill(), "Pods beyond the slots, pay-as-you-go"))
        .isEqualByComparingTo(replay.plain.activeCost());
  }

  // quantity in force during each minute [m, m + 1): the last change at or before m (0 before any)
  private static int[] quantities(List<Change> changes) {
    int[] at = new int[901];
    List<Change> sorted = new ArrayList<>(changes);
    sorted.sort((a, b) -> Integer.compare(a.minute(), b.minute()));
    int q = 0;
    int c = 0;
    for (int minute = 0; minute <= 900; minute++) {
      while (c < sorted.size() && sorted.get(c).minute() <= minute) {
        q = sorted.get(c++).quantity();
      }
      at[minute] = q;
    }
    return at;
  }

  private record Replay(ReservationAccrual slots, ReservationAccrual plain) {}

  private static Replay replay(List<PodRun> runs, int[] quantityAt, Span span) {
    TreeSet<Long> instants = new TreeSet<>();
    instants.add(span.startMillis());
    for (PodRun r : runs) {
      instants.add(Math.min(r.startMillis(), span.endMillis()));
      instants.add(Math.min(r.endMillis(), span.endMillis()));
    }
    for (int minute = 0; minute < 900; minute++) {
      instants.add(minute * MINUTE);
    }
    instants.add(span.endMillis());
    NamespaceMatcher matcher = new NamespaceMatcher();
    ReservationAccrual slots = ReservationAccrual.ZERO;
    ReservationAccrual plain = ReservationAccrual.ZERO;
    long previous = span.startMillis();
    int started = 0;
    for (long t : instants) {
      if (t > previous) {
        int held = matcher.ledger("r").size();
        int idle = matcher.idleSlots("r");
        slots = slots.advance(at(previous), at(t), idle, held, RESERVATION, PAY_AS_YOU_GO);
        plain = plain.advance(at(previous), at(t), 0, started - held, PAY_AS_YOU_GO, PAY_AS_YOU_GO);
        previous = t;
      }
      if (t >= span.endMillis()) {
        break;
      }
      for (int i = 0; i < runs.size(); i++) {
        if (runs.get(i).endMillis() == t) {
          matcher.removePod("p" + i, at(t));
          started--;
        }
      }
      int quantity = quantityAt[(int) (t / MINUTE)];
      matcher.upsertReservation(
          new ReservationDef("r", SLOT, quantity, null, PodSelector.ALL, Instant.EPOCH, true, null),
          at(t));
      for (int i = 0; i < runs.size(); i++) {
        PodRun r = runs.get(i);
        if (r.startMillis() == t) {
          matcher.upsertPod(
              new PodDef(
                  "p" + i,
                  "p" + i,
                  at(t),
                  new SlotShape("L20", 1, r.cpuMillis(), r.memoryBytes()),
                  null,
                  Map.of(),
                  false,
                  PodDef.Lifecycle.STARTED,
                  at(t),
                  null,
                  null,
                  null),
              at(t));
          started++;
        }
      }
    }
    return new Replay(slots, plain);
  }

  private static Instant at(long millis) {
    return Instant.ofEpochMilli(millis);
  }

  private static BigDecimal amount(Bill bill, String description) {
    return bill.charges().stream()
        .filter(line -> line.description().equals(description))
        .map(LineItem::amount)
        .findFirst()
        .orElse(BigDecimal.ZERO);
  }
}
