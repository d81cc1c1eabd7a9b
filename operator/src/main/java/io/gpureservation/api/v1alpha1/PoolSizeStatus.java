package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The pool size in force: the spec as last applied (a refused scale-out is not in force). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolSizeStatus {
  private String region;
  private String cardType;
  private Integer cards;
  private Integer diskPerCardGB;

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getCardType() {
    return cardType;
  }

  public void setCardType(String cardType) {
    this.cardType = cardType;
  }

  public Integer getCards() {
    return cards;
  }

  public void setCards(Integer cards) {
    this.cards = cards;
  }

  public Integer getDiskPerCardGB() {
    return diskPerCardGB;
  }

  public void setDiskPerCardGB(Integer diskPerCardGB) {
    this.diskPerCardGB = diskPerCardGB;
  }
}
