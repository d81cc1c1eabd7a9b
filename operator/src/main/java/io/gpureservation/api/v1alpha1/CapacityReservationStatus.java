package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** The reservation's ledger and what is derived from it. Written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CapacityReservationStatus {
  public static final String PHASE_ACTIVE = "Active";
  public static final String PHASE_EXPIRED = "Expired";

  /** Before startAt or outside every window (docs/time-windows.md). */
  public static final String PHASE_PENDING = "Pending";

  public static final String EDGE_OPENS = "Opens";
  public static final String EDGE_CLOSES = "Closes";

  private String phase;
  private Long observedGeneration;
  private String slotCpu;
  private String slotMemory;
  private Integer active;
  private Integer idle;
  private Integer held;
  private Integer lent;
  private List<SlotHolding> ledger = new ArrayList<>();
  private List<SlotLoan> loans;
  private ReservationAccrual accrued;
  private String expiredAt;
  private String lockInEnded;
  private String nextEdge;
  private String nextEdgeKind;
  private List<Condition> conditions = new ArrayList<>();

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  /** Idle slots whose capacity is held on a node (a bound placeholder, or a hand-over). */
  public Integer getHeld() {
    return held;
  }

  public void setHeld(Integer held) {
    this.held = held;
  }

  /**
   * Slots lent to a borrower of another namespace that runs on them (docs/lending.md): billed to
   * the borrower, not the owner.
   */
  public Integer getLent() {
    return lent;
  }

  public void setLent(Integer lent) {
    this.lent = lent;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  /** The slot's vCPU after catalog defaulting. */
  public String getSlotCpu() {
    return slotCpu;
  }

  public void setSlotCpu(String slotCpu) {
    this.slotCpu = slotCpu;
  }

  /** The slot's memory after catalog defaulting. */
  public String getSlotMemory() {
    return slotMemory;
  }

  public void setSlotMemory(String slotMemory) {
    this.slotMemory = slotMemory;
  }

  public Integer getActive() {
    return active;
  }

  public void setActive(Integer active) {
    this.active = active;
  }

  public Integer getIdle() {
    return idle;
  }

  public void setIdle(Integer idle) {
    this.idle = idle;
  }

  /** Held slots, ordered by slot index. Slots not listed are idle. */
  /**
   * The reservation's loans to borrowers of other namespaces (docs/lending.md, "Restart"), by slot;
   * absent when nothing is lent. A borrower is annotated {@code borrowed} only once its started
   * loan is stored here.
   */
  public List<SlotLoan> getLoans() {
    return loans;
  }

  public void setLoans(List<SlotLoan> loans) {
    this.loans = loans;
  }

  public List<SlotHolding> getLedger() {
    return ledger;
  }

  public void setLedger(List<SlotHolding> ledger) {
    this.ledger = ledger;
  }

  public ReservationAccrual getAccrued() {
    return accrued;
  }

  public void setAccrued(ReservationAccrual accrued) {
    this.accrued = accrued;
  }

  public String getExpiredAt() {
    return expiredAt;
  }

  public void setExpiredAt(String expiredAt) {
    this.expiredAt = expiredAt;
  }

  /**
   * The {@code spec.lockInUntil} whose time has passed, recorded by the operator: the admission
   * policy has no clock, so it lets deletion and scale-down through once this is at or after {@code
   * spec.lockInUntil} (docs/capacity-reservation.md, "Lock-in").
   */
  public String getLockInEnded() {
    return lockInEnded;
  }

  public void setLockInEnded(String lockInEnded) {
    this.lockInEnded = lockInEnded;
  }

  /**
   * The next instant the reservation opens or closes (startAt, a window's edge, releaseAt); absent
   * when nothing changes within the look-ahead (docs/time-windows.md, "Status").
   */
  public String getNextEdge() {
    return nextEdge;
  }

  public void setNextEdge(String nextEdge) {
    this.nextEdge = nextEdge;
  }

  /** What happens at {@link #getNextEdge()}: {@code Opens} or {@code Closes}. */
  public String getNextEdgeKind() {
    return nextEdgeKind;
  }

  public void setNextEdgeKind(String nextEdgeKind) {
    this.nextEdgeKind = nextEdgeKind;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
