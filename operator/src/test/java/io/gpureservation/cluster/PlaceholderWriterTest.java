package io.gpureservation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.holding.PlaceholderPlan;
import io.gpureservation.core.matching.SlotShape;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/capacity-holding.md, "When placeholders are refused": a refusal costs one call, and the
 * holder's next creations back off.
 */
@EnableKubernetesMockClient
class PlaceholderWriterTest {
  private static final String PATH = "/api/v1/namespaces/team-a/pods";
  private static final SlotShape SHAPE = new SlotShape("L20", 1, 8_000, 64L << 30);
  private static final String MISSING_CLASS =
      "pods \"serving-hold-0\" is forbidden: no PriorityClass with name"
          + " gpu-reservation-placeholder was found";

  KubernetesClient client;
  KubernetesMockServer server;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private PlaceholderWriter writer;

  @BeforeEach
  void writer() {
    writer =
        PlaceholderWriter.spreading(client, PlaceholderPods.of(OperatorConfig.defaults()), clock);
  }

  @Test
  void aRefusedFirstCreationSendsNoOtherAndTheNextStepWaitsForItsBackOff() {
    refuseCreations(1);

    assertThat(writer.apply(reservation(), fourPlaceholders(), SHAPE, placement()))
        .isEqualTo(MISSING_CLASS);
    assertThat(writer.apply(reservation(), fourPlaceholders(), SHAPE, placement()))
        .isEqualTo(MISSING_CLASS);
    assertThat(creationsSent()).isEqualTo(1);

    clock.advance(RefusalBackOff.FIRST);
    refuseCreations(1);
    assertThat(writer.apply(reservation(), fourPlaceholders(), SHAPE, placement()))
        .isEqualTo(MISSING_CLASS);
    clock.advance(RefusalBackOff.FIRST); // the second refusal waits twice as long
    assertThat(writer.apply(reservation(), fourPlaceholders(), SHAPE, placement()))
        .isEqualTo(MISSING_CLASS);
    assertThat(creationsSent()).isEqualTo(2);
  }

  @Test
  void anAcceptedFirstCreationSendsTheRest() {
    server.expect().post().withPath(PATH).andReturn(201, null).times(4);

    assertThat(writer.apply(reservation(), fourPlaceholders(), SHAPE, placement())).isNull();

    assertThat(creationsSent()).isEqualTo(4);
  }

  @Test
  void theBackOffDoublesToAMinuteAndIsForgottenWhenNothingIsWanted() {
    RefusalBackOff backOff = new RefusalBackOff(clock);
    for (int i = 0; i < 10; i++) {
      backOff.refused("team-a/serving", "refused");
    }
    clock.advance(RefusalBackOff.LONGEST.minus(Duration.ofMillis(1)));
    assertThat(backOff.refusedNow("team-a/serving")).isEqualTo("refused");
    clock.advance(Duration.ofMillis(1));
    assertThat(backOff.refusedNow("team-a/serving")).isNull();

    backOff.refused("team-a/serving", "refused");
    backOff.forget("team-a/serving");
    assertThat(backOff.refusedNow("team-a/serving")).isNull();
  }

  private void refuseCreations(int times) {
    server
        .expect()
        .post()
        .withPath(PATH)
        .andReturn(
            403,
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage(MISSING_CLASS)
                .build())
        .times(times);
  }

  // POSTs the server received so far (requests are taken from its queue as they are counted).
  private int creationsSent() {
    for (int i = server.getRequestCount() - requestsSeen; i > 0; i--, requestsSeen++) {
      try {
        var request = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (request != null && "POST".equals(request.getMethod())) {
          postsSeen++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return postsSeen;
  }

  private int requestsSeen;
  private int postsSeen;

  private static PlaceholderPlan fourPlaceholders() {
    Map<Integer, String> create = new HashMap<>();
    for (int slot = 0; slot < 4; slot++) {
      create.put(slot, null);
    }
    return new PlaceholderPlan(create, Set.of(), 0, 4);
  }

  private static CapacityReservation reservation() {
    CapacityReservation r = ClusterFixtures.reservation("team-a", "serving").build();
    r.getMetadata().setUid("uid-serving");
    return r;
  }

  private static PlaceholderPods.Placement placement() {
    return new PlaceholderPods.Placement(
        Catalog.defaults().nodeLabelValues("L20"), null, Map.of(), List.of(), null);
  }
}
