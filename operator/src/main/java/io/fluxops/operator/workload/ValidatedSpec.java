package io.fluxops.operator.workload;

import io.fluxops.common.FluxModel;
import io.fluxops.common.GpuType;
import io.fluxops.operator.api.CountingMode;
import io.fluxops.operator.api.FluxDeploymentSpec;
import io.fluxops.operator.api.QueueSourceType;
import io.fluxops.operator.api.ServerApi;
import io.fluxops.operator.api.TensorRtMode;

/**
 * A spec that passed {@link SpecValidator}, with its enum-valued strings parsed and the server's
 * preset applied where the spec leaves a field unset. The builders take this, so they never meet an
 * unknown model or GPU type, and a default is decided here only.
 *
 * @param counting the licence's counting mode, or {@code null} for an unmetered model
 * @param queueSource the autoscaler's queue source, or {@code null} without autoscaling
 * @param servingPort the port clients, the Service and the probes use
 * @param readinessPath the path the readiness and startup probes ask
 */
public record ValidatedSpec(
    FluxDeploymentSpec spec,
    FluxModel model,
    GpuType gpuType,
    TensorRtMode tensorRt,
    CountingMode counting,
    QueueSourceType queueSource,
    ServerApi api,
    int servingPort,
    String readinessPath) {

  /** The host a server that reads FLUXOPS_SERVER_HOST listens on, when nothing stands before it. */
  static final String ALL_INTERFACES = "0.0.0.0";

  static final String LOOPBACK = "127.0.0.1";

  /** What a pods queue reads when no port is given and the sidecar does not expose the depth. */
  static final int PODS_QUEUE_PORT = 8080;

  /** Whether the model is metered, so the pod gets the metering sidecar. */
  public boolean metered() {
    return model.metered();
  }

  public boolean autoscaled() {
    return spec.getAutoscaling() != null;
  }

  /** Whether the sidecar stands in front of the server on the serving port. */
  public boolean proxied() {
    return metered() && counting == CountingMode.PROXY;
  }

  /** The port the server itself listens on: behind the sidecar when proxied. */
  public int listenPort() {
    return proxied() ? PodLayout.UPSTREAM_PORT : servingPort;
  }

  /** The address the server listens on: the loopback only when the sidecar is its front. */
  public String listenHost() {
    return proxied() ? LOOPBACK : ALL_INTERFACES;
  }

  /** Whether the sidecar exposes the pod's {@code flux_queue_depth} (it sees every request). */
  public boolean sidecarQueueDepth() {
    return metered() && (counting == CountingMode.PROXY || counting == CountingMode.COMFYUI);
  }

  /** The port a {@code pods} queue source reads in each pod. */
  public int podsQueuePort() {
    var queue = spec.getAutoscaling() == null ? null : spec.getAutoscaling().getQueue();
    if (queue != null && queue.getPods() != null && queue.getPods().getPort() != null) {
      return queue.getPods().getPort();
    }
    return sidecarQueueDepth() ? PodLayout.METERING_PORT : PODS_QUEUE_PORT;
  }
}
