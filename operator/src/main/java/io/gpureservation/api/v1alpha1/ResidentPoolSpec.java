package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What a ResidentPool subscribes. Card type and region are fixed; cards and disk per card may only
 * grow (scale-out). The API server enforces these rules (CEL transition rules).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResidentPoolSpec {
  /**
   * The most cards one pool may subscribe: each free card is held by one placeholder pod and each
   * instance is a ledger line, as a reservation's 5000 slots (docs/resident-pool.md, "Spec").
   */
  public static final int MAX_CARDS = 5000;

  @Required
  @Pattern("^[a-z0-9-]+$")
  @ValidationRule(
      value = "self == oldSelf",
      message = "region is immutable: purchase a new ResidentPool in the other region")
  private String region;

  @Required
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]*$")
  @ValidationRule(
      value = "self == oldSelf",
      message = "cardType is immutable: purchase a new ResidentPool for another card type")
  private String cardType;

  @Required
  @Min(1)
  @Max(MAX_CARDS)
  @ValidationRule(
      value = "self >= oldSelf",
      message =
          "cards may only increase (scale-out): scale-in is not supported; to hold fewer cards,"
              + " delete (unsubscribe) this pool and purchase a smaller one")
  private Integer cards;

  @Required
  @Min(10)
  @Max(60)
  @ValidationRule(
      value = "self % 10 == 0",
      message = "diskPerCardGB must be 10, 20, 30, 40, 50 or 60 (10 GB steps)")
  @ValidationRule(
      value = "self >= oldSelf",
      message =
          "diskPerCardGB may only increase (scale-out): to hold less disk, delete (unsubscribe)"
              + " this pool and purchase a smaller one")
  private Integer diskPerCardGB;

  @Required private ResidentPoolSubscription subscription;

  /** Order of waiting pods: {@code Aging} (default) or {@code Strict} FIFO. */
  @Default("Aging")
  private AdmissionOrder admissionOrder;

  @JsonPropertyDescription(
      "Lend free held cards to pods of other namespaces that ask to borrow, and take them back"
          + " when a pod of the pool needs them (docs/lending.md, \"Resident pools\").")
  private LendingSpec lending;

  public LendingSpec getLending() {
    return lending;
  }

  public void setLending(LendingSpec lending) {
    this.lending = lending;
  }

  public AdmissionOrder getAdmissionOrder() {
    return admissionOrder;
  }

  public void setAdmissionOrder(AdmissionOrder admissionOrder) {
    this.admissionOrder = admissionOrder;
  }

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

  public ResidentPoolSubscription getSubscription() {
    return subscription;
  }

  public void setSubscription(ResidentPoolSubscription subscription) {
    this.subscription = subscription;
  }
}
