package io.gpureservation.pool;

/**
 * An Event about a pool. The key makes the Event's name deterministic, so that an Event recorded
 * before a crash is not recorded again after it.
 */
record PoolEvent(String key, String type, String reason, String message) {
  static PoolEvent normal(String key, String reason, String message) {
    return new PoolEvent(key, "Normal", reason, message);
  }

  static PoolEvent warning(String key, String reason, String message) {
    return new PoolEvent(key, "Warning", reason, message);
  }
}
