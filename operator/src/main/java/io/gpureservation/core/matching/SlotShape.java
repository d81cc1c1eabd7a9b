package io.gpureservation.core.matching;

import java.util.Objects;

/**
 * The shape of one reservation slot, or the size of one pod: card type, card count, vCPU in
 * millicores and memory in bytes.
 */
public record SlotShape(String cardType, int cards, long cpuMillis, long memoryBytes) {
  public SlotShape {
    Objects.requireNonNull(cardType, "cardType");
  }

  /** Whether a pod of the given size fits this slot: same cards exactly, CPU and memory no more. */
  public boolean fits(SlotShape pod) {
    return cardType.equals(pod.cardType)
        && cards == pod.cards
        && pod.cpuMillis <= cpuMillis
        && pod.memoryBytes <= memoryBytes;
  }

  CardGroup group() {
    return new CardGroup(cardType, cards);
  }

  Size size() {
    return new Size(cpuMillis, memoryBytes);
  }

  /** Slots and pods only ever meet within a group: multi-card atomicity by construction. */
  record CardGroup(String cardType, int cards) {}

  /** Ordered by vCPU, then memory: the "smallest specification first" order. */
  record Size(long cpuMillis, long memoryBytes) implements Comparable<Size> {
    @Override
    public int compareTo(Size o) {
      int byCpu = Long.compare(cpuMillis, o.cpuMillis);
      return byCpu != 0 ? byCpu : Long.compare(memoryBytes, o.memoryBytes);
    }
  }
}
