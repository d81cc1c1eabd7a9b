package io.gpureservation.core.planner;

import io.gpureservation.core.billing.Bill;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cost over the trace of one way to guarantee a shape's target (docs/planner.md, "Options").
 *
 * @param bill itemised cost; {@code bill.total()} exact, {@code bill.payable()} in cents
 * @param guaranteedSlotMillis slot time the option holds for the shape (0 for the floor)
 * @param usedSlotMillis the part of it that pods used
 * @param breakEven utilisation of the guaranteed capacity (percent, 1 decimal HALF_UP) at which the
 *     option costs what the same pod time costs pay-as-you-go; empty when it never does
 * @param reservations proposed reservations (always-on and windowed options)
 * @param shortfallSlotMillis guaranteed demand left without a live slot (windowed, across DST)
 * @param unavailable why the option cannot be offered, or null
 * @param lending what lending its idle slots would have earned (reservation options, when a borrow
 *     fill is asked for; docs/planner.md "Lending")
 */
public record Option(
    OptionKind kind,
    Bill bill,
    long guaranteedSlotMillis,
    long usedSlotMillis,
    Optional<BigDecimal> breakEven,
    List<ProposedReservation> reservations,
    long shortfallSlotMillis,
    String unavailable,
    Optional<LendingEstimate> lending) {
  public Option {
    reservations = List.copyOf(reservations);
    Objects.requireNonNull(lending, "lending");
  }

  static Option unavailable(OptionKind kind, String why, String currency) {
    return new Option(
        kind,
        Bill.of(kind.label(), currency, List.of(), List.of(why)),
        0,
        0,
        Optional.empty(),
        List.of(),
        0,
        why,
        Optional.empty());
  }

  public boolean available() {
    return unavailable == null;
  }

  /** Whether it guarantees the target (everything but the pay-as-you-go floor). */
  public boolean guarantees() {
    return kind != OptionKind.PAY_AS_YOU_GO && available();
  }

  /** Used over guaranteed slot time, percent, 1 decimal HALF_UP; empty when nothing is held. */
  public Optional<BigDecimal> utilisation() {
    return guaranteedSlotMillis == 0
        ? Optional.empty()
        : Optional.of(Percent.of(usedSlotMillis, guaranteedSlotMillis));
  }
}
