package io.fluxops.queue;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code pods} source: each ready pod's Prometheus endpoint ({@code port}, {@code path}, {@code
 * metric}), summed. Pods that do not answer are reported, not counted as zero, so a partial answer
 * only lets the scaler grow.
 */
public final class PodsQueueSource implements QueueSource {

  /** Default path of the pods' metrics endpoint. */
  public static final String DEFAULT_PATH = "/metrics";

  /** Default metric: queued plus running generations on one pod. */
  public static final String DEFAULT_METRIC = "flux_queue_depth";

  private final Supplier<List<PodEndpoint>> pods;
  private final String path;
  private final MetricSelector metric;
  private final PodScraper scraper;

  /**
   * A source reading {@code metric} from {@code path} on the pods {@code pods} lists at each read.
   *
   * @param pods the ready pods now, asked again at every read (pods come and go)
   * @param path the metrics path, e.g. {@code /metrics}
   * @param metric the selector, e.g. {@code flux_queue_depth} or {@code
   *     flux_queue_depth{state="queued"}}
   * @param scraper the shared scraper; the source does not close it
   */
  public PodsQueueSource(
      Supplier<List<PodEndpoint>> pods, String path, String metric, PodScraper scraper) {
    this.pods = Objects.requireNonNull(pods, "pods");
    this.path = Objects.requireNonNull(path, "path");
    this.metric = MetricSelector.parse(metric);
    this.scraper = Objects.requireNonNull(scraper, "scraper");
  }

  @Override
  public QueueReading read() {
    return scraper.scrape(pods.get(), path, body -> PrometheusText.sum(body, metric));
  }
}
