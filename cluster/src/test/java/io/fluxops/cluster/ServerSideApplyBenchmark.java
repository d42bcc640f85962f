package io.fluxops.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-side apply or not, measured on the real control plane ({@link OwnedObjectEdits}): both
 * modes, one after the other on one cluster, printed as the table in BENCHMARKS.md.
 *
 * <p>{@code ./mvnw -B -q -pl cluster -am install -DskipTests && ./mvnw -B -q -pl cluster
 * exec:exec@server-side-apply-benchmark}
 */
public final class ServerSideApplyBenchmark {

  private ServerSideApplyBenchmark() {}

  public static void main(String[] args) throws Exception {
    ControlPlaneBinaries binaries = RealCluster.binariesForBenchmark();
    Map<Boolean, Map<String, String>> results = new LinkedHashMap<>();
    try (KwokCluster cluster =
        KwokCluster.start(
            binaries,
            KwokCluster.defaultWorkDir(),
            "fluxops-ssa-bench",
            List.of(GpuNodePool.rtx4090(4, 4), GpuNodePool.cpu(1)))) {
      for (boolean serverSideApply : List.of(false, true)) {
        results.put(serverSideApply, OwnedObjectEdits.measure(cluster, serverSideApply));
      }
    }
    StringBuilder table = new StringBuilder("| measured on kube-apiserver 1.34 | ");
    results.keySet().forEach(m -> table.append(m ? "server-side apply" : "update").append(" | "));
    table.append("\n|---|").append("---|".repeat(results.size())).append('\n');
    for (String row : results.get(false).keySet()) {
      table.append("| ").append(row).append(" | ");
      results.values().forEach(r -> table.append(r.getOrDefault(row, "")).append(" | "));
      table.append('\n');
    }
    System.out.print(table);
  }
}
