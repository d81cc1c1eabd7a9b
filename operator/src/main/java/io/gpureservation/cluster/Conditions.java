package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Standard conditions: one entry per type, lastTransitionTime kept while the status holds. */
public final class Conditions {
  private Conditions() {}

  /** The list with the condition of the given type set; other types are kept as they are. */
  public static List<Condition> set(
      List<Condition> current,
      String type,
      boolean status,
      String reason,
      String message,
      Long observedGeneration,
      Instant now) {
    String statusText = status ? "True" : "False";
    List<Condition> result = new ArrayList<>();
    String transition = now.toString();
    for (Condition c : current == null ? List.<Condition>of() : current) {
      if (type.equals(c.getType())) {
        if (statusText.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
          transition = c.getLastTransitionTime();
        }
      } else {
        result.add(c);
      }
    }
    result.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(statusText)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(transition)
            .build());
    return result;
  }
}
