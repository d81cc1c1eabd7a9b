package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * The pool's ledger (which pods hold resident instances) and what is derived from it: the size in
 * force, the term, usage per function, fees and the reminders already sent. Written by the operator
 * only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResidentPoolStatus {
  private String phase;
  private Long observedGeneration;
  private String activatedAt;
  private String termStart;
  private Long termMonthsPaid;
  private String expiresAt;
  private String releaseAt;
  private Long appliedRenewals;
  private PoolSizeStatus inForce;
  private PoolResources capacity;
  private PoolResources allocated;
  private PoolResources remaining;
  private String cardUsage;
  private String diskUsage;
  private List<PoolFunctionStatus> functions = new ArrayList<>();
  private List<ResidentInstance> instances = new ArrayList<>();
  private Integer waitingPods;
  private Integer heldCards;
  private List<PoolLoan> loans = new ArrayList<>();
  private Integer lent;
  private PoolFees fees;
  private List<String> remindersSent = new ArrayList<>();
  private List<Condition> conditions = new ArrayList<>();

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getActivatedAt() {
    return activatedAt;
  }

  public void setActivatedAt(String activatedAt) {
    this.activatedAt = activatedAt;
  }

  public String getTermStart() {
    return termStart;
  }

  public void setTermStart(String termStart) {
    this.termStart = termStart;
  }

  public Long getTermMonthsPaid() {
    return termMonthsPaid;
  }

  public void setTermMonthsPaid(Long termMonthsPaid) {
    this.termMonthsPaid = termMonthsPaid;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public String getReleaseAt() {
    return releaseAt;
  }

  public void setReleaseAt(String releaseAt) {
    this.releaseAt = releaseAt;
  }

  public Long getAppliedRenewals() {
    return appliedRenewals;
  }

  public void setAppliedRenewals(Long appliedRenewals) {
    this.appliedRenewals = appliedRenewals;
  }

  public PoolSizeStatus getInForce() {
    return inForce;
  }

  public void setInForce(PoolSizeStatus inForce) {
    this.inForce = inForce;
  }

  public PoolResources getCapacity() {
    return capacity;
  }

  public void setCapacity(PoolResources capacity) {
    this.capacity = capacity;
  }

  public PoolResources getAllocated() {
    return allocated;
  }

  public void setAllocated(PoolResources allocated) {
    this.allocated = allocated;
  }

  public PoolResources getRemaining() {
    return remaining;
  }

  public void setRemaining(PoolResources remaining) {
    this.remaining = remaining;
  }

  public String getCardUsage() {
    return cardUsage;
  }

  public void setCardUsage(String cardUsage) {
    this.cardUsage = cardUsage;
  }

  public String getDiskUsage() {
    return diskUsage;
  }

  public void setDiskUsage(String diskUsage) {
    this.diskUsage = diskUsage;
  }

  public List<PoolFunctionStatus> getFunctions() {
    return functions;
  }

  public void setFunctions(List<PoolFunctionStatus> functions) {
    this.functions = functions;
  }

  public List<ResidentInstance> getInstances() {
    return instances;
  }

  public void setInstances(List<ResidentInstance> instances) {
    this.instances = instances;
  }

  public Integer getWaitingPods() {
    return waitingPods;
  }

  public void setWaitingPods(Integer waitingPods) {
    this.waitingPods = waitingPods;
  }

  public PoolFees getFees() {
    return fees;
  }

  public void setFees(PoolFees fees) {
    this.fees = fees;
  }

  public List<String> getRemindersSent() {
    return remindersSent;
  }

  public void setRemindersSent(List<String> remindersSent) {
    this.remindersSent = remindersSent;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  /**
   * Free cards the pool holds on nodes (docs/capacity-holding.md "Resident pools"): its bound
   * placeholders, the count of {@code CapacityHeld}'s message; admitted pods' cards are allocated.
   */
  public Integer getHeldCards() {
    return heldCards;
  }

  public void setHeldCards(Integer heldCards) {
    this.heldCards = heldCards;
  }

  /** The pool's loans: borrowers of other namespaces running on (or handed) its free cards. */
  public List<PoolLoan> getLoans() {
    return loans;
  }

  public void setLoans(List<PoolLoan> loans) {
    this.loans = loans;
  }

  /** Cards lent to borrowers that run on them (the LENT column). */
  public Integer getLent() {
    return lent;
  }

  public void setLent(Integer lent) {
    this.lent = lent;
  }
}
