package io.fluxops.operator.usage;

import io.fabric8.kubernetes.api.model.Pod;
import io.fluxops.autoscale.ImageCount;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.config.OperatorConfig;
import io.fluxops.operator.metrics.UsageMetrics;
import io.fluxops.operator.workload.PodLayout;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.ResourceIDMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;

/**
 * Usage and cost of every licensed FluxDeployment: a polling event source that reads the metering
 * sidecars on its own small pool of threads. The reconciler copies the latest {@link UsageReading}
 * into {@code status.usage} and {@code status.cost}.
 */
public final class UsageCollection implements AutoCloseable {

  /**
   * FluxDeployments polled at once; each read has a timeout, so none can stall the rest. 1,000
   * metered deployments at 15 s need about 67 polls a second; at about 50 ms a poll (the queue
   * poller's figure) 16 threads leave room for slow pods.
   */
  static final int POLL_THREADS = 16;

  /** Threads of the HTTP client's own work; requests in flight are not limited by them. */
  static final int HTTP_THREADS = 4;

  private final Clock clock;
  private final OperatorConfig config;
  private final UsageMetrics metrics;
  private final ScheduledThreadPoolExecutor executor;
  private final ExecutorService httpExecutor;
  private final SidecarClient client;
  private final int port;
  private volatile UsagePoller poller;

  public UsageCollection(OperatorConfig config, Clock clock, UsageMetrics metrics) {
    this(config, clock, metrics, PodLayout.METERING_PORT);
  }

  UsageCollection(OperatorConfig config, Clock clock, UsageMetrics metrics, int port) {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.port = port;
    this.executor = new ScheduledThreadPoolExecutor(POLL_THREADS, daemon("fluxops-usage-poll"));
    executor.setRemoveOnCancelPolicy(true);
    this.httpExecutor = Executors.newFixedThreadPool(HTTP_THREADS, daemon("fluxops-usage-http"));
    this.client = new SidecarClient(httpExecutor);
  }

  /**
   * The event source that reads each licensed FluxDeployment's sidecars and triggers a reconcile
   * when the usage or cost it shows changes.
   *
   * @param pods the pods of a FluxDeployment, from the operator's pod cache
   */
  public PerResourcePollingEventSource<UsageReading, FluxDeployment, String> eventSource(
      EventSourceContext<FluxDeployment> context, Function<FluxDeployment, Collection<Pod>> pods) {
    UsagePoller poller = new UsagePoller(pods, client, metrics, config, clock, port);
    this.poller = poller;
    var configuration =
        new PerResourcePollingConfigurationBuilder<UsageReading, FluxDeployment, String>(
                poller, config.usagePollInterval())
            .withName("usage")
            .withExecutorService(executor)
            .withResourceIDMapper(ResourceIDMapper.singleResourceResourceIDMapper())
            .build();
    return new PerResourcePollingEventSource<>(UsageReading.class, context, configuration) {
      @Override
      public void onResourceDeleted(FluxDeployment resource) {
        super.onResourceDeleted(resource);
        poller.forget(ResourceID.fromResource(resource));
      }
    };
  }

  /**
   * The images a FluxDeployment's pods have finished, summed over its metering sidecars as the last
   * usage poll read them, for the autoscaler's arrival rule; or why there is none.
   */
  public ImageCount imageCount(FluxDeployment fd) {
    UsagePoller current = poller;
    return current == null
        ? ImageCount.missing("the usage poller has not started")
        : current.imageCount(fd);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    executor.shutdownNow();
    httpExecutor.shutdownNow();
  }
}
