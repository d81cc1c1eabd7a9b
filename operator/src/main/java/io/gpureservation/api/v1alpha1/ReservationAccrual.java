package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Accrued slot time and cost since the reservation became active. Amounts are decimal strings so
 * that no float ever touches money.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReservationAccrual {
  private String accruedUntil;
  private String idleSlotSeconds;
  private String activeSlotSeconds;
  private String idleCost;
  private String activeCost;
  private String currency;

  public String getAccruedUntil() {
    return accruedUntil;
  }

  public void setAccruedUntil(String accruedUntil) {
    this.accruedUntil = accruedUntil;
  }

  public String getIdleSlotSeconds() {
    return idleSlotSeconds;
  }

  public void setIdleSlotSeconds(String idleSlotSeconds) {
    this.idleSlotSeconds = idleSlotSeconds;
  }

  public String getActiveSlotSeconds() {
    return activeSlotSeconds;
  }

  public void setActiveSlotSeconds(String activeSlotSeconds) {
    this.activeSlotSeconds = activeSlotSeconds;
  }

  public String getIdleCost() {
    return idleCost;
  }

  public void setIdleCost(String idleCost) {
    this.idleCost = idleCost;
  }

  public String getActiveCost() {
    return activeCost;
  }

  public void setActiveCost(String activeCost) {
    this.activeCost = activeCost;
  }

  public String getCurrency() {
    return currency;
  }

  public void setCurrency(String currency) {
    this.currency = currency;
  }
}
