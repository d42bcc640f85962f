package io.fluxops.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The committed CRD on a real API server: accepted, served, explained, printed. */
@ExtendWith(RealCluster.class)
class CrdClusterIT {

  private static final String NAMESPACE = "crd-it";

  @BeforeAll
  static void installCrd(KwokCluster cluster) {
    Fixtures.installCrd(cluster);
    Fixtures.createNamespace(cluster, NAMESPACE);
  }

  @AfterAll
  static void deleteFluxDeployments(KwokCluster cluster) {
    Fixtures.deleteFluxDeployments(cluster, NAMESPACE);
  }

  @Test
  void theApiServerAcceptsTheCrdAsStructuralAndWithinTheCelBudget(KwokCluster cluster) {
    CustomResourceDefinition crd =
        cluster
            .admin()
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(Fixtures.CRD_NAME)
            .get();
    List<CustomResourceDefinitionCondition> conditions = crd.getStatus().getConditions();
    assertThat(conditions)
        .as("the API server's verdict on the CRD")
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Established");
              assertThat(c.getStatus()).isEqualTo("True");
            })
        .noneSatisfy(c -> assertThat(c.getType()).isEqualTo("NonStructuralSchema"));
    assertThat(crd.getStatus().getAcceptedNames().getShortNames()).containsExactly("fxd");
    // The API server compiles every CEL rule when the CRD is written and refuses the whole CRD if
    // one exceeds the cost budget; that it is established and answers is the proof. The dry run
    // shows that the rules also evaluate on an object.
    Command.Result dryRun =
        cluster
            .kubectl(
                "apply",
                "--dry-run=server",
                "-n",
                NAMESPACE,
                "-f",
                RealCluster.REPO_ROOT.resolve("examples/flux-1-dev-rtx-4090.yaml").toString())
            .run();
    assertThat(dryRun.exitCode()).as(dryRun.failure()).isZero();
  }

  @Test
  void kubectlExplainTeachesTheAutoscalingFields(KwokCluster cluster) {
    String explain = cluster.kubectl("explain", "fluxdeployment.spec.autoscaling").runOrThrow();
    Captured.write(
        "kubectl-explain-autoscaling", "kubectl explain fluxdeployment.spec.autoscaling", explain);
    assertThat(explain)
        .contains("GROUP:      fluxops.io")
        .contains("KIND:       FluxDeployment")
        .contains("Queue-depth autoscaling")
        .contains("maxReplicas\t<integer>")
        .contains("minReplicas\t<integer>")
        .contains("targetQueueDepth\t<integer>")
        .contains("scaleDownStabilizationSeconds\t<integer>")
        .contains("queue\t<Object>");
    String queue = cluster.kubectl("explain", "fxd.spec.autoscaling.queue.source").runOrThrow();
    assertThat(queue).contains("ENUM:").contains("pods").contains("redis");
  }

  @Test
  void kubectlGetPrintsThePrinterColumns(KwokCluster cluster) {
    Fixtures.applyExample(cluster, NAMESPACE, "flux-1-kontext-dev-blackwell.yaml");
    String table =
        cluster.kubectl("get", "fxd", "-n", NAMESPACE).timeout(Duration.ofSeconds(30)).runOrThrow();
    assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly(
            "NAME", "MODEL", "GPU", "TENSORRT", "READY", "DESIRED", "QUEUE", "CACHE", "AGE");
    assertThat(table).contains("kontext-blackwell").contains("flux-1-kontext-dev").contains("fp4");
    String byCategory = cluster.kubectl("get", "fluxops", "-n", NAMESPACE).runOrThrow();
    assertThat(byCategory).contains("kontext-blackwell");
  }
}
