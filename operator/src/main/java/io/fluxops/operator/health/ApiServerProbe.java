package io.fluxops.operator.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the API server for its version every few seconds, so that {@code /healthz} fails, and the
 * liveness probe restarts the operator, when the API server has not answered for long. The
 * informers' own health does not see an API server that keeps a connection open and never answers:
 * their watches look alive.
 */
public final class ApiServerProbe implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServerProbe.class);

  private final Callable<?> request;
  private final Clock clock;
  private final Duration timeout;
  private final Duration unreachableAfter;
  private final ExecutorService caller =
      Executors.newCachedThreadPool(ClusterConnection.daemon("fluxops-api-probe-call"));
  private final ScheduledExecutorService schedule =
      Executors.newSingleThreadScheduledExecutor(ClusterConnection.daemon("fluxops-api-probe"));
  private volatile Instant lastAnswer;
  private volatile String lastProblem;

  /**
   * A probe that has not started; {@link #check()} runs one request.
   *
   * @param request one request to the API server (e.g. {@code /version})
   * @param timeout how long one request may take
   * @param unreachableAfter how long without an answer makes the operator unhealthy
   */
  public ApiServerProbe(
      Callable<?> request, Clock clock, Duration timeout, Duration unreachableAfter) {
    this.request = request;
    this.clock = clock;
    this.timeout = timeout;
    this.unreachableAfter = unreachableAfter;
    this.lastAnswer = clock.instant();
  }

  /** Checks every {@code interval} from now on. */
  public ApiServerProbe start(Duration interval) {
    schedule.scheduleWithFixedDelay(
        this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Runs one request; an answer within the timeout counts, anything else does not. */
  public void check() {
    Future<?> call = caller.submit(request);
    try {
      call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (lastProblem != null) {
        LOG.info("The Kubernetes API answers again");
      }
      lastAnswer = clock.instant();
      lastProblem = null;
    } catch (TimeoutException e) {
      call.cancel(true);
      failed("no answer within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      failed(ClusterConnection.oneLine(ClusterConnection.rootCause(e)));
    }
  }

  private void failed(String problem) {
    if (lastProblem == null) {
      LOG.warn(
          "The Kubernetes API did not answer ({}); /healthz fails after {} s without an answer",
          problem,
          unreachableAfter.toSeconds());
    }
    lastProblem = problem;
  }

  /** Whether the API server answered within the last {@code unreachableAfter}. */
  public boolean reachable() {
    return Duration.between(lastAnswer, clock.instant()).compareTo(unreachableAfter) <= 0;
  }

  @Override
  public void close() {
    schedule.shutdownNow();
    caller.shutdownNow();
  }
}
