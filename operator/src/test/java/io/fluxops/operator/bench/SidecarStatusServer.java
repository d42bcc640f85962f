package io.fluxops.operator.bench;

import com.sun.net.httpserver.HttpServer;
import io.fluxops.operator.workload.PodLayout;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every benchmark pod's metering sidecar at once: {@code /status} on 127.0.0.1:9469, the address
 * all the benchmark's pods have, with counts that do not move, so reading them costs the operator
 * its polls and no writes. Counts the reads.
 */
final class SidecarStatusServer implements AutoCloseable {

  private static final byte[] STATUS =
      ("{\"model\":\"flux-1-dev\",\"accepted\":100,\"reported\":100,\"pending\":0,"
              + "\"month\":\"2026-11\",\"monthToDate\":100,\"licenseState\":\"valid\","
              + "\"lastReportTime\":\"2026-11-21T10:00:00Z\",\"lastError\":null,"
              + "\"journalError\":null}")
          .getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final AtomicLong requests = new AtomicLong();

  private SidecarStatusServer(HttpServer server) {
    this.server = server;
  }

  static SidecarStatusServer start() throws IOException {
    HttpServer server;
    try {
      server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), PodLayout.METERING_PORT),
              256);
    } catch (BindException e) {
      throw new IllegalStateException(
          "127.0.0.1:" + PodLayout.METERING_PORT + " is taken: stop what listens there", e);
    }
    SidecarStatusServer sidecars = new SidecarStatusServer(server);
    server.createContext(
        "/status",
        exchange -> {
          sidecars.requests.incrementAndGet();
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, STATUS.length);
          exchange.getResponseBody().write(STATUS);
          exchange.close();
        });
    server.setExecutor(sidecars.executor);
    server.start();
    return sidecars;
  }

  /** Reads of {@code /status} so far. */
  long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
