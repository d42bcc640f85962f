package io.fluxops.metering.config;

import io.fluxops.common.FluxModel;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The sidecar's validated configuration.
 *
 * @param model the licence slug counts are reported under
 * @param usageEndpoint base URL of BFL's API, without a trailing slash
 * @param keyFile the file holding the API key
 * @param journalDir the directory of the journal
 * @param batchInterval time between reports and between metric scrapes
 * @param listenAddress address of the server of {@code /metrics}, {@code /status} and the probes
 * @param listenPort port of that server; 0 picks a free one
 * @param usageAddress the loopback address of the usage endpoint
 * @param usagePort port of the usage endpoint; 0 picks a free one
 * @param counting how images are counted
 * @param metric the counter to scrape, present exactly when {@code counting} is {@code METRIC}
 * @param proxy what to forward to, present exactly when {@code counting} is {@code PROXY}
 * @param comfyui the ComfyUI to follow, present exactly when {@code counting} is {@code COMFYUI}
 * @param labels labels added to every metric
 * @param maxBatchImages the largest count sent in one report
 * @param reportTimeout timeout of one report
 * @param maxBackoff longest wait between two retries
 * @param shutdownTimeout how long a SIGTERM may spend reporting what is pending
 */
public record Config(
    FluxModel model,
    URI usageEndpoint,
    Path keyFile,
    Path journalDir,
    Duration batchInterval,
    String listenAddress,
    int listenPort,
    InetAddress usageAddress,
    int usagePort,
    CountingMode counting,
    Optional<MetricSource> metric,
    Optional<Proxy> proxy,
    Optional<ComfyUi> comfyui,
    MetricLabels labels,
    int maxBatchImages,
    Duration reportTimeout,
    Duration maxBackoff,
    Duration shutdownTimeout) {

  /**
   * Proxy counting.
   *
   * @param api the server's API, which says what to count
   * @param port the serving port the sidecar takes (on {@code listenAddress}); 0 picks a free one
   * @param upstream the server's base URL on localhost, without a trailing slash
   */
  public record Proxy(ServerApi api, int port, URI upstream) {}

  /**
   * ComfyUI counting.
   *
   * @param upstream ComfyUI's base URL on localhost, without a trailing slash
   * @param pollInterval time between two reads of its history
   */
  public record ComfyUi(URI upstream, Duration pollInterval) {}

  /** The inference server's counter of generated images. */
  public record MetricSource(URI url, String name) {}

  /** Where reports go: {@code <endpoint>/v1/licenses/models/<slug>/usage}. */
  public URI usageUri() {
    return URI.create(usageEndpoint + usagePath(model));
  }

  /** The path of the usage endpoint for a model, the same on BFL and on this sidecar. */
  public static String usagePath(FluxModel model) {
    return "/v1/licenses/models/" + model.slug() + "/usage";
  }
}
