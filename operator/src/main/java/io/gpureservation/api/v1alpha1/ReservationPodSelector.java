package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * Which pods of the namespace may hold a slot: a Kubernetes label selector (same fields, same
 * meaning), with bounds so that the API server can afford to check it (CEL cost budget) and refuse
 * an operator it does not know.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReservationPodSelector {
  @Size(max = 32)
  private Map<String, String> matchLabels;

  @Size(max = 16)
  private List<PodSelectorRequirement> matchExpressions;

  public ReservationPodSelector() {}

  public ReservationPodSelector(
      Map<String, String> matchLabels, List<PodSelectorRequirement> matchExpressions) {
    this.matchLabels = matchLabels;
    this.matchExpressions = matchExpressions;
  }

  public Map<String, String> getMatchLabels() {
    return matchLabels;
  }

  public void setMatchLabels(Map<String, String> matchLabels) {
    this.matchLabels = matchLabels;
  }

  public List<PodSelectorRequirement> getMatchExpressions() {
    return matchExpressions;
  }

  public void setMatchExpressions(List<PodSelectorRequirement> matchExpressions) {
    this.matchExpressions = matchExpressions;
  }
}
