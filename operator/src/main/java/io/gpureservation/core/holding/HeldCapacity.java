package io.gpureservation.core.holding;

import io.gpureservation.core.matching.SlotShape;
import java.math.BigDecimal;

/**
 * The words of the {@code CapacityHeld} condition (docs/capacity-holding.md "Held or not"): how
 * many idle slots are held and, when not all, the shape no node could take, e.g. {@code "2 of 3
 * idle slots held; no node with 1 × L20, 16 vCPU, 128Gi free in zone cn-hangzhou-b"}.
 */
public final class HeldCapacity {
  private static final long GI = 1L << 30;
  private static final long MI = 1L << 20;

  private HeldCapacity() {}

  /**
   * @param zone the zone the slots are pinned to, or null for any
   * @param region the region the slots are pinned to, or null for any
   */
  public static String message(int held, int wanted, SlotShape shape, String zone, String region) {
    return message(held, wanted, shape, zone, region, "idle slot");
  }

  /**
   * The same words for what {@code unit} names: {@code "idle slot"} for a reservation, {@code "free
   * card"} for a resident pool ({@code "2 of 4 free cards held; no node with 1 × Ada, ..."}).
   */
  public static String message(
      int held, int wanted, SlotShape shape, String zone, String region, String unit) {
    String counts = counts(held, wanted, unit);
    if (held >= wanted) {
      return counts;
    }
    return counts
        + "; no node with "
        + shape.cards()
        + " × "
        + shape.cardType()
        + ", "
        + cpu(shape.cpuMillis())
        + " vCPU, "
        + memory(shape.memoryBytes())
        + " free"
        + where(zone, region);
  }

  private static String where(String zone, String region) {
    if (zone != null && region != null) {
      return " in zone " + zone + " of region " + region;
    }
    if (zone != null) {
      return " in zone " + zone;
    }
    return region != null ? " in region " + region : "";
  }

  /** {@code "2 of 3 idle slots held"}. */
  public static String counts(int held, int wanted) {
    return counts(held, wanted, "idle slot");
  }

  static String counts(int held, int wanted, String unit) {
    return held + " of " + wanted + " " + unit + (wanted == 1 ? "" : "s") + " held";
  }

  /** vCPU as a person writes it: {@code 16}, {@code 0.5}. */
  static String cpu(long millis) {
    return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
  }

  /** Memory as a Kubernetes quantity: {@code 128Gi}, {@code 512Mi}, or bytes. */
  static String memory(long bytes) {
    if (bytes % GI == 0) {
      return bytes / GI + "Gi";
    }
    if (bytes % MI == 0) {
      return bytes / MI + "Mi";
    }
    return Long.toString(bytes);
  }
}
