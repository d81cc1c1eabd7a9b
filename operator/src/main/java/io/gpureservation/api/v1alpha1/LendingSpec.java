package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Whether and to whom a reservation lends its idle held slots (docs/lending.md, "The API"). Off by
 * default; when on, only pods labelled {@code gpureservation.io/borrow: "true"} in a namespace the
 * selector matches may borrow — no selector, no borrower.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LendingSpec {
  /** The bounds of {@code reclaimGracePeriodSeconds}. */
  public static final int MIN_GRACE_SECONDS = 0;

  public static final int MAX_GRACE_SECONDS = 3600;

  @JsonPropertyDescription("Lend idle held slots to borrowing pods (default false).")
  private Boolean enabled;

  @JsonPropertyDescription(
      "Namespaces whose pods may borrow (a label selector on the Namespace); none when unset.")
  private ReservationPodSelector namespaceSelector;

  @JsonPropertyDescription(
      "Grace period of a borrower's eviction when the owner needs its slot back, in seconds"
          + " (0..3600, default 30); a borrower still there after it is deleted.")
  @ValidationRule(
      value = "self >= " + MIN_GRACE_SECONDS + " && self <= " + MAX_GRACE_SECONDS,
      message =
          "reclaimGracePeriodSeconds must be between "
              + MIN_GRACE_SECONDS
              + " and "
              + MAX_GRACE_SECONDS
              + ": the owner's pod waits at most this long for a borrowed slot")
  private Integer reclaimGracePeriodSeconds;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public ReservationPodSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(ReservationPodSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }

  public Integer getReclaimGracePeriodSeconds() {
    return reclaimGracePeriodSeconds;
  }

  public void setReclaimGracePeriodSeconds(Integer reclaimGracePeriodSeconds) {
    this.reclaimGracePeriodSeconds = reclaimGracePeriodSeconds;
  }
}
