package io.fluxops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two operator processes on one Lease: one leads, and the other takes over when it is killed. */
@ExtendWith(RealCluster.class)
class LeaderElectionClusterIT {

  private static final String NAMESPACE = "leader-it";
  private static final int LEASE_SECONDS = 10;

  @Test
  void aStandbyTakesOverWithinTheLeaseDurationWhenTheLeaderIsKilled(KwokCluster cluster)
      throws Exception {
    Deployment chart = ChartRelease.ensureInstalled(cluster);
    Fixtures.createNamespace(cluster, NAMESPACE);
    // A shorter Lease than the default 15 s, to keep the test short; the chart turns leader
    // election on by default.
    Map<String, String> env =
        Map.of("FLUXOPS_LEASE_DURATION_SECONDS", String.valueOf(LEASE_SECONDS));
    try (OperatorProcess first =
            OperatorProcess.start(
                cluster, chart, ChartRelease.kubeconfig(cluster, "leader-a"), "leader-a", env);
        OperatorProcess second =
            OperatorProcess.start(
                cluster, chart, ChartRelease.kubeconfig(cluster, "leader-b"), "leader-b", env)) {
      String leader =
          await()
              .atMost(Duration.ofSeconds(LEASE_SECONDS * 4L))
              .until(() -> holder(cluster), h -> "leader-a".equals(h) || "leader-b".equals(h));
      OperatorProcess leading = leader.equals("leader-a") ? first : second;
      OperatorProcess standby = leading == first ? second : first;

      leading.kill();
      Instant killed = Instant.now();
      await()
          .atMost(Duration.ofSeconds(LEASE_SECONDS * 2L))
          .until(() -> standby.identity().equals(holder(cluster)));
      Duration takeover = Duration.between(killed, Instant.now());
      assertThat(takeover)
          .as("from SIGKILL of the leader to the standby holding the Lease")
          .isLessThanOrEqualTo(Duration.ofSeconds(LEASE_SECONDS + 3));

      cluster
          .kubectl("apply", "-n", NAMESPACE, "-f", "-")
          .stdin(
              """
              apiVersion: fluxops.io/v1alpha1
              kind: FluxDeployment
              metadata: {name: after-takeover}
              spec:
                model: flux-1-schnell
                gpu: {type: rtx-4090}
                replicas: 1
                server: {image: example.com/flux-server:1.0}
              """)
          .runOrThrow();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  cluster
                          .admin()
                          .apps()
                          .deployments()
                          .inNamespace(NAMESPACE)
                          .withName("after-takeover")
                          .get()
                      != null);
      System.out.println(
          "Lease taken over " + takeover.toMillis() + " ms after SIGKILL of " + leading.identity());
      Fixtures.deleteFluxDeployments(cluster, NAMESPACE);
    }
  }

  private static String holder(KwokCluster cluster) {
    Lease lease =
        cluster
            .admin()
            .leases()
            .inNamespace(ChartRelease.NAMESPACE)
            .withName("fluxops-operator")
            .get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
