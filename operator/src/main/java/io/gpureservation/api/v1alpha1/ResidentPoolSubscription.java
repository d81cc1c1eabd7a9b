package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Term, auto-renewal and the manual renewal counter of a pool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResidentPoolSubscription {
  /**
   * The highest renewal counter: the operator applies the renewals it has not applied yet one term
   * at a time, so an unbounded jump would keep it busy for ever (docs/resident-pool.md, "Spec").
   */
  public static final long MAX_RENEWALS = 1000;

  @Required
  @ValidationRule(
      value = "self in [1, 2, 3, 6, 12]",
      message = "termMonths must be 1, 2, 3, 6 or 12 (one year)")
  private Integer termMonths;

  /** Renew for another term at expiry (refused while the namespace is overdue). */
  @Default("false")
  private Boolean autoRenew;

  /** Manual renewal counter: add 1 to renew for one more term. */
  @Default("0")
  @Min(0)
  @Max(MAX_RENEWALS)
  @ValidationRule(
      value = "self >= oldSelf",
      message =
          "renewals is a counter that may only increase: add 1 to renew for another term;"
              + " renewals already bought cannot be taken back")
  private Long renewals;

  public Integer getTermMonths() {
    return termMonths;
  }

  public void setTermMonths(Integer termMonths) {
    this.termMonths = termMonths;
  }

  public Boolean getAutoRenew() {
    return autoRenew;
  }

  public void setAutoRenew(Boolean autoRenew) {
    this.autoRenew = autoRenew;
  }

  public Long getRenewals() {
    return renewals;
  }

  public void setRenewals(Long renewals) {
    this.renewals = renewals;
  }
}
