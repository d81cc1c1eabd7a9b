package io.gpureservation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One matchExpressions entry of a {@link ReservationPodSelector}, as in a label selector. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0)"
            + " : (!has(self.values) || size(self.values) == 0)",
    message = "operators In and NotIn need values; Exists and DoesNotExist take none")
public class PodSelectorRequirement {
  @Required
  @Size(max = 317)
  private String key;

  // A string, not an enum: an object stored before this rule existed still reads, and only its
  // reservation is refused (docs/capacity-reservation.md, "A reservation the operator cannot
  // read").
  @Required
  @Pattern("^(In|NotIn|Exists|DoesNotExist)$")
  private String operator;

  @Size(max = 64)
  private List<String> values;

  public PodSelectorRequirement() {}

  public PodSelectorRequirement(String key, String operator, List<String> values) {
    this.key = key;
    this.operator = operator;
    this.values = values;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getOperator() {
    return operator;
  }

  public void setOperator(String operator) {
    this.operator = operator;
  }

  public List<String> getValues() {
    return values;
  }

  public void setValues(List<String> values) {
    this.values = values;
  }
}
