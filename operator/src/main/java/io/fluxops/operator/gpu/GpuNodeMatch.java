package io.fluxops.operator.gpu;

import io.fluxops.common.GpuType;
import java.util.List;

/**
 * A node label and the values that satisfy it; {@link #of(GpuType)} is the one place that knows
 * which labels NVIDIA's GPU feature discovery (GFD) sets for each GPU type.
 */
public record GpuNodeMatch(String label, List<String> values) {

  /**
   * Node label matches that select the GPU type; a node that satisfies any one of them qualifies
   * (they become ORed node selector terms).
   */
  public static List<GpuNodeMatch> of(GpuType type) {
    return switch (type) {
      // GFD names the product NVIDIA-GeForce-RTX-4090; with time-slicing it appends -SHARED.
      case RTX_4090 ->
          List.of(
              new GpuNodeMatch(
                  GpuLabels.PRODUCT,
                  List.of("NVIDIA-GeForce-RTX-4090", "NVIDIA-GeForce-RTX-4090-SHARED")));
      // B200 is compute 10, RTX 50-series and RTX PRO 6000 are compute 12. GFD labels the
      // family blackwell; older GFD releases only set the compute major.
      case BLACKWELL ->
          List.of(
              new GpuNodeMatch(GpuLabels.FAMILY, List.of("blackwell")),
              new GpuNodeMatch(GpuLabels.COMPUTE_MAJOR, List.of("10", "12")));
    };
  }
}
