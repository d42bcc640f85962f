package io.fluxops.metering.metrics;

import io.fluxops.metering.config.Config;
import io.fluxops.metering.counting.ComfyUiFollower;
import io.fluxops.metering.counting.ComfyUiFollower.PollFailure;
import io.fluxops.metering.counting.MetricPoller.ScrapeFailure;
import io.fluxops.metering.journal.Journal;
import io.fluxops.metering.journal.JournalState;
import io.fluxops.metering.reporter.FailureReason;
import io.fluxops.metering.reporter.LicenseState;
import io.fluxops.metering.reporter.ReportListener;
import io.fluxops.metering.reporter.Reporter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The sidecar's Prometheus metrics. Image counts are read from the journal at scrape time, so they
 * are exact and survive restarts (a counter that resumes at its old value is not a reset). Labels
 * are bounded: namespace, name, model and gpu on every series, plus a reason or state drawn from a
 * fixed set.
 */
public final class MeteringMetrics implements ReportListener, Journal.Observer {
  /** BFL invoices a month in which more than this many images were generated. */
  public static final long INVOICING_THRESHOLD_IMAGES = 100_000;

  private static final String PREFIX = "fluxops.metering.";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Tags common;
  private final Timer reportDuration;
  private final Timer fsyncDuration;
  private final Timer requestDuration;
  private final Map<FailureReason, Counter> reportFailures = new EnumMap<>(FailureReason.class);
  private final Map<RejectReason, Counter> requestsRejected = new EnumMap<>(RejectReason.class);
  private final Map<ScrapeFailure, Counter> scrapeFailures = new EnumMap<>(ScrapeFailure.class);
  private final Map<PollFailure, Counter> comfyUiPollFailures = new EnumMap<>(PollFailure.class);

  /** Why a POST was answered with an error; the bounded {@code reason} label. */
  public enum RejectReason {
    NOT_LOCAL,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    UNKNOWN_MODEL,
    COUNTING_MODE,
    UNSUPPORTED_MEDIA_TYPE,
    TOO_LARGE,
    MALFORMED,
    INVALID_COUNT,
    UNAVAILABLE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public MeteringMetrics(Config config) {
    this.common = commonTags(config);
    this.reportDuration =
        Timer.builder(PREFIX + "report.duration")
            .description("Time of one report to BFL, successful or not")
            .serviceLevelObjectives(slos())
            .tags(common)
            .register(registry);
    this.fsyncDuration =
        Timer.builder(PREFIX + "journal.fsync.duration")
            .description("Time to write and fsync one group of journal events")
            .serviceLevelObjectives(slos())
            .tags(common)
            .register(registry);
    this.requestDuration =
        Timer.builder(PREFIX + "request.duration")
            .description("Time to answer a usage POST, fsync included, as the server sees it")
            .serviceLevelObjectives(slos())
            .tags(common)
            .register(registry);
    for (FailureReason reason : FailureReason.values()) {
      reportFailures.put(
          reason,
          counter("report.failures", "Reports to BFL that failed", "reason", reason.label()));
    }
    for (RejectReason reason : RejectReason.values()) {
      requestsRejected.put(
          reason,
          counter(
              "requests.rejected", "Usage POSTs answered with an error", "reason", reason.label()));
    }
    for (ScrapeFailure reason : ScrapeFailure.values()) {
      scrapeFailures.put(
          reason,
          counter(
              "metric.scrape.failures",
              "Scrapes of the inference server's counter that failed",
              "reason",
              reason.label()));
    }
  }

  /**
   * ComfyUI counting: ComfyUI's prompts running and pending as {@code flux_queue_depth} (the metric
   * {@code queue.source: pods} reads), the prompts counted and the failed polls.
   */
  public void bindComfyUi(ComfyUiFollower follower) {
    Gauge.builder("flux_queue_depth", follower, ComfyUiFollower::queueRemaining)
        .description(
            "ComfyUI's prompts running and pending (GET /prompt exec_info.queue_remaining), as of"
                + " the last poll that reached it")
        .tags(common)
        .register(registry);
    FunctionCounter.builder(
            PREFIX + "comfyui.prompts.counted", follower, ComfyUiFollower::promptsCounted)
        .description("Finished ComfyUI prompts counted since the sidecar started")
        .tags(common)
        .register(registry);
    FunctionCounter.builder(
            PREFIX + "comfyui.prompts.silent.outputs", follower, ComfyUiFollower::silentPrompts)
        .description(
            "Finished ComfyUI prompts that ran an output node listing no saved file (e.g."
                + " SaveImageWebsocket): their images, if any, are not counted")
        .tags(common)
        .register(registry);
    for (PollFailure reason : PollFailure.values()) {
      comfyUiPollFailures.put(
          reason,
          counter(
              "comfyui.poll.failures",
              "Reads of ComfyUI's queue and history that failed",
              "reason",
              reason.label()));
    }
  }

  public void comfyUiPollFailed(PollFailure reason) {
    Counter counter = comfyUiPollFailures.get(reason);
    if (counter != null) {
      counter.increment();
    }
  }

