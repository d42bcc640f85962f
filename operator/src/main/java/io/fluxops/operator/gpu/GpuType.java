package io.fluxops.operator.gpu;

import io.fluxops.operator.api.ApiEnum;
import java.util.List;

/**
 * The GPU types FluxOps places inference pods on, with the node labels NVIDIA's GPU feature
 * discovery (GFD) sets for them. This is the one place that knows which labels mean which GPU.
 */
public enum GpuType implements ApiEnum {
  /**
   * GeForce RTX 4090 (Ada Lovelace, compute 8.9). GFD names the product {@code
   * NVIDIA-GeForce-RTX-4090}; with time-slicing it appends {@code -SHARED}.
   */
  RTX_4090(
      "rtx-4090",
      "ada-lovelace",
      List.of(
          new NodeMatch(
              GpuLabels.PRODUCT,
              List.of("NVIDIA-GeForce-RTX-4090", "NVIDIA-GeForce-RTX-4090-SHARED")))),
  /**
   * Any Blackwell GPU (B200 is compute 10, RTX 50-series and RTX PRO 6000 are compute 12). GFD
   * labels the family {@code blackwell}; older GFD releases only set the compute major.
   */
  BLACKWELL(
      "blackwell",
      "blackwell",
      List.of(
          new NodeMatch(GpuLabels.FAMILY, List.of("blackwell")),
          new NodeMatch(GpuLabels.COMPUTE_MAJOR, List.of("10", "12"))));

  private final String value;
  private final String architecture;
  private final List<NodeMatch> nodeMatches;

  GpuType(String value, String architecture, List<NodeMatch> nodeMatches) {
    this.value = value;
    this.architecture = architecture;
    this.nodeMatches = nodeMatches;
  }

  @Override
  public String value() {
    return value;
  }

  /** The GPU architecture, as GFD's {@code nvidia.com/gpu.family} names it. */
  public String architecture() {
    return architecture;
  }

  /**
   * Node label matches that select this GPU type; a node that satisfies any one of them qualifies
   * (they become ORed node selector terms).
   */
  public List<NodeMatch> nodeMatches() {
    return nodeMatches;
  }

  /** Whether TensorRT's NVFP4 ({@code fp4}) engines run on this GPU. */
  public boolean supportsFp4() {
    return this == BLACKWELL;
  }

  @Override
  public String toString() {
    return value;
  }

  /** A node label and the values that satisfy it. */
  public record NodeMatch(String label, List<String> values) {}
}
