package io.fluxops.metering;

import io.fluxops.metering.config.Config;
import io.fluxops.metering.config.ConfigException;
import io.fluxops.metering.config.Setting;
import io.fluxops.metering.counting.ComfyUiFollower;
import io.fluxops.metering.counting.MetricPoller;
import io.fluxops.metering.http.ProxyServer;
import io.fluxops.metering.http.StatusDocument;
import io.fluxops.metering.http.StatusServer;
import io.fluxops.metering.http.UsageServer;
import io.fluxops.metering.journal.Journal;
import io.fluxops.metering.journal.Replay;
import io.fluxops.metering.metrics.MeteringMetrics;
import io.fluxops.metering.reporter.ApiKeyFile;
import io.fluxops.metering.reporter.Backoff;
import io.fluxops.metering.reporter.InvalidKeyException;
import io.fluxops.metering.reporter.Reporter;
import io.fluxops.metering.reporter.ReporterSettings;
import io.fluxops.metering.reporter.UsageClient;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The running sidecar: wires the journal, the reporter, the optional metric poller and the HTTP
 * server together, and takes them down in the order that loses nothing.
 */
public final class Sidecar implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Sidecar.class.getName());

  private final Config config;
  private final Journal journal;
  private final Reporter reporter;
  private final Optional<MetricPoller> poller;
  private final Optional<ComfyUiFollower> follower;
  private final UsageServer usage;
  private final Optional<ProxyServer> proxy;
  private final StatusServer server;
  private boolean stopped;

  private Sidecar(
      Config config,
      Journal journal,
      Reporter reporter,
      Optional<MetricPoller> poller,
      Optional<ComfyUiFollower> follower,
      UsageServer usage,
      Optional<ProxyServer> proxy,
      StatusServer server) {
    this.config = config;
    this.journal = journal;
    this.reporter = reporter;
    this.poller = poller;
    this.follower = follower;
    this.usage = usage;
    this.proxy = proxy;
    this.server = server;
  }

  /**
   * Starts everything. Problems a person must fix (unusable key file, journal directory or port)
   * come out as a {@link ConfigException} naming the variable.
   */
  public static Sidecar start(Config config, Clock clock, RandomGenerator random)
      throws ConfigException {
    ApiKeyFile keys;
    try {
      keys = new ApiKeyFile(config.keyFile());
    } catch (InvalidKeyException e) {
      throw new ConfigException(Setting.KEY_FILE.key(), e.getMessage());
    }
    Journal journal = openJournal(config, clock);
    try {
      MeteringMetrics metrics = new MeteringMetrics(config);
      Reporter reporter = reporter(config, journal, keys, random, clock, metrics);
      metrics.bind(journal, reporter, clock);
      Optional<MetricPoller> poller =
          config
              .metric()
              .map(
                  source ->
                      new MetricPoller(
                          source, journal, config.batchInterval(), clock, metrics::scrapeFailed));
      Optional<ComfyUiFollower> follower =
          config
              .comfyui()
              .map(
                  comfyui ->
                      new ComfyUiFollower(comfyui, journal, clock, metrics::comfyUiPollFailed));
      StatusServer server =
          listen(
              config,
              journal,
              metrics,
              () -> status(config, journal, reporter, poller, follower, clock));
      UsageServer usage = listenForUsage(config, journal, metrics, server);
      Optional<ProxyServer> proxy = listenAsProxy(config, journal, server);
      proxy.ifPresent(p -> metrics.bindQueue(p::inFlight));
      follower.ifPresent(metrics::bindComfyUi);
      Sidecar sidecar =
          new Sidecar(config, journal, reporter, poller, follower, usage, proxy, server);
      reporter.start();
      poller.ifPresent(MetricPoller::start);
      follower.ifPresent(ComfyUiFollower::start);
      usage.start();
      proxy.ifPresent(ProxyServer::start);
      server.start();
      return sidecar;
    } catch (ConfigException | RuntimeException e) {
      closeQuietly(journal);
      throw e;
    }
  }

  private static Reporter reporter(
      Config config,
      Journal journal,
      ApiKeyFile keys,
      RandomGenerator random,
      Clock clock,
      MeteringMetrics metrics) {
    ReporterSettings settings =
        new ReporterSettings(
            config.batchInterval(),
            config.maxBatchImages(),
            config.reportTimeout(),
            Backoff.upTo(config.maxBackoff()));
    return new Reporter(
        journal, new UsageClient(config.usageUri(), clock), keys, settings, random, clock, metrics);
  }

  private static Journal openJournal(Config config, Clock clock) throws ConfigException {
    try {
      Journal journal = Journal.open(config.journalDir(), clock);
      describe(journal.replay(), journal);
      return journal;
    } catch (IOException e) {
      throw new ConfigException(
          Setting.JOURNAL_DIR.key(), "cannot open the journal: " + e.getMessage());
    }
  }

  private static void describe(Replay replay, Journal journal) {
    if (replay.tornBytes() > 0) {
      LOG.log(
          Level.WARNING,
          "dropped "
              + replay.tornBytes()
              + " bytes of a journal write a crash interrupted (it was never acknowledged)");
    }
    if (journal.damage().isPresent()) {
      LOG.log(Level.ERROR, journal.damage().get());
      return;
    }
    long inFlight = replay.state().inFlight();
    if (inFlight > 0) {
      LOG.log(
          Level.WARNING,
          "a report of "
              + inFlight
              + " images was in flight when the sidecar stopped; it is sent again, and BFL"
              + " counts it twice if it had recorded it (see possiblyDuplicated)");
    }
    LOG.log(
        Level.INFO,
        "journal: "
            + journal.state().accepted()
            + " images accepted, "
            + journal.state().pending()
            + " pending");
  }

  private static StatusServer listen(
      Config config, Journal journal, MeteringMetrics metrics, Supplier<Map<String, Object>> status)
      throws ConfigException {
    String where = config.listenAddress() + ":" + config.listenPort();
    try {
      return new StatusServer(config, journal, metrics, status);
    } catch (UnknownHostException e) {
      throw new ConfigException(
          Setting.LISTEN_ADDRESS.key(), "cannot resolve '" + config.listenAddress() + "'");
    } catch (IOException e) {
      // "Address already in use" is the port's fault; anything else (not an address of this
      // host, say) is the address's.
      boolean portTaken = String.valueOf(e.getMessage()).contains("already in use");
      throw new ConfigException(
          (portTaken ? Setting.LISTEN_PORT : Setting.LISTEN_ADDRESS).key(),
          "cannot listen on " + where + " (" + e.getMessage() + ")");
    }
  }

  private static UsageServer listenForUsage(
      Config config, Journal journal, MeteringMetrics metrics, StatusServer server)
      throws ConfigException {
    try {
      return new UsageServer(config, journal, metrics);
    } catch (IOException e) {
      stopQuietly(server);
      throw new ConfigException(
          Setting.USAGE_PORT.key(),
          "cannot listen on "
              + config.usageAddress().getHostAddress()
              + ":"
              + config.usagePort()
              + " ("
              + e.getMessage()
              + ")");
    }
  }

  private static Optional<ProxyServer> listenAsProxy(
      Config config, Journal journal, StatusServer server) throws ConfigException {
    if (config.proxy().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ProxyServer(config, journal));
    } catch (IOException e) {
      stopQuietly(server);
      throw new ConfigException(
          Setting.PROXY_PORT.key(),
          "cannot listen on "
              + config.listenAddress()
              + ":"
              + config.proxy().get().port()
              + " ("
              + e.getMessage()
              + ")");
    }
  }

  private static void stopQuietly(StatusServer server) {
    try {
      server.stop(Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, Object> status(
      Config config,
      Journal journal,
      Reporter reporter,
      Optional<MetricPoller> poller,
      Optional<ComfyUiFollower> follower,
      Clock clock) {
    return StatusDocument.render(
        new StatusDocument.Snapshot(
            config,
            journal.state(),
            journal.failure().or(() -> journal.full().map(f -> "journal full: " + f)),
            journal.damage(),
            reporter.licenseState(),
            reporter.lastError(),
            poller.flatMap(MetricPoller::lastError),
            follower.map(f -> StatusDocument.comfyUi(f, journal.prompts().size())),
            clock.instant()));
  }

  /** The port of {@code /metrics}, {@code /status} and the probes. */
  public int port() {
    return server.port();
  }

  /** The serving port, in proxy counting. */
  public Optional<Integer> proxyPort() {
    return proxy.map(ProxyServer::port);
  }

  /** The loopback address of the usage endpoint. */
  public String usageAddress() {
    return config.usageAddress().getHostAddress();
  }

  /** The loopback port of the usage endpoint. */
  public int usagePort() {
    return usage.port();
  }

  /** The journal, for tests and the status page. */
  public Journal journal() {
    return journal;
  }

  /** ComfyUI counting's follower, for tests. */
  public Optional<ComfyUiFollower> follower() {
    return follower;
  }

  /** The reporter, for tests. */
  public Reporter reporter() {
    return reporter;
  }

  /**
   * Stops in the order that loses nothing: stop taking counts (requests in progress finish), take
   * the counter's last value, report what is pending until the shutdown timeout, and close the
   * journal, where anything left waits for the next start.
   *
   * @return whether every accepted image was reported
   */
  public synchronized boolean stop() {
    if (stopped) {
      return journal.state().pending() == 0;
    }
    stopped = true;
    boolean all = false;
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    try {
      server.unready();
      if (proxy.isPresent()) {
        // Requests in progress get half the shutdown time to finish; the rest is for reporting.
        proxy.get().stop(config.shutdownTimeout().dividedBy(2));
      }
      usage.stop(Duration.ofSeconds(1));
      if (poller.isPresent()) {
        poller.get().stop();
      }
      if (follower.isPresent()) {
        follower.get().stop(config.shutdownTimeout().dividedBy(4));
      }
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      all = reporter.drain(left);
      long pending = journal.state().pending();
      LOG.log(
          all ? Level.INFO : Level.WARNING,
          all
              ? "stopped; every accepted image was reported"
              : "stopped with " + pending + " images pending; they stay in the journal");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(journal);
      // Last: /status and /metrics show the final counts while the sidecar drains.
      stopQuietly(server);
    }
    return all;
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private static void closeQuietly(Journal journal) {
    try {
      journal.close();
    } catch (IOException e) {
      LOG.log(Level.ERROR, "closing the journal failed: " + e.getMessage());
    }
  }
}
