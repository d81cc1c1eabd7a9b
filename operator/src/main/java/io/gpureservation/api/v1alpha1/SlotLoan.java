package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One loan line of a lending reservation's ledger (docs/lending.md, "Restart"): a ledger line
 * ({@code slot}, the borrower's {@code pod} and {@code podUid}, {@code since}: when the loan was
 * made or, once the borrower started, when it started) with the borrower's namespace, whether it
 * runs on the slot (only then is the slot lent and billed to it) and, while the slot is being taken
 * back, the uid of the owner's pod it is taken back for. Stored before the borrower is annotated
 * {@code borrowed}, read back after a restart.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlotLoan extends SlotHolding {
  private String namespace;
  private Boolean started;
  private String reclaimedFor;

  public SlotLoan() {}

  public SlotLoan(
      int slot,
      String namespace,
      String pod,
      String podUid,
      String since,
      boolean started,
      String reclaimedFor) {
    super(slot, pod, podUid, since);
    this.namespace = namespace;
    this.started = started;
    this.reclaimedFor = reclaimedFor;
  }

  /** The borrower's namespace. */
  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  /** Whether the borrower runs on the slot (it is then lent, billed to the borrower). */
  public Boolean getStarted() {
    return started;
  }

  public void setStarted(Boolean started) {
    this.started = started;
  }

  /** The uid of the owner's pod the slot is being taken back for, or null. */
  public String getReclaimedFor() {
    return reclaimedFor;
  }

  public void setReclaimedFor(String reclaimedFor) {
    this.reclaimedFor = reclaimedFor;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o)
        && o instanceof SlotLoan l
        && Objects.equals(namespace, l.namespace)
        && Objects.equals(started, l.started)
        && Objects.equals(reclaimedFor, l.reclaimedFor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), namespace, started, reclaimedFor);
  }
}