  /** Registers the meters that read the journal and the reporter. */
  public void bind(Journal journal, Reporter reporter, Clock clock) {
    functionCounter(
        "images.accepted", "Images recorded in the journal", journal, JournalState::accepted);
    functionCounter("images.reported", "Images BFL confirmed", journal, JournalState::reported);
    functionCounter(
        "images.possibly.duplicated",
        "Images in reports whose outcome was unknown and were sent again: the bound on double"
            + " reporting",
        journal,
        JournalState::possiblyDuplicated);
    gauge(
        "images.pending",
        "Images accepted and not yet confirmed by BFL",
        journal,
        JournalState::pending);
    gauge("images.in.flight", "Images in the report being sent", journal, JournalState::inFlight);
    gauge(
        "images.month.to.date",
        "Images accepted this calendar month (UTC)",
        journal,
        state -> state.monthToDate(clock.instant()));
    Gauge.builder(PREFIX + "invoicing.threshold.images", () -> INVOICING_THRESHOLD_IMAGES)
        .description("BFL invoices a month with more images than this")
        .tags(common)
        .register(registry);
    Gauge.builder(
            PREFIX + "last.report.timestamp", journal, j -> j.state().lastReportAtMillis() / 1000.0)
        .description("When BFL last confirmed a report (Unix time; 0: never)")
        .baseUnit("seconds")
        .tags(common)
        .register(registry);
    Gauge.builder(PREFIX + "journal.failed", journal, j -> j.failure().isPresent() ? 1 : 0)
        .description("1 when the journal cannot be written and counts are refused")
        .tags(common)
        .register(registry);
    Gauge.builder(PREFIX + "journal.full", journal, j -> j.full().isPresent() ? 1 : 0)
        .description("1 while the journal's volume is full: counts are refused, reports go on")
        .tags(common)
        .register(registry);
    Gauge.builder(PREFIX + "journal.damaged", journal, j -> j.damage().isPresent() ? 1 : 0)
        .description(
            "1 when the journal was found damaged at start: counts are refused, nothing is reported")
        .tags(common)
        .register(registry);
    for (LicenseState state : LicenseState.values()) {
      Gauge.builder(PREFIX + "license.state", reporter, r -> r.licenseState() == state ? 1 : 0)
          .description("1 for the current licence state: what BFL last said about the key")
          .tags(common.and("state", state.label()))
          .register(registry);
    }
    journal.setObserver(this);
  }

  /**
   * Proxy counting: the requests being forwarded now, as {@code flux_queue_depth}, the metric the
   * autoscaler's {@code queue.source: pods} reads, so that it works for servers that expose none.
   */
  public void bindQueue(java.util.function.IntSupplier inFlight) {
    Gauge.builder("flux_queue_depth", inFlight, s -> s.getAsInt())
        .strongReference(true)
        .description("Requests the sidecar is forwarding to the inference server now")
        .tags(common)
        .register(registry);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** A usage POST was answered 200 after {@code nanos}. */
  public void requestAccepted(long nanos) {
    requestDuration.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void requestRejected(RejectReason reason) {
    requestsRejected.get(reason).increment();
  }

  public void scrapeFailed(ScrapeFailure reason) {
    scrapeFailures.get(reason).increment();
  }

  @Override
  public void recorded(long images, long nanos) {
    reportDuration.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void failed(FailureReason reason, long nanos) {
    reportFailures.get(reason).increment();
    if (nanos > 0) {
      reportDuration.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void groupCommitted(int events, long fsyncNanos) {
    fsyncDuration.record(fsyncNanos, TimeUnit.NANOSECONDS);
  }

  private Counter counter(String name, String description, String tag, String value) {
    return Counter.builder(PREFIX + name)
        .description(description)
        .tags(common.and(tag, value))
        .register(registry);
  }

  private void functionCounter(
      String name, String description, Journal journal, ToDoubleFunction<JournalState> value) {
    FunctionCounter.builder(PREFIX + name, journal, j -> value.applyAsDouble(j.state()))
        .description(description)
        .tags(common)
        .register(registry);
  }

  private void gauge(
      String name, String description, Journal journal, ToDoubleFunction<JournalState> value) {
    Gauge.builder(PREFIX + name, journal, j -> value.applyAsDouble(j.state()))
        .description(description)
        .tags(common)
        .register(registry);
  }

  private static Tags commonTags(Config config) {
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.of("model", config.model().slug()));
    config.labels().namespace().ifPresent(v -> tags.add(Tag.of("namespace", v)));
    config.labels().instance().ifPresent(v -> tags.add(Tag.of("name", v)));
    config.labels().gpu().ifPresent(v -> tags.add(Tag.of("gpu", v)));
    return Tags.of(tags);
  }

  private static Duration[] slos() {
    return new Duration[] {
      Duration.ofMillis(1),
      Duration.ofMillis(2),
      Duration.ofMillis(5),
      Duration.ofMillis(10),
      Duration.ofMillis(50),
      Duration.ofMillis(100),
      Duration.ofMillis(500),
      Duration.ofSeconds(1),
      Duration.ofSeconds(5),
      Duration.ofSeconds(10)
    };
  }
}
