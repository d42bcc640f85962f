package io.fluxops.tools.sandbox;

import java.util.Map;
import java.util.Set;

/**
 * What a sandbox run showed.
 *
 * @param becameReady FluxDeployments whose Ready condition was True at some point
 * @param firstDesired per FluxDeployment, the first desired replicas the operator reported
 * @param peakDesired per FluxDeployment, the most desired replicas the operator reported
 * @param lastDesired per FluxDeployment, the last desired replicas the operator reported
 * @param generatedByModel images the stand-in servers made, per licence slug
 * @param reportedByModel images BFL's stand-in endpoint received, per licence slug
 * @param autoscaled the FluxDeployments with autoscaling
 * @param modelCache per FluxDeployment with {@code modelCache.source}: how its load went
 * @param generatedByCounting images the stand-in servers of metered models made, per counting mode
 * @param reportedByCounting images the licence endpoint of each counting mode received
 */
public record SandboxReport(
    Set<String> becameReady,
    Map<String, Integer> firstDesired,
    Map<String, Integer> peakDesired,
    Map<String, Integer> lastDesired,
    Map<String, Long> generatedByModel,
    Map<String, Long> reportedByModel,
    Set<String> autoscaled,
    Map<String, CacheFill> modelCache,
    Map<String, Long> generatedByCounting,
    Map<String, Long> reportedByCounting) {

  /**
   * A model cache's fill.
   *
   * @param seconds how long the loader took, or -1 while it has not completed
   * @param podsWaited whether no GPU pod of the FluxDeployment existed before it completed
   */
  public record CacheFill(double seconds, boolean podsWaited) {}

  /** Whether every metered image was reported exactly once, per model and per counting mode. */
  public boolean everyImageReportedOnce() {
    return everyModelsImagesReportedOnce() && generatedByCounting.equals(reportedByCounting);
  }

  private boolean everyModelsImagesReportedOnce() {
    for (var entry : generatedByModel.entrySet()) {
      if (entry.getKey().equals("flux-1-schnell")) {
        continue;
      }
      if (!entry.getValue().equals(reportedByModel.getOrDefault(entry.getKey(), 0L))) {
        return false;
      }
    }
    return reportedByModel.keySet().stream()
        .allMatch(
            slug -> generatedByModel.getOrDefault(slug, 0L).equals(reportedByModel.get(slug)));
  }
}
