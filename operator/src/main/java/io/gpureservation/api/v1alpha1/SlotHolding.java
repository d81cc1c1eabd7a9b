package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** One ledger line: which pod holds which slot of a reservation, and since when. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlotHolding {
  private Integer slot;
  private String pod;
  private String podUid;
  private String since;

  public SlotHolding() {}

  public SlotHolding(int slot, String pod, String podUid, String since) {
    this.slot = slot;
    this.pod = pod;
    this.podUid = podUid;
    this.since = since;
  }

  public Integer getSlot() {
    return slot;
  }

  public void setSlot(Integer slot) {
    this.slot = slot;
  }

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public String getPodUid() {
    return podUid;
  }

  public void setPodUid(String podUid) {
    this.podUid = podUid;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SlotHolding h
        && o.getClass() == getClass()
        && Objects.equals(slot, h.slot)
        && Objects.equals(pod, h.pod)
        && Objects.equals(podUid, h.podUid)
        && Objects.equals(since, h.since);
  }

  @Override
  public int hashCode() {
    return Objects.hash(slot, pod, podUid, since);
  }
}
