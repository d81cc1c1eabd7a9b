package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.gpuPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gpureservation.cluster.EventRecorder;
import io.gpureservation.cluster.MutableClock;
import io.gpureservation.core.matching.PodBilling;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The annotation projection when the API server will not take it. */
@EnableKubernetesMockClient(crud = true)
class PodAnnotatorTest {
  KubernetesClient client;
  KubernetesMockServer server;

  // docs/billing.md, "Chargeback metrics": annotations padded to their size limit hide nothing;
  // the pod gets an Event saying so (the ledger and the metrics still bill it).
  @Test
  void annotationsTheApiServerRefusesAreReportedInAnEventOnThePod() {
    Pod pod = client.resource(gpuPod("team-a", "padded").build()).create();
    server
        .expect()
        .patch()
        .withPath("/api/v1/namespaces/team-a/pods/padded")
        .andReturn(
            422,
            new StatusBuilder()
                .withCode(422)
                .withReason("Invalid")
                .withMessage(
                    "Pod \"padded\" is invalid: metadata.annotations: Too long: must have at most"
                        + " 262144 bytes")
                .build())
        .once();
    PodAnnotator annotator =
        new PodAnnotator(
            client,
            new EventRecorder(client, new MutableClock(Instant.parse("2026-06-01T00:00:00Z"))));
    Map<String, String> desired =
        PodAnnotator.desired(
                new PodBilling.PayAsYouGo(
                    "NoMatchingReservation", Instant.parse("2026-06-01T00:00:00Z")),
                List.of())
            .orElseThrow();

    assertThat(annotator.apply(pod, desired)).isNull();

    assertThat(client.v1().events().inNamespace("team-a").list().getItems())
        .singleElement()
        .satisfies(
            (Event e) -> {
              assertThat(e.getReason()).isEqualTo(PodAnnotator.ANNOTATION_REFUSED);
              assertThat(e.getInvolvedObject().getName()).isEqualTo("padded");
              assertThat(e.getMessage())
                  .contains("(pay-as-you-go): the pod is billed all the same");
            });
  }

  // docs/architecture.md, "Ledger first, annotation second", for a borrower (docs/lending.md,
  // "Restart"): "borrowed" only once the lender's stored status holds the started loan line.
  @Test
  void aBorrowerIsAnnotatedBorrowedOnlyOnceItsStartedLoanLineIsStored() {
    Instant since = Instant.parse("2026-06-01T10:00:00Z");
    io.gpureservation.core.matching.Loan started =
        new io.gpureservation.core.matching.Loan(
            "gpu", 1, "uid-b", "team-batch", "batch", since, true, null);
    io.gpureservation.api.v1alpha1.SlotLoan line =
        new io.gpureservation.api.v1alpha1.SlotLoan(
            1, "team-batch", "batch", "uid-b", since.toString(), true, null);
    io.gpureservation.api.v1alpha1.SlotLoan notYetStarted =
        new io.gpureservation.api.v1alpha1.SlotLoan(
            1, "team-batch", "batch", "uid-b", "2026-06-01T09:59:58Z", false, null);

    assertThat(PodAnnotator.borrowed("team-a", started, List.of())).isEmpty();
    assertThat(
            PodAnnotator.borrowed(
                "team-a",
                started,
                List.of(new StoredLedgers.LoanLine("team-a", "gpu", notYetStarted))))
        .isEmpty();
    assertThat(
            PodAnnotator.borrowed(
                "team-a", started, List.of(new StoredLedgers.LoanLine("team-b", "gpu", line))))
        .isEmpty(); // another lender's line
    assertThat(
            PodAnnotator.borrowed(
                "team-a", started, List.of(new StoredLedgers.LoanLine("team-a", "gpu", line))))
        .hasValueSatisfying(
            a ->
                assertThat(a)
                    .containsEntry("gpureservation.io/billing-mode", "borrowed")
                    .containsEntry("gpureservation.io/reservation", "team-a/gpu/1")
                    .containsEntry("gpureservation.io/billing-since", since.toString()));
    // not started: none of the operator's keys, stored or not
    assertThat(
            PodAnnotator.borrowed(
                "team-a",
                new io.gpureservation.core.matching.Loan(
                    "gpu", 1, "uid-b", "team-batch", "batch", since, false, null),
                List.of()))
        .hasValueSatisfying(a -> assertThat(a.values()).containsOnlyNulls());
  }
}
