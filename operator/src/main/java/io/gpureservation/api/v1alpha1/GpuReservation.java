package io.gpureservation.api.v1alpha1;

/** The API group, version and the label and annotation keys that form the public contract. */
public final class GpuReservation {
  public static final String GROUP = "gpureservation.io";
  public static final String VERSION = "v1alpha1";

  /** Pod label naming the card type; wins over the nodeSelector. */
  public static final String CARD_TYPE_LABEL = GROUP + "/card-type";

  /** Pod label joining a pod to a ResidentPool. */
  public static final String RESIDENT_POOL_LABEL = GROUP + "/resident-pool";

  /** Pod label naming the pool function a pod belongs to. */
  public static final String FUNCTION_LABEL = GROUP + "/function";

  /** Pod label or annotation with the instance concurrency of a pool function (default 1). */
  public static final String INSTANCE_CONCURRENCY = GROUP + "/instance-concurrency";

  /** Scheduling gate that holds pool pods until the pool admits them. */
  public static final String RESIDENT_POOL_GATE = GROUP + "/resident-pool";

  /** Namespace annotation marking an account with overdue payments. */
  /**
   * Scheduling gate the webhook puts on GPU pods in namespaces with reservations, so the operator
   * can hand them a held slot before the scheduler places them (docs/capacity-holding.md).
   */
  public static final String CAPACITY_GATE = GROUP + "/capacity";

  /** On a pod handed a held slot: {@code <reservation>/<slot>} (a promise, not billing). */
  public static final String HANDOVER_ANNOTATION = GROUP + "/handover";

  /** On a pod handed a held slot: when (RFC 3339), for the hand-over timeout. */
  public static final String HANDOVER_AT_ANNOTATION = GROUP + "/handover-at";

  public static final String OVERDUE_ANNOTATION = GROUP + "/overdue";

  // Annotations written by the operator, and only by it.
  public static final String BILLING_MODE_ANNOTATION = GROUP + "/billing-mode";
  public static final String RESERVATION_ANNOTATION = GROUP + "/reservation";
  public static final String BILLING_SINCE_ANNOTATION = GROUP + "/billing-since";
  public static final String REASON_ANNOTATION = GROUP + "/reason";

  /** Every annotation the operator writes (and the only ones its pod caches keep). */
  public static final java.util.List<String> OPERATOR_ANNOTATIONS =
      java.util.List.of(
          BILLING_MODE_ANNOTATION,
          RESERVATION_ANNOTATION,
          BILLING_SINCE_ANNOTATION,
          REASON_ANNOTATION);

  public static final String MODE_RESERVED = "reserved";
  public static final String MODE_RESIDENT = "resident";
  public static final String MODE_PAY_AS_YOU_GO = "pay-as-you-go";

  /** A borrower running on a slot another namespace's reservation lends it (docs/lending.md). */
  public static final String MODE_BORROWED = "borrowed";

  /**
   * The loan record on a borrower: {@code <namespace>/<reservation>/<slot>} of the lender's slot,
   * written with the pin that hands it the slot (docs/lending.md, "Borrow").
   */
  public static final String LENDER_ANNOTATION = GROUP + "/lender";

  /**
   * Scheduling gate the webhook puts on a pod that asks to borrow and that a ResidentPool of
   * another namespace may lend to (docs/lending.md, "Resident pools"); the pool lifts it.
   */
  public static final String POOL_LOAN_GATE = GROUP + "/pool-loan";

  /** On a borrower of a ResidentPool's card: {@code <namespace>/<pool>} of the lender. */
  public static final String LENDING_POOL_ANNOTATION = GROUP + "/lending-pool";

  /** Finalizer the operator puts on its own resources. */
  public static final String FINALIZER = GROUP + "/finalizer";

  private GpuReservation() {}
}
