package io.fluxops.metering.http;

import io.fluxops.metering.config.Config;
import io.fluxops.metering.journal.Journal;
import io.fluxops.metering.metrics.MeteringMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The usage endpoint, {@code POST /v1/licenses/models/{slug}/usage}, on the loopback address only:
 * in a pod, only its own containers share that address, so nobody else in the cluster can add
 * counts (which BFL would invoice). Its handler pool is its own, so POSTs waiting for their fsync
 * never delay the probes.
 */
public final class UsageServer {
  /**
   * Handler threads. A POST holds its thread until its fsync, and the POSTs waiting together share
   * one fsync; 8 is more concurrency than one GPU's inference server produces. Only the pod's own
   * containers reach this server, so no stranger's slow connections compete for them; each thread a
   * burst creates stays resident (about 0.3 MiB at the image's flags, BENCHMARKS.md).
   */
  private static final int THREADS = 8;

  private final Listener listener;

  /** Binds the loopback usage address and port; serves nothing until {@link #start()}. */
  public UsageServer(Config config, Journal journal, MeteringMetrics metrics) throws IOException {
    this.listener =
        new Listener(
            new InetSocketAddress(config.usageAddress(), config.usagePort()), "usage", THREADS);
    listener.handle("/v1/licenses/models/", new UsageHandler(config, journal, metrics));
    listener.handle(
        "/",
        exchange -> {
          try (exchange) {
            StatusServer.notFound(exchange);
          }
        });
  }

  public void start() {
    listener.start();
  }

  /** The bound port; differs from the configured one when that was 0. */
  public int port() {
    return listener.port();
  }

  /**
   * Stops taking counts. POSTs already being handled finish first (up to {@code grace}), so that a
   * client waiting for its fsync gets its 200; a POST that arrives now is dropped before anything
   * is recorded.
   */
  public void stop(Duration grace) throws InterruptedException {
    listener.stop(grace);
  }
}
