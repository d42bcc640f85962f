package io.fluxops.metering.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One JDK HTTP server with a handler pool of its own, under {@link ServerLimits}. The sidecar runs
 * one per audience, so that clients of one (a slow scraper, a burst of POSTs waiting for their
 * fsync) never queue the requests of another (the kubelet's probes).
 */
final class Listener {
  static {
    ServerLimits.apply();
  }

  private final HttpServer server;
  private final ExecutorService executor;

  /** A server with a fixed pool of {@code threads}, started as requests come. */
  Listener(InetSocketAddress address, String name, int threads) throws IOException {
    this(address, Executors.newFixedThreadPool(threads, named(name)));
  }

  private Listener(InetSocketAddress address, ExecutorService executor) throws IOException {
    this.server = HttpServer.create(address, 128);
    this.executor = executor;
    server.setExecutor(executor);
  }

  /**
   * A server whose requests never wait for a thread: one is started when none is free, up to {@code
   * threads}, and stops after {@link ServerLimits#IDLE_TIMEOUT} without work, so that the threads
   * (and the memory their stacks and buffers hold) last only as long as the load.
   */
  static Listener elastic(InetSocketAddress address, String name, int threads) throws IOException {
    return new Listener(
        address,
        new ThreadPoolExecutor(
            0,
            threads,
            ServerLimits.IDLE_TIMEOUT.toMillis(),
            TimeUnit.MILLISECONDS,
            new SynchronousQueue<>(),
            named(name)));
  }

  private static ThreadFactory named(String name) {
    AtomicInteger count = new AtomicInteger();
    return r -> new Thread(r, name + "-" + count.incrementAndGet());
  }

  void handle(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  void start() {
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops taking requests; requests being handled finish first, up to {@code grace}, so that a
   * client waiting for its fsync gets its answer. A request that arrives now gets none.
   */
  void stop(Duration grace) throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    // HttpServer.stop(n) always waits the full n seconds; the handlers are done already.
    server.stop(0);
  }
}
