package io.fluxops.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.testing.MockCluster;
import io.fluxops.operator.testing.RecordingCrudDispatcher.Fault;
import io.fluxops.operator.testing.RecordingCrudDispatcher.Write;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes the API server refuses or never answers: the operator converges without storms. */
class ApiServerFaultsTest {

  private static final String NS = "faults";
  private static final Duration CONVERGED = Duration.ofSeconds(40);

  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster().startOperator();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void conflictsAndServerErrorsOnCreatesConvergeToOneOfEachObject() {
    cluster.dispatcher().inject(creates("deployments"), 3, Fault.status(409));
    cluster.dispatcher().inject(creates("services"), 3, Fault.status(500));

    cluster.apply("flux-tools-rtx-4090.yaml", NS);

    await()
        .atMost(CONVERGED)
        .until(
            () ->
                "True"
                    .equals(
                        cluster
                            .condition(NS, "tools-4090", ConditionType.PROGRESSING)
                            .getStatus()));
    assertThat(cluster.client().apps().deployments().inNamespace(NS).list().getItems()).hasSize(1);
    assertThat(cluster.client().services().inNamespace(NS).list().getItems()).hasSize(1);
    assertThat(cluster.dispatcher().failedWrites()).hasSize(6);
    assertThat(failedReconciles()).isGreaterThanOrEqualTo(1);
    // Three refused attempts and one that landed: no duplicate creates, no hot loop.
    assertThat(cluster.dispatcher().writes().stream().filter(creates("deployments")).count())
        .isEqualTo(1L);
    assertThat(cluster.dispatcher().failedWrites().stream().filter(creates("deployments")).count())
        .isEqualTo(3L);
  }

  @Test
  void writesThatTimeOutAreRetriedUntilTheyLand() {
    cluster
        .dispatcher()
        .inject(creates("poddisruptionbudgets"), 2, Fault.hang(Duration.ofSeconds(3)));

    cluster.apply("flux-tools-rtx-4090.yaml", NS);

    await()
        .atMost(CONVERGED)
        .until(
            () ->
                cluster
                        .client()
                        .policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace(NS)
                        .withName("tools-4090")
                        .get()
                    != null);
    assertThat(
            cluster.client().policy().v1().podDisruptionBudget().inNamespace(NS).list().getItems())
        .hasSize(1);
  }

  @Test
  void conflictingStatusPatchesAreRetried() {
    cluster
        .dispatcher()
        .inject(
            w -> w.path().contains("/fluxdeployments/") && w.path().endsWith("/status"),
            3,
            Fault.status(409));

    cluster.apply("flux-tools-rtx-4090.yaml", NS);

    await()
        .atMost(CONVERGED)
        .untilAsserted(
            () ->
                assertThat(cluster.status(NS, "tools-4090").getObservedGeneration()).isEqualTo(1L));
  }

  @Test
  void persistentFailureIsReportedInStatusAndBacksOff() {
    cluster.dispatcher().inject(creates("deployments"), Integer.MAX_VALUE, Fault.status(500));

    cluster.apply("flux-tools-rtx-4090.yaml", NS);

    await()
        .atMost(CONVERGED)
        .untilAsserted(
            () ->
                assertThat(cluster.condition(NS, "tools-4090", ConditionType.READY).getReason())
                    .isEqualTo("ReconcileError"));
    long attempts = cluster.dispatcher().failedWrites().size();
    await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
    // Exponential backoff from 1 s: within 5 more seconds at most 3 more attempts.
    assertThat(cluster.dispatcher().failedWrites().size() - attempts).isLessThanOrEqualTo(3);
  }

  private double failedReconciles() {
    return cluster.registry().find("operator.sdk.reconciliations.failed").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static Predicate<Write> creates(String resource) {
    return w -> "POST".equals(w.method()) && w.path().contains("/" + resource);
  }
}
