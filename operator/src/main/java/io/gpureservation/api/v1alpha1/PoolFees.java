package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Fees from the billing engine, as decimal strings in {@code currency}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolFees {
  private String currency;
  private String monthly;
  private String daily;
  private String paid;
  private String termPaid;

  /** Paid for the term in force (since {@code termStart}): what a refund is measured against. */
  public String getTermPaid() {
    return termPaid;
  }

  public void setTermPaid(String termPaid) {
    this.termPaid = termPaid;
  }

  public String getCurrency() {
    return currency;
  }

  public void setCurrency(String currency) {
    this.currency = currency;
  }

  public String getMonthly() {
    return monthly;
  }

  public void setMonthly(String monthly) {
    this.monthly = monthly;
  }

  public String getDaily() {
    return daily;
  }

  public void setDaily(String daily) {
    this.daily = daily;
  }

  public String getPaid() {
    return paid;
  }

  public void setPaid(String paid) {
    this.paid = paid;
  }
}
