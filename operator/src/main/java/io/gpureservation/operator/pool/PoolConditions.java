package io.gpureservation.operator.pool;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The pool's condition types and reasons, and the upsert that keeps lastTransitionTime. */
final class PoolConditions {
  /** True while the pool is Active (admits pods). */
  static final String READY = "Ready";

  /** False while a spec change (scale-out, renewal) is refused; the reason says why. */
  static final String SPEC_APPLIED = "SpecApplied";

  /** False when the billing engine could not price the pool (unknown region or card series). */
  static final String FEES_COMPUTED = "FeesComputed";

  static final String REASON_APPLIED = "Applied";
  static final String REASON_PRICED = "Priced";
  static final String REASON_PRICE_UNAVAILABLE = "PriceUnavailable";

  private PoolConditions() {}

  /**
   * Sets a condition in {@code conditions}, keeping its lastTransitionTime when the status does not
   * change.
   */
  static List<Condition> upsert(
      List<Condition> conditions,
      String type,
      boolean status,
      String reason,
      String message,
      Long generation,
      Instant now) {
    List<Condition> result = new ArrayList<>();
    String statusText = status ? "True" : "False";
    String since = now.toString();
    for (Condition c : conditions) {
      if (type.equals(c.getType())) {
        if (statusText.equals(c.getStatus())) {
          since = c.getLastTransitionTime();
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
            .withObservedGeneration(generation)
            .withLastTransitionTime(since)
            .build());
    result.sort(java.util.Comparator.comparing(Condition::getType));
    return result;
  }
}
