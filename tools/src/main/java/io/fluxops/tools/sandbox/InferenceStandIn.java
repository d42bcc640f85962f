package io.fluxops.tools.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SIMULATED: stands in for a FLUX inference server of your own ({@code server.api: custom}) in one
 * pod. It makes no images: each "image" holds its one worker (the pod's GPU) for the GPU type's
 * time per image, scaled down for the demo; its clients are in this process. Like a real server it
 * answers {@code /healthz}, exposes {@code flux_queue_depth} (queued and running images) and {@code
 * flux_images_generated_total} on {@code /metrics}, and, in relay counting, posts {@code
 * {"number_of_generations": 1}} for each image to its metering sidecar's {@code FLUXOPS_USAGE_URL},
 * as BFL's reference code posts to BFL.
 */
final class InferenceStandIn implements StandInServer {

  private final HttpServer server;
  private final Duration perImage;
  private final Optional<URI> usageUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong generated = new AtomicLong();
  private final AtomicBoolean accepting = new AtomicBoolean(true);
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Thread worker;
  private final Object lock = new Object();

  InferenceStandIn(String ip, int port, Duration perImage, Optional<URI> usageUrl)
      throws IOException {
    this.perImage = perImage;
    this.usageUrl = usageUrl;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(ip), port), 16);
    server.setExecutor(Executors.newSingleThreadExecutor(Threads.daemon("sandbox-server-" + ip)));
    server.createContext("/healthz", exchange -> answer(exchange, "ok\n"));
    server.createContext("/metrics", exchange -> answer(exchange, metrics()));
    server.start();
    worker = Threads.daemon("sandbox-gpu-" + ip).newThread(this::work);
    worker.start();
  }

  /** Queues one image; false once the pod is stopping. */
  @Override
  public boolean submit() {
    if (!accepting.get()) {
      return false;
    }
    queued.incrementAndGet();
    synchronized (lock) {
      lock.notifyAll();
    }
    return true;
  }

  /** Queued plus running images: what {@code flux_queue_depth} reports. */
  @Override
  public int queueDepth() {
    return queued.get() + running.get();
  }

  @Override
  public long generated() {
    return generated.get();
  }

  /** Stops taking images (the pod is terminating); the queue is still worked off. */
  @Override
  public void stopAccepting() {
    accepting.set(false);
  }

  private void work() {
    while (!stopped.get()) {
      try {
        synchronized (lock) {
          while (queued.get() == 0 && !stopped.get()) {
            lock.wait(200);
          }
        }
        if (stopped.get()) {
          return;
        }
        queued.decrementAndGet();
        running.incrementAndGet();
        // The simulated GPU time: this thread is the pod's GPU, busy for one image.
        TimeUnit.NANOSECONDS.sleep(perImage.toNanos());
        generated.incrementAndGet();
        report();
        running.decrementAndGet();
        synchronized (lock) {
          lock.notifyAll();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Like BFL's reference: one image, n=1, repeated until the sidecar accepted it. */
  private void report() throws InterruptedException {
    if (usageUrl.isEmpty()) {
      return;
    }
    // A post that times out after the sidecar journalled it is posted again and counted twice (the
    // relay has no request ids): the wait is long, for a machine loaded with many sidecar JVMs.
    HttpRequest request =
        HttpRequest.newBuilder(usageUrl.get())
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"number_of_generations\": 1}"))
            .build();
    while (!stopped.get()) {
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // The sidecar is not up or restarting: the image stays unreported until it answers.
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private String metrics() {
    return "# HELP flux_queue_depth Images queued or running (SIMULATED inference server).\n"
        + "# TYPE flux_queue_depth gauge\n"
        + "flux_queue_depth "
        + queueDepth()
        + "\n# HELP flux_images_generated_total Images generated (SIMULATED).\n"
        + "# TYPE flux_images_generated_total counter\n"
        + "flux_images_generated_total "
        + generated.get()
        + "\n";
  }

  private static void answer(HttpExchange exchange, String text) throws IOException {
    try (exchange) {
      HttpAnswers.send(exchange, 200, HttpAnswers.PROMETHEUS, text);
    }
  }

  @Override
  public void close() {
    stopped.set(true);
    worker.interrupt();
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
