package io.fluxops.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fluxops.deploy.support.HelmChart;
import io.fluxops.deploy.support.RenderedChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator's RBAC grants exactly the calls its code makes: no wildcard, nothing on Secrets, no
 * verb unused. Each expected rule below names the code that needs it; when the operator starts
 * making a new call, add it here and in the chart's fluxops.operatorRules.
 */
class RbacTest {

  /** One API resource, optionally limited to names, and the verbs granted on it. */
  record Grant(String group, String resource, Set<String> resourceNames) {}

  private static final Map<Grant, Set<String>> OPERATOR =
      grants(
          // The Java Operator SDK's informer for the primary resource.
          rule("fluxops.io", "fluxdeployments", "list", "watch"),
          // FluxDeploymentReconciler.writeStatus: with server-side apply off, the SDK's
          // PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource sends a JSON patch to /status
          // (Fabric8's editStatus on the cached object: no GET, no PUT; a 422 is retried on the
          // informer's newer copy, not read from the server).
          rule("fluxops.io", "fluxdeployments/status", "patch"),
          // WorkloadFactory.controllerReference sets blockOwnerDeletion on the owned objects; where
          // the OwnerReferencesPermissionEnforcement admission plugin runs, that needs update on
          // the owner's finalizers.
          rule("fluxops.io", "fluxdeployments/finalizers", "update"),
          // DeploymentDependent, ServiceDependent, ServiceAccountDependent and
          // PodDisruptionBudgetDependent (CRUDKubernetesDependentResource, no SSA): their
          // informers,
          // KubernetesDependentResource.create (POST) and .update (PUT with the cached
          // resourceVersion). No delete: they are GarbageCollected with no reconcile precondition,
          // so Kubernetes' garbage collector removes them with their FluxDeployment.
          rule("apps", "deployments", "list", "watch", "create", "update"),
          rule("", "services", "list", "watch", "create", "update"),
          rule("", "serviceaccounts", "list", "watch", "create", "update"),
          rule("policy", "poddisruptionbudgets", "list", "watch", "create", "update"),
          // NetworkPolicyDependent: its informer, create and update as above, and delete: its
          // reconcile precondition (GuardsServerPort) is unmet once a spec leaves proxy counting,
          // and the SDK then deletes the policy.
          rule(
              "networking.k8s.io",
              "networkpolicies",
              "list",
              "watch",
              "create",
              "update",
              "delete"),
          // LoaderJobDependent: its informer and create; a Job is never updated (its match is
          // always true: a Job's pod template cannot change). FluxDeploymentReconciler
          // .deleteSupersededLoaderJobs deletes the Jobs of loads the spec no longer asks for.
          rule("batch", "jobs", "list", "watch", "create", "delete"),
          // FluxDeploymentReconciler.prepareEventSources: the "pods" informer.
          rule("", "pods", "list", "watch"),
          // FluxDeploymentReconciler.eventsOf: one list of the namespace's events.
          rule("", "events", "list"));

  private static final Map<Grant, Set<String>> LEADER_ELECTION =
      grants(
          // Fabric8's LeaseLock.create, when no Lease exists yet.
          rule("coordination.k8s.io", "leases", "create"),
          // LeaseLock.get, and ResourceLock.update, which sends a JSON merge patch. update is never
          // sent, but the SDK's LeaderElectionManager.checkLeaseAccess refuses to start without
          // create, update and get.
          new Rule(
              "coordination.k8s.io",
              "leases",
              Set.of("fluxops-operator"),
              Set.of("get", "update", "patch")));

  @Test
  void watchingAllNamespacesGrantsExactlyTheOperatorsCallsInAClusterRole() {
    RenderedChart chart = HelmChart.render();

    assertThat(grants(chart.one(ClusterRole.class, "fluxops").getRules())).isEqualTo(OPERATOR);
    assertThat(chart.one(ClusterRoleBinding.class, "fluxops").getSubjects())
        .singleElement()
        .satisfies(RbacTest::isTheOperatorsServiceAccount);
  }

