package io.gpureservation.core.pool;

/**
 * Cards and disk, the two dimensions of a resident pool. Disk is in bytes; the pool's disk is its
 * cards times its disk per card, where one "GB" of the reference is one GiB (2^30 bytes), so that
 * pods asking for {@code 30Gi} of ephemeral storage fit a pool sized in GB by the reference's own
 * example.
 */
public record PoolCapacity(long cards, long diskBytes) {
  public static final long GIB = 1L << 30;
  public static final PoolCapacity NONE = new PoolCapacity(0, 0);

  /** The capacity of a pool of {@code cards} cards with {@code diskPerCardGB} GB per card. */
  public static PoolCapacity of(long cards, long diskPerCardGB) {
    return new PoolCapacity(cards, Math.multiplyExact(cards, diskPerCardGB * GIB));
  }

  public PoolCapacity plus(PoolCapacity other) {
    return new PoolCapacity(cards + other.cards, diskBytes + other.diskBytes);
  }

  public PoolCapacity minus(PoolCapacity other) {
    return new PoolCapacity(cards - other.cards, diskBytes - other.diskBytes);
  }

  /** Whether {@code demand} fits in this (free) capacity. */
  public boolean fits(PoolCapacity demand) {
    return demand.cards <= cards && demand.diskBytes <= diskBytes;
  }
}
