package io.gpureservation.core.planner;

import java.util.Comparator;
import java.util.Objects;

/**
 * What one reservation can serve: pods of one namespace (reservations are namespaced) with one card
 * type and card count (multi-card atomicity). Written {@code namespace/L20x1}.
 */
public record ShapeKey(String namespace, String cardType, int cards)
    implements Comparable<ShapeKey> {
  private static final Comparator<ShapeKey> ORDER =
      Comparator.comparing(ShapeKey::namespace)
          .thenComparing(ShapeKey::cardType)
          .thenComparingInt(ShapeKey::cards);

  public ShapeKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(cardType, "cardType");
  }

  /** {@code L20x1}: the card part, without the namespace. */
  public String cardShape() {
    return cardType + "x" + cards;
  }

  @Override
  public String toString() {
    return namespace + "/" + cardShape();
  }

  @Override
  public int compareTo(ShapeKey o) {
    return ORDER.compare(this, o);
  }
}
