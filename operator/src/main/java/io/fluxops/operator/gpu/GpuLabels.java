package io.fluxops.operator.gpu;

/** Names of the Kubernetes labels, resources and taints that NVIDIA's GPU stack uses. */
public final class GpuLabels {

  /** The extended resource the NVIDIA device plugin advertises. */
  public static final String GPU_RESOURCE = "nvidia.com/gpu";

  /** The taint GPU node pools usually carry, and the toleration key that matches it. */
  public static final String GPU_TAINT_KEY = "nvidia.com/gpu";

  /** GFD: the GPU product name, e.g. {@code NVIDIA-GeForce-RTX-4090}. */
  public static final String PRODUCT = "nvidia.com/gpu.product";

  /** GFD: the architecture family, e.g. {@code ada-lovelace}, {@code blackwell}. */
  public static final String FAMILY = "nvidia.com/gpu.family";

  /** GFD: the CUDA compute capability's major number. */
  public static final String COMPUTE_MAJOR = "nvidia.com/gpu.compute.major";

  private GpuLabels() {}
}
