package io.gpureservation.it;

import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock-in admission policy of {@code policies/} on a real API server
 * (docs/capacity-reservation.md, "Lock-in"): before {@code spec.lockInUntil}, deleting a
 * reservation and lowering its quantity are refused with a message naming the date; raising the
 * quantity and other changes pass; a lock-in in the past is refused at creation; once the operator
 * records the end, deletion and scale-down pass.
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
    Resource<CapacityReservation> r =
        cluster
            .admin()
            .resource(
                reservation(cluster.namespace(), name)
                    .quantity(quantity)
                    .lockInUntil(until)
                    .build());
    r.create();
    return r;
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
