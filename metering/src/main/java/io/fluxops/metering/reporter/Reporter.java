package io.fluxops.metering.reporter;

import io.fluxops.metering.journal.Journal;
import io.fluxops.metering.journal.JournalException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * Reports pending images to BFL in batches, one report at a time, on its own thread.
 *
 * <p>Each report is opened in the journal before it is sent and closed after BFL answers, so the
 * journal always knows whether a report may be in BFL's hands: that is what bounds double reporting
 * after a crash to the one open report. A refused key pauses reporting (counting goes on) until the
 * key file changes.
 */
public final class Reporter {
  private static final System.Logger LOG = System.getLogger(Reporter.class.getName());
  private static final Duration REFUSED_REMINDER = Duration.ofMinutes(1);

  private final Journal journal;
  private final UsageClient client;
  private final ApiKeyFile keys;
  private final ReporterSettings settings;
  private final RandomGenerator random;
  private final Clock clock;
  private final ReportListener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Thread thread = new Thread(this::run, "reporter");

  private volatile LicenseState license = LicenseState.UNKNOWN;
  private volatile ReportError lastError;
  private volatile boolean draining;
  private volatile long drainDeadlineNanos;
  private boolean wakeRequested;
  private ApiKey refusedKey;
  private int failures;
  private Instant lastReminder = Instant.MIN;

  public Reporter(
      Journal journal,
      UsageClient client,
      ApiKeyFile keys,
      ReporterSettings settings,
      RandomGenerator random,
      Clock clock,
      ReportListener listener) {
    this.journal = journal;
    this.client = client;
    this.keys = keys;
    this.settings = settings;
    this.random = random;
    this.clock = clock;
    this.listener = listener;
  }

  public void start() {
    thread.start();
  }

  /** What BFL last said about the key. */
  public LicenseState licenseState() {
    return license;
  }

  /** The last failed attempt, if any. */
  public Optional<ReportError> lastError() {
    return Optional.ofNullable(lastError);
  }

  /**
   * Reports what is pending, then stops: returns when nothing is pending, when the key is refused,
   * or after {@code timeout}. Whatever is left stays in the journal for the next start.
   *
   * @return whether everything accepted was reported
   */
  public boolean drain(Duration timeout) throws InterruptedException {
    drainDeadlineNanos = System.nanoTime() + timeout.toNanos();
    draining = true;
    wakeUp();
    thread.join(Math.max(1, timeout.plusSeconds(1).toMillis()));
    return journal.state().pending() == 0;
  }

  private void run() {
    while (true) {
      Duration wait = safeCycle();
      if (draining) {
        Duration left = drainTimeLeft();
        if (journal.state().pending() == 0
            || license == LicenseState.REFUSED
            || journal.failure().isPresent()
            || journal.damage().isPresent()
            || !positive(left)) {
          return;
        }
        // While reports succeed, send the rest at once; after a failure, keep the backoff.
        wait = failures == 0 ? Duration.ZERO : min(wait, left);
      }
      sleep(wait);
    }
  }

  /**
   * A cycle that cannot end the thread: an unexpected exception is a failure like any other,
   * visible in {@code /status} and the metrics, and retried with backoff. A dead reporter thread
   * would leave counts piling up unreported behind healthy probes.
   */
  private Duration safeCycle() {
    try {
      return cycle();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "unexpected error in the reporter; retrying", e);
      failures++;
      failed(FailureReason.INTERNAL, "unexpected error: " + e, 0);
      return settings.backoff().delay(failures, Optional.empty(), random);
    }
  }

  /** One step: send one report if there is something to send; returns the time to wait. */
  private Duration cycle() {
    if (journal.damage().isPresent()) {
      // Its counts are not the whole story: a person decides what BFL gets (docs/metering.md).
      return settings.interval();
    }
    ApiKey key = keys.current();
    if (license == LicenseState.REFUSED) {
      if (key.equals(refusedKey)) {
        remindRefused();
        return settings.interval();
      }
      LOG.log(Level.INFO, "licence key changed; resuming reports to BFL");
      license = LicenseState.UNKNOWN;
      failures = 0;
    }
    long images = Math.min(journal.state().pending(), settings.maxBatchImages());
    if (images == 0) {
      return settings.interval();
    }
    try {
      journal.beginSend(images);
      long start = System.nanoTime();
      ReportOutcome outcome = send(images, key);
      return settle(images, key, outcome, System.nanoTime() - start);
    } catch (JournalException e) {
      failed(FailureReason.JOURNAL, "journal: " + e.getMessage(), 0);
      return settings.interval();
    }
  }

  private ReportOutcome send(long images, ApiKey key) {
    Duration timeout = settings.reportTimeout();
    if (draining) {
      Duration left = drainTimeLeft();
      timeout = min(timeout, positive(left) ? left : Duration.ofMillis(1));
    }
    return client.send(images, key, timeout);
  }

  private Duration settle(long images, ApiKey key, ReportOutcome outcome, long nanos)
      throws JournalException {
    String message = key.redact(outcome.message());
    switch (outcome.kind()) {
      case RECORDED -> {
        long pending = journal.reported(images).pending();
        license = LicenseState.VALID;
        failures = 0;
        listener.recorded(images, nanos);
        // A backlog (after an outage) goes out batch after batch; otherwise counts gather for an
        // interval, so that a busy server costs BFL one call per interval.
        return pending >= settings.maxBatchImages() ? Duration.ZERO : settings.interval();
      }
      case REFUSED -> {
        journal.cancel(images);
        license = LicenseState.REFUSED;
        refusedKey = key;
        failed(FailureReason.REFUSED, message, nanos);
        LOG.log(
            Level.ERROR,
            message
                + ". Reports are paused and images are still counted until the key file"
                + " changes.");
        lastReminder = clock.instant();
        return settings.interval();
      }
      case REJECTED -> {
        journal.cancel(images);
        license = LicenseState.REJECTED;
        failures++;
        failed(FailureReason.REJECTED, message, nanos);
        return settings.backoff().max();
      }
      case AMBIGUOUS -> journal.ambiguous(images);
      case RETRY -> journal.cancel(images);
    }
    failures++;
    failed(outcome.reason().orElse(FailureReason.CONNECTION), message, nanos);
    return settings.backoff().delay(failures, outcome.retryAfter(), random);
  }

  private void failed(FailureReason reason, String message, long nanos) {
    lastError = new ReportError(clock.instant(), reason, message);
    listener.failed(reason, nanos);
    if (reason != FailureReason.REFUSED) {
      LOG.log(Level.WARNING, message + " (" + journal.state().pending() + " images pending)");
    }
  }

  private void remindRefused() {
    Instant now = clock.instant();
    if (Duration.between(lastReminder, now).compareTo(REFUSED_REMINDER) >= 0) {
      lastReminder = now;
      LOG.log(
          Level.ERROR,
          "reports paused: BFL refused the licence key; "
              + journal.state().pending()
              + " images pending until the key file changes");
    }
  }

  private void sleep(Duration wait) {
    if (wait.isZero() || wait.isNegative()) {
      return;
    }
    lock.lock();
    try {
      long nanos = wait.toNanos();
      while (!wakeRequested && nanos > 0) {
        nanos = wake.awaitNanos(nanos);
      }
      wakeRequested = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Ends the current wait early. */
  private void wakeUp() {
    lock.lock();
    try {
      wakeRequested = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Measured on the monotonic clock: a shutdown deadline must not move with the wall clock. */
  private Duration drainTimeLeft() {
    return Duration.ofNanos(drainDeadlineNanos - System.nanoTime());
  }

  private static boolean positive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
