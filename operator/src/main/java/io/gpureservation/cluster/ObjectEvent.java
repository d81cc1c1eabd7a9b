package io.gpureservation.cluster;

/**
 * An Event about one of the operator's objects (a pool, a reservation, a pod). The key makes the
 * Event's name deterministic, so that an Event recorded before a crash is not recorded again after
 * it.
 */
public record ObjectEvent(String key, String type, String reason, String message) {
  public static ObjectEvent normal(String key, String reason, String message) {
    return new ObjectEvent(key, "Normal", reason, message);
  }

  public static ObjectEvent warning(String key, String reason, String message) {
    return new ObjectEvent(key, "Warning", reason, message);
  }
}
