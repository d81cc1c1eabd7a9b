package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.cluster.EventRecorder;
import io.gpureservation.cluster.ObjectEvent;
import io.gpureservation.cluster.PodPatch;
import io.gpureservation.core.matching.Loan;
import io.gpureservation.core.matching.PodBilling;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects a pod's billing onto its annotations. Only the operator's own keys are touched, with a
 * JSON merge patch; nothing is written when the pod already shows the right values.
 */
final class PodAnnotator {
  private static final Logger LOG = LoggerFactory.getLogger(PodAnnotator.class);

  static final List<String> KEYS = GpuReservation.OPERATOR_ANNOTATIONS;

  /** Reason of the Event on a pod whose billing annotations the API server refused. */
  static final String ANNOTATION_REFUSED = "BillingAnnotationRefused";

  private final KubernetesClient client;
  private final EventRecorder events;

  PodAnnotator(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /**
   * The annotation values (a null value means "absent") that project the stored ledger and the
   * matcher's decision onto a pod; empty while the two disagree, that is while a ledger write is
   * still to come. A pod is annotated "reserved" only with a line its reservation's stored status
   * holds, and "pay-as-you-go" only when no stored status holds it (docs/architecture.md, "Ledger
   * first, annotation second").
   */
  static Optional<Map<String, String>> desired(
      PodBilling billing, List<StoredLedgers.Line> stored) {
    if (billing instanceof PodBilling.Reserved r) {
      return stored.stream()
          .filter(l -> l.reservation().equals(r.reservation()) && l.slot() == r.slot())
          .findFirst()
          .map(
              l ->
                  values(
                      GpuReservation.MODE_RESERVED,
                      r.reservation() + "/" + r.slot(),
                      l.since(),
                      null));
    }
    if (!stored.isEmpty()) {
      return Optional.empty();
    }
    if (billing instanceof PodBilling.PayAsYouGo p) {
      return Optional.of(
          values(GpuReservation.MODE_PAY_AS_YOU_GO, null, p.since().toString(), p.reason()));
    }
    return Optional.of(values(null, null, null, null)); // not started: none of the operator's keys
  }

  /**
   * The annotations of a borrower (docs/lending.md, "Borrow"): {@code borrowed}, the lender's slot
   * as {@code <namespace>/<reservation>/<slot>} and since when it runs on it — only once the
   * lender's stored status holds that started loan (docs/architecture.md, "Ledger first, annotation
   * second"); empty until then. None of the operator's keys until it has started.
   */
  static Optional<Map<String, String>> borrowed(
      String lenderNamespace, Loan loan, List<StoredLedgers.LoanLine> stored) {
    if (!loan.started()) {
      return Optional.of(values(null, null, null, null));
    }
    String since = loan.since().toString();
    boolean recorded =
        stored.stream()
            .anyMatch(
                l ->
                    l.namespace().equals(lenderNamespace)
                        && l.reservation().equals(loan.reservation())
                        && Objects.equals(l.loan().getSlot(), loan.slot())
                        && Boolean.TRUE.equals(l.loan().getStarted())
                        && since.equals(l.loan().getSince()));
    if (!recorded) {
      return Optional.empty();
    }
    return Optional.of(
        values(
            GpuReservation.MODE_BORROWED,
            lenderNamespace + "/" + loan.reservation() + "/" + loan.slot(),
            since,
            null));
  }

  private static Map<String, String> values(
      String mode, String reservation, String since, String reason) {
    Map<String, String> result = new LinkedHashMap<>();
    result.put(GpuReservation.BILLING_MODE_ANNOTATION, mode);
    result.put(GpuReservation.RESERVATION_ANNOTATION, reservation);
    result.put(GpuReservation.BILLING_SINCE_ANNOTATION, since);
    result.put(GpuReservation.REASON_ANNOTATION, reason);
    return result;
  }

  /** Whether the pod already carries exactly the desired values. */
  static boolean matches(Pod pod, Map<String, String> desired) {
    Map<String, String> actual = pod.getMetadata().getAnnotations();
    Map<String, String> current = actual == null ? Map.of() : actual;
    return desired.entrySet().stream()
        .allMatch(e -> Objects.equals(current.get(e.getKey()), e.getValue()));
  }

  /**
   * Patches the pod if needed and returns it as stored; returns the pod unchanged when nothing was
   * needed, and null when the pod is gone or was replaced by another of the same name. Values are
   * set with a JSON merge patch carrying the pod's uid (the API server refuses it for another pod);
   * keys are removed with a JSON patch that first tests the uid. Neither touches annotations the
   * operator does not own.
   */
  Pod apply(Pod pod, Map<String, String> desired) {
    if (matches(pod, desired)) {
      return pod;
    }
    Map<String, String> current =
        pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
    Map<String, String> values = new LinkedHashMap<>();
    List<Map<String, Object>> removals = new ArrayList<>();
    desired.forEach(
        (key, value) -> {
          if (value != null) {
            values.put(key, value);
          } else if (current.containsKey(key)) {
            removals.add(op("remove", "/metadata/annotations/" + escape(key), null));
          }
        });
    try {
      Pod stored = pod;
      if (!values.isEmpty()) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("uid", pod.getMetadata().getUid());
        metadata.put("annotations", values);
        stored = patch(pod, PatchType.JSON_MERGE, Map.of("metadata", metadata));
      }
      if (!removals.isEmpty()) {
        removals.add(0, op("test", "/metadata/uid", pod.getMetadata().getUid()));
        stored = patch(pod, PatchType.JSON, removals);
      }
      return stored;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return null;
      }
      if (e.getCode() == 422 && String.valueOf(e.getMessage()).contains("annotations")) {
        // e.g. annotations padded to the size limit: the ledger bills the pod all the same, and
        // the metrics count it from the ledger (docs/billing.md, "Chargeback metrics")
        events.record(
            pod,
            ObjectEvent.warning(
                "billing-annotation-refused",
                ANNOTATION_REFUSED,
                "the API server refused the operator's billing annotations ("
                    + desired.get(GpuReservation.BILLING_MODE_ANNOTATION)
                    + "): the pod is billed all the same, in its reservation's ledger and the"
                    + " chargeback metrics; make room in its annotations to see the mode on it"));
        return null;
      }
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == 422) {
        LOG.info(
            "pod {}/{} was not annotated ({}): replaced by another pod of that name?",
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(),
            e.getMessage());
        return null;
      }
      throw e;
    }
  }

  // No GET first: the uid in the body (merge) or the test op (JSON patch) is the precondition.
  private Pod patch(Pod pod, PatchType type, Object body) {
    return PodPatch.patch(client, pod, type, body);
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static Map<String, Object> op(String op, String path, Object value) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("op", op);
    result.put("path", path);
    if (value != null) {
      result.put("value", value);
    }
    return result;
  }
}
