package io.gpureservation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** The merge patch {@link PodEdit} sends: only what changed, under the pod's uid and version. */
class PodEditTest {
  private static Pod gated() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .withNamespace("ns")
        .withUid("u-1")
        .withResourceVersion("42")
        .addToAnnotations("gpureservation.io/reason", "PoolPending")
        .addToAnnotations("someone.else/key", "kept")
        .endMetadata()
        .withNewSpec()
        .addNewSchedulingGate("gpureservation.io/capacity")
        .addNewSchedulingGate("other.example/gate")
        .endSpec()
        .build();
  }

  @Test
  void liftingAGateAndChangingAnnotationsSendsTheRemainingGatesAndTheChangedKeysOnly() {
    Pod before = gated();
    Pod after = Serialization.clone(before);
    after.getSpec().getSchedulingGates().remove(0);
    after.getMetadata().getAnnotations().remove("gpureservation.io/reason");
    after.getMetadata().getAnnotations().put("gpureservation.io/billing-mode", "resident");

    assertThat(Serialization.asJson(PodEdit.diff(before, after)))
        .isEqualTo(
            "{\"metadata\":{\"uid\":\"u-1\",\"resourceVersion\":\"42\",\"annotations\":"
                + "{\"gpureservation.io/billing-mode\":\"resident\","
                + "\"gpureservation.io/reason\":null}},"
                + "\"spec\":{\"schedulingGates\":[{\"name\":\"other.example/gate\"}]}}");
  }

  @Test
  void theLastGateGoneRemovesTheListAndNothingChangedSendsNothing() {
    Pod before = gated();
    Pod after = Serialization.clone(before);
    after.getSpec().setSchedulingGates(new ArrayList<>());
    assertThat(Serialization.asJson(PodEdit.diff(before, after)))
        .contains("\"spec\":{\"schedulingGates\":null}")
        .doesNotContain("annotations");

    assertThat(PodEdit.diff(before, Serialization.clone(before))).isEmpty();
  }
}
