package io.fluxops.cluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fluxops.operator.api.FluxDeployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The operator at fleet scale on the real control plane: 1,000 FluxDeployments in 50 namespaces on
 * 250 KWOK RTX 4090 nodes, from {@code kubectl apply} until every pod runs and every status is
 * written; then the API requests it made per reconcile, its RSS, and its writes in a minute of
 * idle. The mock-server figures are in BENCHMARKS.md beside these.
 *
 * <p>{@code ./mvnw -B -q -pl cluster -am install -DskipTests && ./mvnw -B -q -pl cluster
 * exec:exec@cluster-scale-benchmark}
 */
public final class ClusterScaleBenchmark {

  private static final int NAMESPACES = 50;
  private static final int PER_NAMESPACE = 20;
  private static final int NODES = 250;
  private static final Duration IDLE = Duration.ofSeconds(60);

  private ClusterScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    ControlPlaneBinaries binaries = RealCluster.binariesForBenchmark();
    try (KwokCluster cluster =
        KwokCluster.start(
            binaries,
            KwokCluster.defaultWorkDir(),
            "fluxops-bench",
            List.of(GpuNodePool.rtx4090(NODES, 8), GpuNodePool.cpu(1)))) {
      run(cluster);
    }
  }

  private static void run(KwokCluster cluster) throws Exception {
    Deployment chart = ChartRelease.ensureInstalled(cluster);
    StringBuilder manifests = new StringBuilder();
    for (int n = 0; n < NAMESPACES; n++) {
      manifests
          .append("---\napiVersion: v1\nkind: Namespace\nmetadata: {name: bench-")
          .append(n)
          .append("}\n");
    }
    for (int n = 0; n < NAMESPACES; n++) {
      for (int i = 0; i < PER_NAMESPACE; i++) {
        manifests.append(
            """
            ---
            apiVersion: fluxops.io/v1alpha1
            kind: FluxDeployment
            metadata: {name: fxd-%d, namespace: bench-%d}
            spec:
              model: flux-1-schnell
              gpu: {type: rtx-4090}
              replicas: 1
              server: {image: example.com/flux-server:1.0}
            """
                .formatted(i, n));
      }
    }
    int total = NAMESPACES * PER_NAMESPACE;
    Path kubeconfig = ChartRelease.kubeconfig(cluster, "bench");
    try (OperatorProcess operator =
        OperatorProcess.start(cluster, chart, kubeconfig, "bench", Map.of())) {
      Instant start = Instant.now();
      cluster
          .kubectl("apply", "--server-side", "-f", "-")
          .stdin(manifests.toString())
          .timeout(Duration.ofMinutes(5))
          .runOrThrow();
      Instant applied = Instant.now();
      // A FluxDeployment that never converges (a reconcile stuck on a request that never
      // returns, seen once here) is reported, not waited for past the deadline.
      try {
        await()
            .atMost(Duration.ofMinutes(20))
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> settled(cluster) == total && runningPods(cluster) == total);
      } catch (ConditionTimeoutException e) {
        System.out.println("not converged after 20 min: see the operator's log");
      }
      Instant converged = Instant.now();
      long settled = settled(cluster);
      long rssConverged = rssKib(operator.pid());

      List<ApiServerWrites.Audited> requests =
          ApiServerWrites.requestsSince(cluster, ChartRelease.SERVICE_ACCOUNT, start);
      long writes =
          requests.stream()
              .filter(
                  r ->
                      !r.resource().equals("leases")
                          && !r.verb().equals("get")
                          && !r.verb().equals("list")
                          && !r.verb().equals("watch"))
              .count();
      long leaseRequests = requests.stream().filter(r -> r.resource().equals("leases")).count();

      Instant idleStart = Instant.now();
      Thread.sleep(IDLE.toMillis());
      long idleWrites =
          ApiServerWrites.auditedSince(cluster, ChartRelease.SERVICE_ACCOUNT, idleStart).stream()
              .filter(w -> ApiServerWrites.OPERATOR_RESOURCES.contains(w.resource()))
              .count();
      long rssIdle = rssKib(operator.pid());

      String report =
          String.format(
              Locale.ROOT,
              """
              Real control plane (kube-apiserver, controller-manager, scheduler %s; KWOK), %d FluxDeployments in %d namespaces, %d RTX 4090 nodes
                apply took                          %6.1f s
                apply to every pod Running and
                every status written                %6.1f s (%d of %d)
                operator requests                   %d (%d writes), %.1f per FluxDeployment; %d more on its Lease
                operator writes in %d s of idle      %d
                operator RSS converged / idle       %d / %d MiB
              """,
              cluster.admin().getKubernetesVersion().getGitVersion(),
              total,
              NAMESPACES,
              NODES,
              Duration.between(start, applied).toMillis() / 1000.0,
              Duration.between(start, converged).toMillis() / 1000.0,
              settled,
              total,
              requests.size() - leaseRequests,
              writes,
              (requests.size() - leaseRequests) / (double) total,
              leaseRequests,
              IDLE.toSeconds(),
              idleWrites,
              rssConverged / 1024,
              rssIdle / 1024);
      System.out.print(report);
      Path out = RealCluster.REPO_ROOT.resolve("cluster/target/cluster-scale-benchmark.txt");
      Files.writeString(out, report);
    }
  }

  private static long settled(KwokCluster cluster) {
    return cluster
        .admin()
        .resources(FluxDeployment.class)
        .inAnyNamespace()
        .list()
        .getItems()
        .stream()
        .filter(
            fd ->
                fd.getStatus() != null
                    && Long.valueOf(1).equals(fd.getStatus().getObservedGeneration()))
        .filter(fd -> "1/1".equals(fd.getStatus().getReady()))
        .count();
  }

  private static long runningPods(KwokCluster cluster) {
    return cluster
        .admin()
        .pods()
        .inAnyNamespace()
        .withLabel("app.kubernetes.io/name", "flux-inference")
        .list()
        .getItems()
        .stream()
        .filter(FluxDeployments::runningAndReady)
        .count();
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
