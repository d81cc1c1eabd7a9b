package io.gpureservation.core.pool;

/** What a pool is sized at, the input to its price: region, card type, cards, disk per card. */
public record PoolSize(String region, String cardType, int cards, int diskPerCardGB) {
  public PoolCapacity capacity() {
    return PoolCapacity.of(cards, diskPerCardGB);
  }
}
