package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where a reservation's placeholder pods may go, beyond its card type and zone. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PlaceholderSpec {
  @JsonPropertyDescription(
      "More node labels the placeholders (and so the held capacity) must be on, e.g. a node pool.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription("Taints the placeholders tolerate, e.g. a dedicated GPU node pool's.")
  private List<Toleration> tolerations = new ArrayList<>();

  @JsonPropertyDescription(
      "Hold the slots on nodes that publish their cards through Dynamic Resource Allocation: the"
          + " placeholders claim the card type from this DeviceClass (e.g. gpu.nvidia.com) instead"
          + " of requesting the GPU resource, and the reservation's DRA pods are handed exactly"
          + " the placeholder's device (docs/capacity-holding.md, \"GPUs claimed through DRA\")."
          + " Unset: the placeholders request the GPU resource (device plugin).")
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  private String deviceClassName;

  public String getDeviceClassName() {
    return deviceClassName;
  }

  public void setDeviceClassName(String deviceClassName) {
    this.deviceClassName = deviceClassName;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }
}
