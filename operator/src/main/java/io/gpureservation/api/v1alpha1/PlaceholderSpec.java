package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
