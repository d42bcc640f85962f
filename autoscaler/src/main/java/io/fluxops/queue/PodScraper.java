package io.fluxops.queue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks every ready pod for its share of the queue at the same time and sums the answers. Requests
 * are asynchronous on the JDK {@link HttpClient}, whose work runs on a small fixed pool, and each
 * has its own deadline: a pod that hangs costs one timeout, not a stalled poll, and is reported as
 * a failure rather than counted as an empty queue.
 */
public final class PodScraper implements AutoCloseable {

  /** How long one pod may take to answer, connection included. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** Threads for the HTTP client's work; requests in flight are not limited by it. */
  public static final int DEFAULT_THREADS = 4;

  /** Reads a queue depth from a response body. */
  @FunctionalInterface
  public interface BodyParser {
    /** The depth in {@code body}, or why there is none. */
    double depth(String body) throws QueueFormatException;
  }

  private final Duration timeout;
  private final ExecutorService executor;
  private final HttpClient client;

  /** A scraper with the default timeout and threads. */
  public PodScraper() {
    this(DEFAULT_TIMEOUT, DEFAULT_THREADS);
  }

  /** A scraper whose requests each give up after {@code timeout}. */
  public PodScraper(Duration timeout, int threads) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    AtomicInteger count = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread thread = new Thread(task, "fluxops-pod-scraper-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .executor(executor)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** GETs {@code path} on every pod, parses each body and sums what answered. */
  public QueueReading scrape(List<PodEndpoint> pods, String path, BodyParser parser) {
    if (pods.isEmpty()) {
      return QueueReading.failed("no ready pods to read the queue from");
    }
    List<CompletableFuture<Answer>> answers = new ArrayList<>();
    for (PodEndpoint pod : pods) {
      answers.add(ask(pod, path, parser));
    }
    double depth = 0;
    int answered = 0;
    List<String> failures = new ArrayList<>();
    for (CompletableFuture<Answer> future : answers) {
      Answer answer = future.join();
      if (answer.failure() == null) {
        depth += answer.depth();
        answered++;
      } else {
        failures.add(answer.failure());
      }
    }
    return new QueueReading(depth, answered, failures);
  }

  private record Answer(double depth, String failure) {}

  private CompletableFuture<Answer> ask(PodEndpoint pod, String path, BodyParser parser) {
    HttpRequest request = HttpRequest.newBuilder(pod.uri(path)).timeout(timeout).GET().build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        // The request timeout stops at the headers; this also bounds a body that trickles.
        .orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)
        .handle((response, error) -> answer(pod, path, parser, response, error));
  }

  private static Answer answer(
      PodEndpoint pod,
      String path,
      BodyParser parser,
      HttpResponse<String> response,
      Throwable error) {
    String where = pod.name() + " (" + pod.uri(path) + ")";
    if (error != null) {
      return new Answer(0, where + ": " + describe(error));
    }
    if (response.statusCode() != 200) {
      return new Answer(0, where + ": HTTP " + response.statusCode());
    }
    try {
      return new Answer(parser.depth(response.body()), null);
    } catch (QueueFormatException e) {
      return new Answer(0, where + ": " + e.getMessage());
    }
  }

  private static String describe(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      return "timed out";
    }
    if (cause instanceof IOException && cause.getMessage() == null) {
      return "connection failed (" + cause.getClass().getSimpleName() + ")";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  /** Stops the client's threads. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
