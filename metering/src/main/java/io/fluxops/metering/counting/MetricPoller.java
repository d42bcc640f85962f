package io.fluxops.metering.counting;

import io.fluxops.metering.client.OutboundHttp;
import io.fluxops.metering.config.Config;
import io.fluxops.metering.journal.Journal;
import io.fluxops.metering.journal.JournalException;
import io.fluxops.metering.journal.JournalState;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Metric counting: scrapes the inference server's image counter every interval and journals each
 * increase together with the counter value it was measured at, so that a restart of either process
 * neither loses nor repeats an increase.
 */
public final class MetricPoller {
  private static final System.Logger LOG = System.getLogger(MetricPoller.class.getName());

  /** Far more than a metrics page; a bound so that a wrong URL cannot exhaust the heap. */
  private static final int MAX_PAGE_BYTES = 4 << 20;

  private static final Duration MIN_SCRAPE_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration MAX_SCRAPE_TIMEOUT = Duration.ofSeconds(5);

  /** Why a scrape failed; the bounded {@code reason} label of the scrape failure metric. */
  public enum ScrapeFailure {
    UNREACHABLE,
    NOT_FOUND,
    INVALID,
    JOURNAL;

    /** Lower-case name, as used in labels and {@code /status}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The last failed scrape, for {@code /status}.
   *
   * @param at when
   * @param reason the failure's class
   * @param message what happened
   */
  public record ScrapeError(Instant at, ScrapeFailure reason, String message) {}

  private final Config.MetricSource source;
  private final Journal journal;
  private final Duration interval;
  private final Clock clock;
  private final Consumer<ScrapeFailure> failures;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "metric-poller"));
  private volatile ScrapeError lastError;

  public MetricPoller(
      Config.MetricSource source,
      Journal journal,
      Duration interval,
      Clock clock,
      Consumer<ScrapeFailure> failures) {
    this.source = source;
    this.journal = journal;
    this.interval = interval;
    this.clock = clock;
    this.failures = failures;
  }

  public void start() {
    scheduler.scheduleWithFixedDelay(this::poll, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Stops polling after one last scrape, which catches images made since the previous one. */
  public void stop() throws InterruptedException {
    scheduler.shutdown();
    scheduler.awaitTermination(timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
    poll();
  }

  /** The last failed scrape, if any. */
  public Optional<ScrapeError> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** One scrape; public so that tests and shutdown can trigger it. */
  public synchronized void poll() {
    OptionalDouble value;
    try {
      value = scrape();
    } catch (IOException e) {
      fail(ScrapeFailure.UNREACHABLE, "cannot scrape " + source.url() + ": " + describe(e));
      return;
    } catch (NumberFormatException e) {
      fail(ScrapeFailure.INVALID, source.name() + " at " + source.url() + ": " + e.getMessage());
      return;
    }
    if (value.isEmpty()) {
      fail(ScrapeFailure.NOT_FOUND, "no metric " + source.name() + " at " + source.url());
      return;
    }
    record(value.getAsDouble());
  }

  private OptionalDouble scrape() throws IOException {
    HttpURLConnection connection = OutboundHttp.open(source.url(), "GET", timeout());
    connection.setRequestProperty("Accept", "text/plain;version=0.0.4");
    int status = connection.getResponseCode();
    String body = OutboundHttp.body(connection, MAX_PAGE_BYTES);
    if (status != 200) {
      throw new IOException("HTTP " + status);
    }
    return PrometheusText.sum(body, source.name());
  }

  private void record(double counter) {
    JournalState state = journal.state();
    if (Double.compare(counter, state.lastCounter()) == 0) {
      return;
    }
    long images = CounterIncrease.between(state.lastCounter(), counter);
    if (!Double.isNaN(state.lastCounter()) && counter < state.lastCounter()) {
      LOG.log(Level.INFO, source.name() + " went down (server restart): counting from zero");
    }
    try {
      journal.observe(images, counter);
    } catch (JournalException e) {
      fail(ScrapeFailure.JOURNAL, "journal: " + e.getMessage());
    }
  }

  private void fail(ScrapeFailure reason, String message) {
    lastError = new ScrapeError(clock.instant(), reason, message);
    failures.accept(reason);
    LOG.log(Level.WARNING, message);
  }

  /** As long as the interval, so scrapes never pile up, but at least a second and at most five. */
  private Duration timeout() {
    if (interval.compareTo(MIN_SCRAPE_TIMEOUT) < 0) {
      return MIN_SCRAPE_TIMEOUT;
    }
    return interval.compareTo(MAX_SCRAPE_TIMEOUT) < 0 ? interval : MAX_SCRAPE_TIMEOUT;
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }
}
