package io.gpureservation.core.matching;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Kubernetes label selector, evaluated without the Kubernetes client. */
public record PodSelector(Map<String, String> matchLabels, List<Requirement> requirements) {
  public static final PodSelector ALL = new PodSelector(Map.of(), List.of());

  public PodSelector {
    matchLabels = Map.copyOf(matchLabels);
    requirements = List.copyOf(requirements);
  }

  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return requirements.stream().allMatch(r -> r.matches(labels));
  }

  /** One matchExpressions entry. */
  public record Requirement(String key, Operator operator, Set<String> values) {
    public Requirement {
      values = Set.copyOf(values);
      boolean listsValues = operator == Operator.IN || operator == Operator.NOT_IN;
      if (listsValues == values.isEmpty()) {
        throw new IllegalArgumentException(
            listsValues
                ? "operator " + operator + " on key " + key + " needs at least one value"
                : "operator " + operator + " on key " + key + " takes no values");
      }
    }

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case IN -> value != null && values.contains(value);
        case NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }
  }

  /** The label selector operators. */
  public enum Operator {
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST;

    /** Parses the Kubernetes spelling (In, NotIn, Exists, DoesNotExist). */
    public static Operator parse(String text) {
      return switch (text) {
        case "In" -> IN;
        case "NotIn" -> NOT_IN;
        case "Exists" -> EXISTS;
        case "DoesNotExist" -> DOES_NOT_EXIST;
        default -> throw new IllegalArgumentException("unknown selector operator " + text);
      };
    }
  }
}
