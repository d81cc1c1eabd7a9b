package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Cards and disk (a Kubernetes quantity, e.g. {@code 240Gi}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolResources {
  private Long cards;
  private String disk;

  public Long getCards() {
    return cards;
  }

  public void setCards(Long cards) {
    this.cards = cards;
  }

  public String getDisk() {
    return disk;
  }

  public void setDisk(String disk) {
    this.disk = disk;
  }
}
