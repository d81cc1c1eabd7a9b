package io.gpureservation.it;

import static io.gpureservation.it.HelmChart.find;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Helm chart: lint, the rendered objects against the contracts (image, probes, security
 * context, least-privilege RBAC, webhook, catalog, CRDs), the values schema, and a real {@code helm
 * install}/{@code upgrade}/{@code uninstall} on the API server (certificate kept by {@code lookup},
 * CRDs updated and kept).
 */
class HelmChartIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.plain();

  private static final String FULLNAME = "r1-gpu-reservation-operator";

  private List<HasMetadata> render(String... args) {
    return HelmChart.render(cluster, "r1", "ops", args);
  }

  @Test
  void lintIsCleanForEveryCertificateSource() {
    for (String source : List.of("helm", "cert-manager")) {
      String out =
          cluster
              .helm(
                  "lint",
                  "--strict",
                  HelmChart.DIR.toString(),
                  "--set",
                  "webhook.certificate.source=" + source)
              .requireSuccess();
      assertThat(out).contains("0 chart(s) failed").doesNotContain("[WARNING]", "[ERROR]");
    }
  }

  @Test
  void deploymentRunsTheConfiguredImageNonRootWithProbesOnTheHealthServer() {
    Deployment deployment =
        find(
            render("--set", "image.repository=registry.example/gro", "--set", "image.tag=1.2.3"),
            Deployment.class,
            FULLNAME);
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("registry.example/gro:1.2.3");
    assertThat(pod.getServiceAccountName()).isEqualTo(FULLNAME);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(c.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8080", "metrics-https:8443", "webhook:9443");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(env(c))
        .containsEntry("GPU_RESOURCES", "nvidia.com/gpu")
        .containsEntry("GPU_DRIVERS", "gpu.nvidia.com")
        .containsEntry("CARD_TYPE_NODE_LABEL", "nvidia.com/gpu.product")
        .containsEntry("LEADER_ELECTION", "true")
        .containsEntry("HTTP_PORT", "8080")
        .containsEntry("METRICS_SECURE", "true")
        .containsEntry("METRICS_PORT", "8443")
        .containsEntry("WEBHOOK_PORT", "9443")
        .containsEntry("WEBHOOK_TLS_DIR", "/etc/gpu-reservation-operator/webhook-tls")
        .doesNotContainKey("CATALOG_FILE");
    assertThat(c.getEnv())
        .filteredOn(e -> e.getName().equals("POD_NAMESPACE"))
        .extracting(e -> e.getValueFrom().getFieldRef().getFieldPath())
        .containsExactly("metadata.namespace");
    assertThat(c.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/tmp", "/etc/gpu-reservation-operator/webhook-tls");
  }

  @Test
  void grafanaDashboardConfigMapCarriesTheSidecarLabelAndTheDashboard() throws Exception {
    assertThat(render().stream().map(o -> o.getMetadata().getName()))
        .doesNotContain(FULLNAME + "-dashboard");

    ConfigMap dashboard =
        find(
            render("--set", "grafanaDashboard.enabled=true"),
            ConfigMap.class,
            FULLNAME + "-dashboard");

    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getData().get("gpu-reservation.json").strip())
        .isEqualTo(
            java.nio.file.Files.readString(
                    HelmChart.DIR.resolve("files/dashboards/gpu-reservation.json"))
                .strip());
  }

  // docs/install.md, "Metrics": the Service reaches the HTTPS metrics port; plain HTTP only when
  // metrics.secure is false, and then neither the port nor the review rules are rendered.
  @Test
  void metricsServiceTargetsTheHttpsMetricsPort() {
    Service metrics = find(render(), Service.class, FULLNAME + "-metrics");
    assertThat(metrics.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("https-metrics");
              assertThat(p.getPort()).isEqualTo(8443);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics-https");
            });
    assertThat(metrics.getSpec().getSelector())
        .containsEntry("app.kubernetes.io/instance", "r1")
        .containsEntry("app.kubernetes.io/name", "gpu-reservation-operator");

    List<HasMetadata> plain = render("--set", "metrics.secure=false");
    assertThat(find(plain, Service.class, FULLNAME + "-metrics").getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
    Container c =
        find(plain, Deployment.class, FULLNAME)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(c.getPorts()).extracting(p -> p.getName()).containsExactly("http", "webhook");
    assertThat(env(c)).containsEntry("METRICS_SECURE", "false");
    assertThat(find(plain, ClusterRole.class, FULLNAME).getRules())
        .flatExtracting(PolicyRule::getResources)
        .doesNotContain("tokenreviews", "subjectaccessreviews");
    assertThat(plain)
        .noneMatch(o -> o.getMetadata().getName().equals(FULLNAME + "-metrics-reader"));
  }

  // docs/install.md, "Metrics": the operator may review tokens, a scraper needs only the
  // metrics-reader ClusterRole, which the chart binds to metrics.readers.
  @Test
  void metricsReaderClusterRoleGrantsGetOnMetricsOnlyAndIsBoundToTheReaders() {
    List<HasMetadata> objects =
        render(
            "--set",
            "metrics.readers[0].kind=ServiceAccount",
            "--set",
            "metrics.readers[0].name=prometheus",
            "--set",
            "metrics.readers[0].namespace=monitoring");
    assertThat(find(objects, ClusterRole.class, FULLNAME).getRules())
        .anySatisfy(
            r -> {
              assertThat(r.getApiGroups()).containsExactly("authentication.k8s.io");
              assertThat(r.getResources()).containsExactly("tokenreviews");
              assertThat(r.getVerbs()).containsExactly("create");
            })
        .anySatisfy(
            r -> {
              assertThat(r.getApiGroups()).containsExactly("authorization.k8s.io");
              assertThat(r.getResources()).containsExactly("subjectaccessreviews");
              assertThat(r.getVerbs()).containsExactly("create");
            });
    assertThat(find(objects, ClusterRole.class, FULLNAME + "-metrics-reader").getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getNonResourceURLs()).containsExactly("/metrics");
              assertThat(r.getVerbs()).containsExactly("get");
              assertThat(r.getResources()).isNullOrEmpty();
            });
    ClusterRoleBinding binding =
        find(objects, ClusterRoleBinding.class, FULLNAME + "-metrics-reader");
    assertThat(binding.getRoleRef().getName()).isEqualTo(FULLNAME + "-metrics-reader");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo("prometheus");
              assertThat(s.getNamespace()).isEqualTo("monitoring");
            });
    assertThat(render())
        .noneMatch(
            o ->
                o instanceof ClusterRoleBinding
                    && o.getMetadata().getName().equals(FULLNAME + "-metrics-reader"));
  }

  @Test
  void rbacIsLeastPrivilegeWithoutWildcardsOrSecrets() {
    List<HasMetadata> objects = render();
    List<PolicyRule> rules = find(objects, ClusterRole.class, FULLNAME).getRules();
    List<PolicyRule> leaseRules =
        find(objects, Role.class, FULLNAME + "-leader-election").getRules();
    for (PolicyRule rule : Stream.concat(rules.stream(), leaseRules.stream()).toList()) {
      assertThat(rule.getVerbs()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*", "secrets");
      assertThat(rule.getApiGroups()).doesNotContain("*");
    }
    assertThat(rules)
        .flatExtracting(PolicyRule::getResources)
        .doesNotContain("customresourcedefinitions", "leases");
    assertThat(leaseRules)
        .allSatisfy(r -> assertThat(r.getResources()).containsExactly("leases"))
        .anySatisfy(
            r -> assertThat(r.getResourceNames()).containsExactly("gpu-reservation-operator"));
    assertThat(find(objects, ServiceAccount.class, FULLNAME).getMetadata().getNamespace())
        .isEqualTo("ops");
  }

  @Test
  void webhookFollowsTheContractAndTrustsTheGeneratedCertificate() throws Exception {
    List<HasMetadata> objects = render();
    MutatingWebhook webhook =
        find(objects, MutatingWebhookConfiguration.class, FULLNAME).getWebhooks().get(0);
    assertThat(webhook.getFailurePolicy()).isEqualTo("Fail");
    assertThat(webhook.getSideEffects()).isEqualTo("None");
    assertThat(webhook.getReinvocationPolicy()).isEqualTo("Never");
    assertThat(webhook.getTimeoutSeconds()).isEqualTo(10);
    assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
    assertThat(webhook.getObjectSelector().getMatchExpressions().get(0).getKey())
        .isEqualTo("gpureservation.io/resident-pool");
    assertThat(webhook.getObjectSelector().getMatchExpressions().get(0).getOperator())
        .isEqualTo("Exists");
    assertThat(webhook.getRules().get(0).getOperations()).containsExactly("CREATE");
    assertThat(webhook.getRules().get(0).getResources()).containsExactly("pods");
    var service = webhook.getClientConfig().getService();
    assertThat(service.getName()).isEqualTo(FULLNAME + "-webhook");
    assertThat(service.getPort()).isEqualTo(443);
    assertThat(service.getPath()).isEqualTo("/mutate-pods");
    assertThat(find(objects, Service.class, FULLNAME + "-webhook").getSpec().getPorts().get(0))
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("webhook"));

    Secret tls = find(objects, Secret.class, FULLNAME + "-webhook-tls");
    X509Certificate ca = certificate(webhook.getClientConfig().getCaBundle());
    X509Certificate serving = certificate(tls.getData().get("tls.crt"));
    serving.verify(ca.getPublicKey());
    assertThat(serving.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)))
        .contains(FULLNAME + "-webhook.ops.svc");
    assertThat(tls.getData().get("ca.crt")).isEqualTo(webhook.getClientConfig().getCaBundle());
  }

  @Test
  void certManagerSourceLetsTheInjectorFillTheCaBundle() {
    List<HasMetadata> objects = render("--set", "webhook.certificate.source=cert-manager");
    var mwc = find(objects, MutatingWebhookConfiguration.class, FULLNAME);
    assertThat(mwc.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", "ops/" + FULLNAME + "-webhook");
    assertThat(mwc.getWebhooks().get(0).getClientConfig().getCaBundle()).isNull();
    assertThat(objects).noneMatch(o -> o instanceof Secret);
    assertThat(objects).extracting(HasMetadata::getKind).contains("Certificate", "Issuer");
  }

  @Test
  void catalogOverrideIsMountedAsTheCatalogFile() {
    List<HasMetadata> objects =
        render("--set-json", "catalog={\"aliases\":{\"NVIDIA-L20\":\"L20\"}}");
    var configMap =
        find(objects, io.fabric8.kubernetes.api.model.ConfigMap.class, FULLNAME + "-catalog");
    assertThat(configMap.getData().get("catalog.yaml")).contains("NVIDIA-L20: L20");
    Container c =
        find(objects, Deployment.class, FULLNAME)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(env(c))
        .containsEntry("CATALOG_FILE", "/etc/gpu-reservation-operator/catalog/catalog.yaml");
    assertThat(c.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/etc/gpu-reservation-operator/catalog");
  }

  @Test
  void schemaRefusesBadValues() {
    for (String bad :
        List.of(
            "replicas=-1",
            "webhook.failurePolicy=Sometimes",
            "webhook.certificate.source=vault",
            "image.pullPolicy=Often",
            "unknownKey=1")) {
      RealCluster.Result result = HelmChart.template(cluster, "r1", "ops", "--set", bad);
      assertThat(result.exitCode()).as(bad).isNotZero();
      assertThat(result.output()).as(bad).contains("schema");
    }
  }

  /** docs/install.md "Supported Kubernetes versions": 1.35–1.37. */
  @Test
  void chartInstallsOnSupportedKubernetesVersionsOnly() {
    for (String supported : List.of("1.35.0", "1.36.3", RealCluster.kubernetesVersion())) {
      assertThat(HelmChart.template(cluster, "r1", "ops", "--kube-version", supported).exitCode())
          .as(supported)
          .isZero();
    }
    RealCluster.Result old = HelmChart.template(cluster, "r1", "ops", "--kube-version", "1.34.4");
    assertThat(old.exitCode()).isNotZero();
    assertThat(old.output()).contains(">=1.35.0-0");
  }

  @Test
  void everyCommittedCrdIsATemplateKeptOnUninstall() throws Exception {
    List<CustomResourceDefinition> crds =
        render().stream()
            .filter(CustomResourceDefinition.class::isInstance)
            .map(CustomResourceDefinition.class::cast)
            .toList();
    assertThat(crds).hasSize(committedCrdCount());
    assertThat(crds)
        .allSatisfy(
            crd ->
                assertThat(crd.getMetadata().getAnnotations())
                    .containsEntry("helm.sh/resource-policy", "keep"));
    assertThat(render("--set", "crds.install=false"))
        .noneMatch(CustomResourceDefinition.class::isInstance);
  }

  @Test
  void policiesAreRenderedFromPoliciesAndKeptOnUninstall() throws Exception {
    List<HasMetadata> committed =
        Stream.of("capacityreservation-lock-in.yaml", "placeholder-pods.yaml")
            .flatMap(f -> load(RealCluster.repoRoot().resolve("policies").resolve(f)).stream())
            .toList();
    List<HasMetadata> rendered = render();
    for (HasMetadata policy : committed) {
      HasMetadata same = find(rendered, policy.getClass(), policy.getMetadata().getName());
      assertThat(same.getMetadata().getAnnotations())
          .containsEntry("helm.sh/resource-policy", "keep");
      if (policy instanceof ValidatingAdmissionPolicy p) {
        assertThat(((ValidatingAdmissionPolicy) same).getSpec()).isEqualTo(p.getSpec());
      }
    }
    assertThat(render("--set", "crds.install=false"))
        .noneMatch(o -> o instanceof ValidatingAdmissionPolicy);
  }

  // docs/capacity-holding.md, "Placeholders only the operator controls": the binding and its
  // parameters name this release's ServiceAccount and placeholder class.
  @Test
  void placeholderPolicyIsBoundToThisReleasesServiceAccountAndClass() {
    List<HasMetadata> rendered = render("--set", "capacityHolding.priorityClass.name=held-gpus");
    ValidatingAdmissionPolicyBinding binding =
        find(rendered, ValidatingAdmissionPolicyBinding.class, FULLNAME + "-placeholder-pods");
    assertThat(binding.getSpec().getPolicyName()).isEqualTo("placeholder-pods.gpureservation.io");
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    assertThat(binding.getSpec().getParamRef().getName()).isEqualTo(FULLNAME + "-placeholders");
    assertThat(binding.getSpec().getParamRef().getNamespace()).isEqualTo("ops");
    assertThat(find(rendered, ConfigMap.class, FULLNAME + "-placeholders").getData())
        .containsEntry("serviceAccount", "system:serviceaccount:ops:" + FULLNAME)
        .containsEntry("priorityClass", "held-gpus");
    assertThat(render("--set", "capacityHolding.enabled=false"))
        .noneMatch(
            o ->
                o instanceof ValidatingAdmissionPolicyBinding b
                    && b.getMetadata().getName().endsWith("-placeholder-pods"));
  }

  // docs/install.md, "Multi-tenant hardening": the webhook port open, the metrics port only to the
  // peers named.
  @Test
  void networkPolicyLetsOnlyTheNamedPeersReachTheMetricsPort() {
    assertThat(render()).noneMatch(NetworkPolicy.class::isInstance);
    NetworkPolicy policy =
        find(
            render(
                "--set",
                "networkPolicy.enabled=true",
                "--set",
                "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.team=monitoring"),
            NetworkPolicy.class,
            FULLNAME);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/instance", "r1");
    assertThat(policy.getSpec().getIngress()).hasSize(2);
    assertThat(policy.getSpec().getIngress().get(0).getFrom()).isEmpty();
    assertThat(policy.getSpec().getIngress().get(0).getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("webhook"));
    assertThat(policy.getSpec().getIngress().get(1).getFrom())
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.getNamespaceSelector().getMatchLabels())
                    .containsEntry("team", "monitoring"));
    assertThat(policy.getSpec().getIngress().get(1).getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("metrics-https"));
  }

  @Test
  void installUpgradeAndUninstallOnARealApiServer() {
    String ns = cluster.namespace();
    String chart = HelmChart.DIR.toString();
    cluster.helm("install", "r1", chart, "-n", ns).requireSuccess();
    var admin = cluster.admin();
    assertThat(admin.apps().deployments().inNamespace(ns).withName(FULLNAME).get()).isNotNull();
    assertThat(admin.serviceAccounts().inNamespace(ns).withName(FULLNAME).get()).isNotNull();
    assertThat(admin.rbac().clusterRoles().withName(FULLNAME).get()).isNotNull();
    String caBundle = caBundle();
    Secret tls = admin.secrets().inNamespace(ns).withName(FULLNAME + "-webhook-tls").get();
    assertThat(tls.getData().get("ca.crt")).isEqualTo(caBundle);
    for (String crd : committedCrdNames()) {
      assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(crd).get())
          .as(crd)
          .isNotNull();
    }

    var policies = admin.admissionRegistration().v1().validatingAdmissionPolicies();
    assertThat(policies.withName("capacityreservation-lock-in.gpureservation.io").get())
        .isNotNull();

    cluster.helm("upgrade", "r1", chart, "-n", ns, "--set", "replicas=2").requireSuccess();
    assertThat(admin.apps().deployments().inNamespace(ns).withName(FULLNAME).get())
        .satisfies(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(2));
    assertThat(caBundle()).as("lookup keeps the certificate on upgrade").isEqualTo(caBundle);
    assertThat(admin.secrets().inNamespace(ns).withName(FULLNAME + "-webhook-tls").get())
        .satisfies(s -> assertThat(s.getData()).isEqualTo(tls.getData()));

    cluster.helm("uninstall", "r1", "-n", ns).requireSuccess();
    assertThat(admin.apps().deployments().inNamespace(ns).withName(FULLNAME).get()).isNull();
    for (String crd : committedCrdNames()) {
      assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(crd).get())
          .as("uninstall keeps " + crd)
          .isNotNull();
    }
    assertThat(policies.withName("capacityreservation-lock-in.gpureservation.io").get())
        .as("uninstall keeps the lock-in policy with the reservations")
        .isNotNull();
  }

  private String caBundle() {
    return cluster
        .admin()
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(FULLNAME)
        .get()
        .getWebhooks()
        .get(0)
        .getClientConfig()
        .getCaBundle();
  }

  private static Map<String, String> env(Container c) {
    return c.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static X509Certificate certificate(String base64Pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
  }

  private static List<Path> committedCrds() throws Exception {
    Path dir = RealCluster.repoRoot().resolve("crds");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }

  private static List<HasMetadata> load(Path file) {
    try (var in = Files.newInputStream(file)) {
      return cluster.admin().load(in).items();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int committedCrdCount() throws Exception {
    return committedCrds().size();
  }

  private List<String> committedCrdNames() {
    try {
      return committedCrds().stream()
          .flatMap(f -> load(f).stream())
          .map(o -> o.getMetadata().getName())
          .toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
