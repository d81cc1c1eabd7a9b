package io.gpureservation.it;

import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.ReservationWindow;
import io.gpureservation.cluster.ClusterFixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock-in admission policy of {@code policies/} on a real API server
 * (docs/capacity-reservation.md, "Lock-in"): before {@code spec.lockInUntil}, deleting a
 * reservation, lowering its quantity, a later startAt, added or changed windows, an earlier
 * releaseAt and changed placeholder constraints are refused with a message naming the field and the
 * date; raising the quantity and other changes pass; a lock-in in the past is refused at creation;
 * once the operator records the end, deletion and scale-down pass.
 */
class LockInIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final String POLICY = "capacityreservation-lock-in.gpureservation.io";

  @BeforeAll
  static void installThePolicyAndWaitUntilItIsEnforced() {
    cluster.kubectlOk(
        "apply",
        "--server-side",
        "--field-manager=realcluster",
        "-f",
        RealCluster.repoRoot().resolve("policies").toString());
    // The admission plugin picks a new policy up from its informer: probe with a dry run.
    cluster.createNamespace("lock-in-probe");
    Resource<CapacityReservation> probe =
        cluster
            .admin()
            .resource(
                reservation("lock-in-probe", "probe")
                    .lockInUntil(inSeconds(3600).toString())
                    .build());
    probe.create();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> refusal(() -> probe.dryRun().delete()) != null);
  }

  @Test
  void policyIsServedAndItsExpressionsTypeCheckAgainstTheCrd() {
    var admission = cluster.admin().admissionRegistration().v1();
    // kube-controller-manager type-checks every expression against the CRD's schema
    ValidatingAdmissionPolicy policy =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> admission.validatingAdmissionPolicies().withName(POLICY).get(),
                p -> p.getStatus() != null && p.getStatus().getTypeChecking() != null);
    assertThat(policy.getStatus().getTypeChecking().getExpressionWarnings()).isEmpty();
    assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
    assertThat(admission.validatingAdmissionPolicyBindings().withName(POLICY).get().getSpec())
        .satisfies(b -> assertThat(b.getPolicyName()).isEqualTo(POLICY))
        .satisfies(b -> assertThat(b.getValidationActions()).containsExactly("Deny"));
  }

  @Test
  void deletingBeforeTheLockInEndsIsRefusedNamingTheDate() {
    String until = inSeconds(86_400).toString();
    Resource<CapacityReservation> r = create("locked", until, 2);

    KubernetesClientException refusal = refusal(() -> r.delete());

    assertThat(refusal).isNotNull();
    assertThat(refusal.getMessage())
        .contains("CapacityReservation locked is locked in until " + until)
        .contains("spec.lockInUntil");
    assertThat(r.get()).isNotNull();
  }

  @Test
  void loweringQuantityIsRefused_raisingItAndOtherChangesAreAllowed() {
    String until = inSeconds(86_400).toString();
    Resource<CapacityReservation> r = create("scaled", until, 2);

    KubernetesClientException refusal = refusal(() -> r.edit(c -> withQuantity(c, 1)));
    assertThat(refusal).isNotNull();
    assertThat(refusal.getMessage())
        .contains(
            "spec.quantity cannot be lowered from 2 to 1 before the lock-in ends at " + until);

    r.edit(c -> withQuantity(c, 3));
    r.edit(
        c -> {
          c.getSpec().setLockInUntil(inSeconds(2 * 86_400).toString()); // extending is a change too
          c.getSpec().setPodSelector(null);
          c.getMetadata().setLabels(java.util.Map.of("team", "a"));
          return c;
        });
    assertThat(r.get().getSpec().getQuantity()).isEqualTo(3);
  }

  // Everything else that lowers what is held or billed (docs/capacity-reservation.md, "Lock-in").
  @Test
  void aLaterStartIsRefusedNamingTheFieldAndTheDate_anEarlierOneIsAllowed() {
    String until = inSeconds(86_400).toString();
    Resource<CapacityReservation> r =
        create(lockedIn("started", until).startAt(inSeconds(600).toString()));

    String later = inSeconds(365 * 86_400).toString();
    assertRefused(
        r,
        c -> withStartAt(c, later),
        "spec.startAt cannot be moved later (to "
            + later
            + ") before the lock-in ends at "
            + until
            + " (spec.lockInUntil)");
    r.edit(c -> withStartAt(c, inSeconds(60).toString()));
    r.edit(c -> withStartAt(c, null));
    // a startAt added to a reservation live since its creation
    assertRefused(r, c -> withStartAt(c, later), "spec.startAt cannot be moved later");
  }

  @Test
  void addingOrChangingWindowsIsRefused_removingThemIsAllowed() {
    String until = inSeconds(86_400).toString();
    Resource<CapacityReservation> r =
        create(lockedIn("windowed", until).window("0 8 * * *", "UTC", "12h", null));
    String refused =
        "spec.windows cannot be added or changed before the lock-in ends at "
            + until
            + " (spec.lockInUntil)";

    assertRefused(r, c -> withWindow(c, "0 8 * * *", "1m"), refused);
    cluster.admin().resource(withWindow(r.get(), null, null)).update();
    assertRefused(r, c -> withWindow(c, "0 3 * * *", "1m"), refused);
  }

  @Test
  void anEarlierReleaseIsRefused_aLaterOneIsAllowed() {
    String until = inSeconds(86_400).toString();
    Resource<CapacityReservation> r =
        create(lockedIn("released", until).releaseAt(inSeconds(10 * 86_400).toString()));

    String earlier = inSeconds(2 * 86_400).toString();
    assertRefused(
        r,
        c -> withReleaseAt(c, earlier),
        "spec.releaseAt cannot be set earlier (to "
            + earlier
            + ") before the lock-in ends at "
            + until
            + " (spec.lockInUntil)");
    r.edit(c -> withReleaseAt(c, inSeconds(20 * 86_400).toString()));
    r.edit(c -> withReleaseAt(c, null));
    // removing, then adding an earlier one
    assertRefused(r, c -> withReleaseAt(c, earlier), "spec.releaseAt cannot be set earlier");
  }

  @Test
  void changedPlaceholderConstraintsAreRefused() {
    String until = inSeconds(86_400).toString();
    Resource<CapacityReservation> r = create("constrained", until, 1);

    assertRefused(
        r,
        c -> {
          var placeholders = new io.gpureservation.api.v1alpha1.PlaceholderSpec();
          placeholders.setNodeSelector(java.util.Map.of("no-such", "node"));
          c.getSpec().setPlaceholders(placeholders);
          return c;
        },
        "spec.placeholders cannot be changed before the lock-in ends at "
            + until
            + " (spec.lockInUntil)");
  }

  @Test
  void aLockInInThePastIsRefusedAtCreation() {
    KubernetesClientException refusal =
        refusal(
            () ->
                cluster
                    .admin()
                    .resource(
                        reservation(cluster.namespace(), "late")
                            .lockInUntil("2020-01-01T00:00:00Z")
                            .build())
                    .create());

    assertThat(refusal).isNotNull();
    assertThat(refusal.getMessage())
        .contains("spec.lockInUntil 2020-01-01T00:00:00Z is in the past");
  }

  @Test
  void theRecordedEndLiftsTheLockIn_andAnExtensionPutsItInForceAgain() {
    // What the operator writes at the end, written here by admin: the policy trusts the status.
    String until = inSeconds(86_400).toString();
    Resource<CapacityReservation> r = create("extended", until, 3);
    CapacityReservation ended = r.get();
    ended.setStatus(new io.gpureservation.api.v1alpha1.CapacityReservationStatus());
    ended.getStatus().setLockInEnded(until);
    cluster.admin().resource(ended).updateStatus();
    r.edit(c -> withQuantity(c, 2));

    String later = inSeconds(2 * 86_400).toString();
    r.edit(
        c -> {
          c.getSpec().setLockInUntil(later);
          return c;
        });

    assertThat(refusal(() -> r.edit(c -> withQuantity(c, 1))))
        .isNotNull()
        .hasMessageContaining("before the lock-in ends at " + later);
  }

  @Test
  void withoutTheOperatorsRecordTheLockInOutlastsItsDate() {
    // Fails closed: the policy has no clock, so a lock-in ends only when it is recorded.
    Instant until = inSeconds(2);
    Resource<CapacityReservation> r = create("unrecorded", until.toString(), 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(until.plusSeconds(1)));

    assertThat(refusal(() -> r.delete()))
        .isNotNull()
        .hasMessageContaining("is locked in until " + until);
  }

  @Test
  void whenTheLockInEndsTheOperatorRecordsItAndDeleteAndScaleDownPass() {
    try (ChartOperator operator = ChartOperator.start(cluster, ChartOperator.chartRbac(cluster))) {
      String until = inSeconds(5).toString();
      Resource<CapacityReservation> r = create("short", until, 2);
      assertThat(refusal(() -> r.edit(c -> withQuantity(c, 1)))).isNotNull();

      // not a timed test: wait for the condition the policy reads, recorded by the operator
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> r.get().getStatus(), s -> s != null && until.equals(s.getLockInEnded()));

      r.edit(c -> withQuantity(c, 0));
      r.delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> r.get() == null);
    }
  }

  private static Resource<CapacityReservation> create(String name, String until, int quantity) {
    return create(lockedIn(name, until).quantity(quantity));
  }

  private static ClusterFixtures.ReservationBuilder lockedIn(String name, String until) {
    return reservation(cluster.namespace(), name).lockInUntil(until);
  }

  private static Resource<CapacityReservation> create(ClusterFixtures.ReservationBuilder b) {
    Resource<CapacityReservation> r = cluster.admin().resource(b.build());
    r.create();
    return r;
  }

  private static void assertRefused(
      Resource<CapacityReservation> r, UnaryOperator<CapacityReservation> edit, String message) {
    // a PUT of the whole object, as kubectl apply of a changed manifest sends it
    assertThat(refusal(() -> cluster.admin().resource(edit.apply(r.get())).update()))
        .isNotNull()
        .hasMessageContaining(message);
  }

  // One window with the schedule and duration, or none when the schedule is null.
  private static CapacityReservation withWindow(
      CapacityReservation c, String schedule, String duration) {
    c.getSpec()
        .setWindows(
            schedule == null
                ? null
                : new java.util.ArrayList<>(
                    java.util.List.of(new ReservationWindow(schedule, "UTC", duration, null))));
    return c;
  }

  private static CapacityReservation withStartAt(CapacityReservation c, String startAt) {
    c.getSpec().setStartAt(startAt);
    return c;
  }

  private static CapacityReservation withReleaseAt(CapacityReservation c, String releaseAt) {
    c.getSpec().setReleaseAt(releaseAt);
    return c;
  }

  private static CapacityReservation withQuantity(CapacityReservation c, int quantity) {
    c.getSpec().setQuantity(quantity);
    return c;
  }

  private static Instant inSeconds(long seconds) {
    return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
  }

  private static KubernetesClientException refusal(Runnable call) {
    return catchThrowableOfType(KubernetesClientException.class, call::run);
  }
}
