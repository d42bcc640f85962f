package io.fluxops.tools.sandbox;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * The log while the sandbox runs. The autoscaler's decisions ("Scaling flux/dev-4090 to 3 replicas:
 * ...", the operator's own log lines) are kept for the table instead of scrolling past it; the rest
 * of the operator's INFO is held back so the table stays readable, warnings and errors still print.
 * The simulated API server's own failures (the mock server cannot apply some JSON patches the real
 * one refuses with 422; the client retries) are not the operator's, so they are left out.
 * Everything is put back on {@link #close()}.
 */
final class SandboxLog implements AutoCloseable {

  static final String DECISIONS = "io.fluxops.operator.scaling.QueueScaling";
  private static final int KEPT = 200;

  /** One decision: when ({@link System#nanoTime()}) and what the operator logged. */
  record Decision(long nanos, String text) {}

  private final Deque<Decision> decisions = new ArrayDeque<>();
  private final AtomicLong count = new AtomicLong();
  private final Map<String, Level> previous = new HashMap<>();

  /** The loader logs through java.util.logging; held so the level sticks (JUL keeps it weakly). */
  private final java.util.logging.Logger loaderLog =
      java.util.logging.Logger.getLogger("io.fluxops.loader");

  private java.util.logging.Level loaderLevel;
  private final Map<String, Boolean> previousAdditive = new HashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private final List<String> countedLoggers = new ArrayList<>();
  private String firstFailure = "";
  private final AppenderBase<ILoggingEvent> failureAppender =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          synchronized (SandboxLog.this) {
            if (DEBUG) {
              System.err.println("sandbox: counted failure: " + describe(event));
            }
            if (failures.getAndIncrement() == 0) {
              String cause =
                  event.getThrowableProxy() == null
                      ? ""
                      : ": "
                          + event.getThrowableProxy().getClassName()
                          + ": "
                          + event.getThrowableProxy().getMessage();
              String text = event.getFormattedMessage() + cause;
              firstFailure = text.length() > 300 ? text.substring(0, 300) + "..." : text;
            }
          }
        }
      };
  private final AppenderBase<ILoggingEvent> appender =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          record(event.getFormattedMessage());
        }
      };

  /** FLUXOPS_SANDBOX_DEBUG: every counted failure, with its causes, on stderr. */
  private static final boolean DEBUG = System.getenv("FLUXOPS_SANDBOX_DEBUG") != null;

  private SandboxLog() {}

  private static String describe(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getFormattedMessage());
    for (var cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
      text.append("\n  caused by ").append(cause.getClassName()).append(": ");
      text.append(cause.getMessage());
    }
    return text.toString();
  }

  /** Installs itself on the process's logback configuration. */
  static SandboxLog install() {
    SandboxLog log = new SandboxLog();
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return log;
    }
    log.set(context, Logger.ROOT_LOGGER_NAME, Level.WARN);
    log.set(context, "io.fluxops", Level.WARN);
    log.set(context, "io.javaoperatorsdk", Level.WARN);
    log.counted(context, "io.vertx.core.impl.ContextImpl");
    // "unstable version v1alpha1": the CRD's version, which the user cannot change
    log.set(context, "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", Level.ERROR);
    // A write conflict with a controller is retried at once; the operator shows real failures in
    // status, and JOSDK logs a retry that gives up as an error.
    log.counted(context, "io.javaoperatorsdk.operator.processing.event.EventProcessor");
    log.set(context, DECISIONS, Level.INFO);
    log.loaderLevel = log.loaderLog.getLevel();
    log.loaderLog.setLevel(java.util.logging.Level.WARNING);
    Logger decisions = context.getLogger(DECISIONS);
    log.previousAdditive.put(DECISIONS, decisions.isAdditive());
    decisions.setAdditive(false);
    log.appender.setContext(context);
    log.appender.setName("sandbox-decisions");
    log.appender.start();
    decisions.addAppender(log.appender);
    return log;
  }

  /**
   * Failures that would fill the table with stack traces are counted instead, and the summary says
   * how many there were and what the first was.
   */
  private void counted(LoggerContext context, String name) {
    set(context, name, Level.WARN);
    Logger logger = context.getLogger(name);
    previousAdditive.put(name, logger.isAdditive());
    logger.setAdditive(false);
    failureAppender.setContext(context);
    if (!failureAppender.isStarted()) {
      failureAppender.start();
    }
    logger.addAppender(failureAppender);
    countedLoggers.add(name);
  }

  /** How many failures the counted loggers logged, and the first one's message. */
  synchronized String failures() {
    return failures.get() == 0 ? "" : failures.get() + " (the first: " + firstFailure + ")";
  }

  private void set(LoggerContext context, String name, Level level) {
    Logger logger = context.getLogger(name);
    previous.putIfAbsent(name, logger.getLevel());
    logger.setLevel(level);
  }

  synchronized void record(String text) {
    count.incrementAndGet();
    decisions.addLast(new Decision(System.nanoTime(), text));
    while (decisions.size() > KEPT) {
      decisions.removeFirst();
    }
  }

  /** The last {@code n} decisions, oldest first. */
  synchronized List<Decision> recent(int n) {
    List<Decision> all = new ArrayList<>(decisions);
    return all.subList(Math.max(0, all.size() - n), all.size());
  }

  /** How many size changes the autoscaler logged. */
  long decisions() {
    return count.get();
  }

  /**
   * The operator is being stopped: reconciles it interrupts log that their writes failed, which
   * says nothing about the run.
   */
  void quietShutdown() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      set(context, "io.javaoperatorsdk", Level.OFF);
    }
  }

  @Override
  public void close() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger decisionLog = context.getLogger(DECISIONS);
    decisionLog.detachAppender(appender);
    appender.stop();
    countedLoggers.forEach(name -> context.getLogger(name).detachAppender(failureAppender));
    failureAppender.stop();
    previousAdditive.forEach((name, additive) -> context.getLogger(name).setAdditive(additive));
    previous.forEach((name, level) -> context.getLogger(name).setLevel(level));
    loaderLog.setLevel(loaderLevel);
  }
}