  @Test
  void watchingNamespacesGrantsTheSameInARolePerNamespaceAndNothingClusterWide() {
    RenderedChart chart = HelmChart.render("watch-namespaces.yaml");

    assertThat(chart.all(ClusterRole.class)).isEmpty();
    assertThat(chart.all(ClusterRoleBinding.class)).isEmpty();
    List<Role> roles =
        chart.all(Role.class).stream()
            .filter(r -> r.getMetadata().getName().equals("fluxops"))
            .toList();
    assertThat(roles)
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactly("flux-dev", "flux-prod");
    assertThat(roles).allSatisfy(r -> assertThat(grants(r.getRules())).isEqualTo(OPERATOR));
    assertThat(
            chart.all(RoleBinding.class).stream()
                .filter(b -> b.getMetadata().getName().equals("fluxops")))
        .extracting(b -> b.getMetadata().getNamespace())
        .containsExactly("flux-dev", "flux-prod");
  }

  @Test
  void leaderElectionMayTouchOnlyItsLeaseInTheReleaseNamespace() {
    RenderedChart chart = HelmChart.render();
    Role role = chart.one(Role.class, "fluxops-leader-election");

    assertThat(role.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(grants(role.getRules())).isEqualTo(LEADER_ELECTION);
    RoleBinding binding = chart.one(RoleBinding.class, "fluxops-leader-election");
    assertThat(binding.getRoleRef().getName()).isEqualTo("fluxops-leader-election");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(RbacTest::isTheOperatorsServiceAccount);
  }

  @Test
  void noRuleAnywhereHasAWildcardOrReachesSecrets() {
    List<PolicyRule> rules = new ArrayList<>();
    for (RenderedChart chart :
        List.of(
            HelmChart.render(),
            HelmChart.render("watch-namespaces.yaml"),
            HelmChart.render("all-switches.yaml"))) {
      chart.all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
      chart.all(Role.class).forEach(r -> rules.addAll(r.getRules()));
    }

    assertThat(rules).isNotEmpty();
    assertThat(rules)
        .allSatisfy(
            rule -> {
              assertThat(
                      Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs())
                          .flatMap(List::stream))
                  .doesNotContain("*");
              assertThat(rule.getResources()).noneMatch(r -> r.startsWith("secrets"));
              assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            });
  }

  private static void isTheOperatorsServiceAccount(Subject subject) {
    assertThat(subject.getKind()).isEqualTo("ServiceAccount");
    assertThat(subject.getName()).isEqualTo("fluxops");
    assertThat(subject.getNamespace()).isEqualTo(HelmChart.NAMESPACE);
  }

  /** A rule as written in the test: a group, a resource, names (none: all), verbs. */
  private record Rule(String group, String resource, Set<String> names, Set<String> verbs) {}

  private static Rule rule(String group, String resource, String... verbs) {
    return new Rule(group, resource, Set.of(), Set.of(verbs));
  }

  private static Map<Grant, Set<String>> grants(Rule... rules) {
    Map<Grant, Set<String>> grants = new TreeMap<>(RbacTest::compare);
    for (Rule r : rules) {
      grants
          .computeIfAbsent(
              new Grant(r.group(), r.resource(), new TreeSet<>(r.names())), g -> new TreeSet<>())
          .addAll(r.verbs());
    }
    return grants;
  }

  /** The rendered rules, one entry per group, resource and names, whatever rules they came in. */
  private static Map<Grant, Set<String>> grants(List<PolicyRule> rules) {
    Map<Grant, Set<String>> grants = new TreeMap<>(RbacTest::compare);
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          grants
              .computeIfAbsent(
                  new Grant(group, resource, new TreeSet<>(rule.getResourceNames())),
                  g -> new TreeSet<>())
              .addAll(rule.getVerbs());
        }
      }
    }
    return grants;
  }

  private static int compare(Grant a, Grant b) {
    return (a.group() + "/" + a.resource() + "/" + a.resourceNames())
        .compareTo(b.group() + "/" + b.resource() + "/" + b.resourceNames());
  }
}
