package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A ledger line: one pod holding one resident instance, since when, and what it takes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResidentInstance {
  private String pod;
  private String uid;
  private String function;
  private Long cards;
  private Long diskBytes;
  private Integer concurrency;
  private String since;
  private String node;

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public String getUid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }

  public String getFunction() {
    return function;
  }

  public void setFunction(String function) {
    this.function = function;
  }

  public Long getCards() {
    return cards;
  }

  public void setCards(Long cards) {
    this.cards = cards;
  }

  public Long getDiskBytes() {
    return diskBytes;
  }

  public void setDiskBytes(Long diskBytes) {
    this.diskBytes = diskBytes;
  }

  public Integer getConcurrency() {
    return concurrency;
  }

  public void setConcurrency(Integer concurrency) {
    this.concurrency = concurrency;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  /**
   * The node the pod was handed its held cards on (docs/capacity-holding.md "Resident pools"), or
   * absent when it was admitted unpinned.
   */
  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }
}
