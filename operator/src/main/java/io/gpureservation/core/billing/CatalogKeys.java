package io.gpureservation.core.billing;

import java.util.Map;

/** Case-insensitive lookups in catalog maps (GPU series, currencies). */
final class CatalogKeys {
  private CatalogKeys() {}

  /**
   * The entry whose key equals {@code key} ignoring case, with the catalog's spelling of the key.
   *
   * @throws IllegalArgumentException naming {@code field} when there is none
   */
  static <V> Map.Entry<String, V> find(Map<String, V> map, String key, String field) {
    return map.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(key))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(field + ": unknown " + field + " " + key));
  }
}
