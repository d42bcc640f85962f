package io.fluxops.operator.scaling;

import io.fabric8.kubernetes.api.model.Pod;
import io.fluxops.operator.api.AutoscalingSpec;
import io.fluxops.operator.api.ComfyUiQueueSpec;
import io.fluxops.operator.api.PodsQueueSpec;
import io.fluxops.operator.api.QueueSourceType;
import io.fluxops.operator.api.QueueSpec;
import io.fluxops.operator.workload.PodPorts;
import io.fluxops.operator.workload.ValidatedSpec;
import io.fluxops.queue.ComfyUiQueueSource;
import io.fluxops.queue.PodEndpoint;
import io.fluxops.queue.PodScraper;
import io.fluxops.queue.PodsQueueSource;
import io.fluxops.queue.PrometheusQueueSource;
import io.fluxops.queue.QueueSource;
import io.fluxops.queue.RedisQueueSource;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/** Turns a FluxDeployment's {@code autoscaling.queue} into the adapter that reads it. */
final class QueueSourceFactory {

  static final int REDIS_TIMEOUT_MILLIS = 2_000;

  private QueueSourceFactory() {}

  /**
   * The source for a validated spec.
   *
   * @param pods the FluxDeployment's pods now, asked again at every read
   */
  static QueueSource create(
      ValidatedSpec spec, Supplier<Collection<Pod>> pods, PodScraper scraper) {
    AutoscalingSpec autoscaling = spec.spec().getAutoscaling();
    QueueSpec queue = autoscaling.getQueue() == null ? new QueueSpec() : autoscaling.getQueue();
    QueueSourceType type = spec.queueSource();
    return switch (type) {
      case PODS -> {
        PodsQueueSpec podsSpec = queue.getPods() == null ? new PodsQueueSpec() : queue.getPods();
        int port = spec.podsQueuePort();
        yield new PodsQueueSource(
            () -> readyEndpoints(pods.get(), spec, port),
            podsSpec.getPath(),
            podsSpec.getMetric(),
            scraper);
      }
      case COMFYUI -> {
        ComfyUiQueueSpec comfy = queue.getComfyui();
        int port = comfy == null || comfy.getPort() == null ? spec.servingPort() : comfy.getPort();
        yield new ComfyUiQueueSource(() -> readyEndpoints(pods.get(), spec, port), scraper);
      }
      case PROMETHEUS ->
          new PrometheusQueueSource(
              queue.getPrometheus().getUrl(),
              queue.getPrometheus().getQuery(),
              PrometheusQueueSource.DEFAULT_TIMEOUT);
      case REDIS ->
          new RedisQueueSource(
              queue.getRedis().getAddress(),
              queue.getRedis().getKey(),
              RedisQueueSource.Type.parse(queue.getRedis().getType()),
              queue.getRedis().getGroup(),
              null,
              REDIS_TIMEOUT_MILLIS);
    };
  }

  /** The pods that serve, with the address the queue is read at (its IP, its own port). */
  static List<PodEndpoint> readyEndpoints(Collection<Pod> pods, ValidatedSpec spec, int port) {
    return pods.stream()
        .filter(QueueSourceFactory::ready)
        .map(
            p ->
                new PodEndpoint(
                    p.getMetadata().getName(),
                    p.getStatus().getPodIP(),
                    PodPorts.resolve(p, spec, port)))
        .toList();
  }

  private static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null
        && pod.getStatus().getPodIP() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
