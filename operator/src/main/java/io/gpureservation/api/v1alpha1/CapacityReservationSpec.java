package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/**
 * What a CapacityReservation reserves. Shape fields, zone and podSelector are immutable (which pods
 * may hold a slot is fixed at creation); quantity may change.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.cpu) == has(oldSelf.cpu) && (!has(self.cpu) || self.cpu == oldSelf.cpu)",
    message = "cpu is immutable: create a new CapacityReservation for another slot shape",
    fieldPath = ".cpu",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "has(self.memory) == has(oldSelf.memory)"
            + " && (!has(self.memory) || self.memory == oldSelf.memory)",
    message = "memory is immutable: create a new CapacityReservation for another slot shape",
    fieldPath = ".memory",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "has(self.region) == has(oldSelf.region)"
            + " && (!has(self.region) || self.region == oldSelf.region)",
    message = "region is immutable: create a new CapacityReservation in the other region",
    fieldPath = ".region",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "!has(oldSelf.lockInUntil) || (has(self.lockInUntil)"
            + " && timestamp(self.lockInUntil) >= timestamp(oldSelf.lockInUntil))",
    message = "lockInUntil may not be removed or moved earlier: a lock-in can only be extended",
    fieldPath = ".lockInUntil",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "!has(self.lockInUntil) || !has(self.releaseAt)"
            + " || timestamp(self.releaseAt) >= timestamp(self.lockInUntil)",
    message = "releaseAt must not be before lockInUntil: the reservation is locked in until then",
    fieldPath = ".releaseAt",
    reason = "FieldValueInvalid")
// Set, changed or removed alike: a field-level rule would let it be removed and set anew.
@ValidationRule(
    value =
        "(has(self.placeholders) && has(self.placeholders.deviceClassName))"
            + " == (has(oldSelf.placeholders) && has(oldSelf.placeholders.deviceClassName))"
            + " && (!has(self.placeholders) || !has(self.placeholders.deviceClassName)"
            + " || self.placeholders.deviceClassName == oldSelf.placeholders.deviceClassName)",
    message =
        "placeholders.deviceClassName is immutable: create a new CapacityReservation to hold its"
            + " slots the other way",
    fieldPath = ".placeholders.deviceClassName",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "has(self.zone) == has(oldSelf.zone) && (!has(self.zone) || self.zone == oldSelf.zone)",
    message = "zone is immutable: create a new CapacityReservation for another zone",
    fieldPath = ".zone",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "has(self.podSelector) == has(oldSelf.podSelector)"
            + " && (!has(self.podSelector) || self.podSelector == oldSelf.podSelector)",
    message = "podSelector is immutable: create a new CapacityReservation for other pods",
    fieldPath = ".podSelector",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "!has(self.startAt) || !has(self.releaseAt)"
            + " || timestamp(self.startAt) < timestamp(self.releaseAt)",
    message = "startAt must be before releaseAt: the reservation would never be live",
    fieldPath = ".startAt",
    reason = "FieldValueInvalid")
public class CapacityReservationSpec {
  /** The most windows one reservation may have. */
  public static final int MAX_WINDOWS = 16;

  /**
   * The largest quantity: a full ledger of this many lines stays well inside etcd's object limit
   * (docs/capacity-reservation.md, "How large a reservation can be").
   */
  public static final int MAX_QUANTITY = 5000;

  /**
   * Bounds of one slot's shape, far above any GPU machine, so that the operator's arithmetic on
   * them (millicores, bytes, cost) cannot overflow (docs/capacity-reservation.md, "A reservation
   * the operator cannot read").
   */
  public static final String MAX_CPU = "4096";

  public static final String MAX_MEMORY = "64Ti";

  private static final String RFC_3339 =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";

  @Required
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]*$")
  @ValidationRule(
      value = "self == oldSelf",
      message = "cardType is immutable: create a new CapacityReservation for another card type")
  private String cardType;

  @Required
  @Min(1)
  @Max(16)
  @ValidationRule(
      value = "self == oldSelf",
      message = "cards is immutable: create a new CapacityReservation for another card count")
  private Integer cards;

  @ValidationRule(
      value = "isQuantity(string(self)) && quantity(string(self)).isGreaterThan(quantity('0'))",
      message = "cpu must be a positive Kubernetes quantity, e.g. 16 or 15500m")
  @ValidationRule(
      value =
          "!isQuantity(string(self))"
              + " || !quantity(string(self)).isGreaterThan(quantity('"
              + MAX_CPU
              + "'))",
      message = "cpu must be at most " + MAX_CPU + " (vCPU of one slot)")
  private Quantity cpu;

  @ValidationRule(
      value = "isQuantity(string(self)) && quantity(string(self)).isGreaterThan(quantity('0'))",
      message = "memory must be a positive Kubernetes quantity, e.g. 128Gi")
  @ValidationRule(
      value =
          "!isQuantity(string(self))"
              + " || !quantity(string(self)).isGreaterThan(quantity('"
              + MAX_MEMORY
              + "'))",
      message = "memory must be at most " + MAX_MEMORY + " (memory of one slot)")
  private Quantity memory;

  @Required
  @Min(0)
  @Max(MAX_QUANTITY)
  private Integer quantity;

  private String zone;

  /** Price region (catalog region rates); immutable. docs/capacity-reservation.md, "Region". */
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  private String region;

  private ReservationPodSelector podSelector;

  @Pattern(RFC_3339)
  private String releaseAt;

  /** RFC 3339 start of a future reservation: nothing is live before it (docs/time-windows.md). */
  @Pattern(RFC_3339)
  private String startAt;

  @Size(min = 1, max = MAX_WINDOWS)
  @JsonPropertyDescription(
      "Recurring windows: outside every window the reservation has no live slots, holds and"
          + " bills nothing (docs/time-windows.md).")
  private List<ReservationWindow> windows;

  /**
   * RFC 3339 end of the lock-in period: before it, deleting the reservation and lowering {@code
   * quantity} are refused (docs/capacity-reservation.md, "Lock-in").
   */
  @Pattern(RFC_3339)
  private String lockInUntil;

  @JsonPropertyDescription(
      "Where the placeholder pods that hold idle slots may go, beyond the card type and zone:"
          + " extra node labels and tolerations (docs/capacity-holding.md).")
  private PlaceholderSpec placeholders;

  @JsonPropertyDescription(
      "Lend idle held slots to pods of other namespaces that ask to borrow, and take them back"
          + " when an owner's pod needs them (docs/lending.md).")
  private LendingSpec lending;

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

  public Quantity getCpu() {
    return cpu;
  }

  public void setCpu(Quantity cpu) {
    this.cpu = cpu;
  }

  public Quantity getMemory() {
    return memory;
  }

  public void setMemory(Quantity memory) {
    this.memory = memory;
  }

  public Integer getQuantity() {
    return quantity;
  }

  public void setQuantity(Integer quantity) {
    this.quantity = quantity;
  }

  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  public ReservationPodSelector getPodSelector() {
    return podSelector;
  }

  public void setPodSelector(ReservationPodSelector podSelector) {
    this.podSelector = podSelector;
  }

  public String getReleaseAt() {
    return releaseAt;
  }

  public void setReleaseAt(String releaseAt) {
    this.releaseAt = releaseAt;
  }

  public String getStartAt() {
    return startAt;
  }

  public void setStartAt(String startAt) {
    this.startAt = startAt;
  }

  public List<ReservationWindow> getWindows() {
    return windows;
  }

  public void setWindows(List<ReservationWindow> windows) {
    this.windows = windows;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getLockInUntil() {
    return lockInUntil;
  }

  public void setLockInUntil(String lockInUntil) {
    this.lockInUntil = lockInUntil;
  }

  public PlaceholderSpec getPlaceholders() {
    return placeholders;
  }

  public void setPlaceholders(PlaceholderSpec placeholders) {
    this.placeholders = placeholders;
  }

  public LendingSpec getLending() {
    return lending;
  }

  public void setLending(LendingSpec lending) {
    this.lending = lending;
  }
}
