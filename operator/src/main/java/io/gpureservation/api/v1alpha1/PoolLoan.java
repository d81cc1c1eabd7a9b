package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One loan line of a lending ResidentPool (docs/lending.md, "Resident pools"): the loan line of a
 * reservation ({@link SlotLoan}: the borrower's {@code namespace}, {@code pod}, {@code podUid},
 * {@code since}, {@code started}, {@code reclaimedFor}) without a slot — a pool's cards are alike —
 * and with the {@code cards} lent, the {@code node} they are held on and, while they are being
 * taken back, {@code evictedAt}: when the borrower was evicted (it is deleted once the grace period
 * has passed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolLoan extends SlotLoan {
  private Integer cards;
  private String node;
  private String evictedAt;

  public Integer getCards() {
    return cards;
  }

  public void setCards(Integer cards) {
    this.cards = cards;
  }

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }

  public String getEvictedAt() {
    return evictedAt;
  }

  public void setEvictedAt(String evictedAt) {
    this.evictedAt = evictedAt;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o)
        && o instanceof PoolLoan l
        && Objects.equals(cards, l.cards)
        && Objects.equals(node, l.node)
        && Objects.equals(evictedAt, l.evictedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), cards, node, evictedAt);
  }
}
