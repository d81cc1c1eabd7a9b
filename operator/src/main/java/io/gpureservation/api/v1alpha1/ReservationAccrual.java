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
  private String unheldSlotSeconds;
  private String activeSlotSeconds;
  private String idleCost;
  private String activeCost;
  private String currency;
  private String idleRateMillis;
  private String activeRateMillis;
  private String lentSlotSeconds;
  private String lentCost;
  private String lentRateMillis;

  /**
   * Exact Σ reservation rate per hour × idle slot-milliseconds ({@code idleCost} × 3,600,000,
   * unrounded): the operator resumes from it, so rounding happens once, when {@code idleCost} is
   * shown.
   */
  public String getIdleRateMillis() {
    return idleRateMillis;
  }

  public void setIdleRateMillis(String idleRateMillis) {
    this.idleRateMillis = idleRateMillis;
  }

  /** Exact Σ pay-as-you-go rate per hour × deducted slot-milliseconds (unrounded). */
  public String getActiveRateMillis() {
    return activeRateMillis;
  }

  public void setActiveRateMillis(String activeRateMillis) {
    this.activeRateMillis = activeRateMillis;
  }

  /**
   * Slot time lent to borrowers that run on it (docs/lending.md, "Money"): billed to them, never to
   * the owner. Idle + unheld + active + lent slot-seconds = slots × time.
   */
  public String getLentSlotSeconds() {
    return lentSlotSeconds;
  }

  public void setLentSlotSeconds(String lentSlotSeconds) {
    this.lentSlotSeconds = lentSlotSeconds;
  }

  /**
   * What the borrowers pay for the lent slot time, at the catalog's lending rate (6 decimals
   * HALF_UP, rounded once from {@code lentRateMillis}); not part of the owner's cost.
   */
  public String getLentCost() {
    return lentCost;
  }

  public void setLentCost(String lentCost) {
    this.lentCost = lentCost;
  }

  /** Exact Σ lending rate per hour × lent slot-milliseconds (unrounded). */
  public String getLentRateMillis() {
    return lentRateMillis;
  }

  public void setLentRateMillis(String lentRateMillis) {
    this.lentRateMillis = lentRateMillis;
  }

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

  /**
   * Idle slot time whose capacity no node held (no bound placeholder): not billed
   * (docs/capacity-holding.md "Held or not"). Idle + unheld + active + lent slot-seconds = slots ×
   * time.
   */
  public String getUnheldSlotSeconds() {
    return unheldSlotSeconds;
  }

  public void setUnheldSlotSeconds(String unheldSlotSeconds) {
    this.unheldSlotSeconds = unheldSlotSeconds;
  }
}
