package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What one function (pod label {@code gpureservation.io/function}) holds in the pool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolFunctionStatus {
  private String name;
  private Integer residentInstances;
  private Integer instanceConcurrency;
  private Long maxConcurrentRequests;
  private Long cards;
  private String disk;
  private Integer waiting;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getResidentInstances() {
    return residentInstances;
  }

  public void setResidentInstances(Integer residentInstances) {
    this.residentInstances = residentInstances;
  }

  public Integer getInstanceConcurrency() {
    return instanceConcurrency;
  }

  public void setInstanceConcurrency(Integer instanceConcurrency) {
    this.instanceConcurrency = instanceConcurrency;
  }

  public Long getMaxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  public void setMaxConcurrentRequests(Long maxConcurrentRequests) {
    this.maxConcurrentRequests = maxConcurrentRequests;
  }

  public Long getCards() {
    return cards;
  }

  public void setCards(Long cards) {
    this.cards = cards;
  }

  public String getDisk() {
    return disk;
  }

  public void setDisk(String disk) {
    this.disk = disk;
  }

  public Integer getWaiting() {
    return waiting;
  }

  public void setWaiting(Integer waiting) {
    this.waiting = waiting;
  }
}
