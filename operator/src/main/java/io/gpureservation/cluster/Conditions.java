package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

  /** The condition of the given type, or null. */
  public static Condition find(List<Condition> conditions, String type) {
    return conditions == null
        ? null
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  /**
   * The Event for a change of {@code CapacityHeld} (docs/capacity-holding.md "Held or not"): none
   * while its status holds; else Normal {@code CapacityHeld} when all is held, or a Warning with
   * the condition's reason, named after the transition time so it is recorded once.
   */
  public static Optional<ObjectEvent> capacityHeldChange(Condition before, Condition after) {
    if (after == null || (before != null && before.getStatus().equals(after.getStatus()))) {
      return Optional.empty();
    }
    String name = "capacityheld-" + after.getLastTransitionTime();
    return Optional.of(
        "True".equals(after.getStatus())
            ? ObjectEvent.normal(name, "CapacityHeld", after.getMessage())
            : ObjectEvent.warning(name, after.getReason(), after.getMessage()));
  }
}
