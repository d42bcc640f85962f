package io.fluxops.metering.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.RunningSidecar;
import io.fluxops.metering.support.TestConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send a request a byte at a time, or open connections and send nothing, must not
 * stall the probes or the usage endpoint: each server has its own handler pool, a deadline for a
 * request to arrive, an idle timeout and a bounded number of connections. Every loop here is
 * bounded in count and time.
 */
class SlowClientsTest {
  private static final Duration ANSWER = Duration.ofMillis(1500);

  @TempDir Path dir;
  private BflStandIn bfl;
  private RunningSidecar sidecar;
  private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
  private final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() throws Exception {
    bfl = BflStandIn.start(TestConfig.KEY);
    sidecar = RunningSidecar.start(TestConfig.in(dir, bfl.endpoint()));
  }

  @AfterEach
  void stop() throws IOException {
    drip.shutdownNow();
    synchronized (sockets) {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    sidecar.close();
    bfl.close();
  }

  @Test
  void slowClientsDoNotStallTheProbesOrTheUsageEndpoint() throws Exception {
    // More than the eight on the pod-IP port; on the loopback usage port (only the pod's
    // own containers reach it), fewer than its eight threads.
    slowClients(sidecar.sidecar().port(), 12);
    slowClients(sidecar.sidecar().usagePort(), 6);

    for (int i = 0; i < 5; i++) {
      assertAnsweredQuickly(() -> sidecar.client().get("/healthz").statusCode(), 200);
      assertAnsweredQuickly(() -> sidecar.client().get("/readyz").statusCode(), 200);
      assertAnsweredQuickly(() -> sidecar.report(1), 200);
    }
    assertThat(sidecar.statusNumber("accepted")).isEqualTo(5);
  }

  @Test
  void aSlowRequestIsCutOffAtTheDeadline() throws Exception {
    Socket slow = slowClients(sidecar.sidecar().port(), 1).get(0);
    long start = System.nanoTime();

    // The server closes the connection: the read sees the end of the stream.
    slow.setSoTimeout((int) ServerLimits.REQUEST_DEADLINE.plusSeconds(5).toMillis());
    try (InputStream in = slow.getInputStream()) {
      assertThat(readToEnd(in)).isEqualTo(-1);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took)
        .isGreaterThanOrEqualTo(ServerLimits.REQUEST_DEADLINE.minusMillis(100))
        .isLessThan(ServerLimits.REQUEST_DEADLINE.plusSeconds(3));
  }

  @Test
  void aConnectionFloodIsBoundedAndTheSidecarRecovers() throws Exception {
    int port = sidecar.sidecar().port();
    List<Socket> flood = new ArrayList<>();
    int refused = 0;
    // Four times the connection limit: silent connections, then slow ones.
    for (int i = 0; i < 4 * ServerLimits.MAX_CONNECTIONS; i++) {
      try {
        flood.add(i % 2 == 0 ? silentClient(port) : slowClients(port, 1).get(0));
      } catch (IOException e) {
        refused++;
      }
    }
    // Meanwhile, the usage endpoint (its own server) answers at once.
    assertAnsweredQuickly(() -> sidecar.report(2), 200);

    long closed = flood.stream().filter(SlowClientsTest::closedByServer).count();
    assertThat(closed + refused)
        .as("connections beyond the limit are closed")
        .isGreaterThanOrEqualTo(4L * ServerLimits.MAX_CONNECTIONS - ServerLimits.MAX_CONNECTIONS);
    // Once the deadline has cut the slow ones off, the probes answer again.
    await()
        .atMost(ServerLimits.REQUEST_DEADLINE.plusSeconds(5))
        .ignoreExceptions()
        .until(() -> sidecar.client().get("/healthz").statusCode() == 200);
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("http-"))
                .count())
        .as("handler threads stay bounded")
        .isLessThanOrEqualTo(16);
    assertThat(sidecar.statusNumber("accepted")).isEqualTo(2);
  }

  @Test
  void theUsageEndpointIsNotReachableFromOutsideThePod() throws Exception {
    assertThat(
            sidecar
                .client()
                .postToStatusPort(
                    "/v1/licenses/models/flux-1-dev/usage",
                    "application/json",
                    "{\"number_of_generations\": 1000000}")
                .statusCode())
        .isEqualTo(403);
    Optional<InetAddress> external = nonLoopbackAddress();
    if (external.isPresent()) {
      try (Socket socket = new Socket()) {
        assertThat(
                connects(
                    socket, new InetSocketAddress(external.get(), sidecar.sidecar().usagePort())))
            .as("the usage port is bound to loopback only")
            .isFalse();
      }
    }
    assertThat(sidecar.statusNumber("accepted")).isZero();
  }

  /** Connections that send a request line and then one header byte every 200 ms. */
  private List<Socket> slowClients(int port, int count) throws IOException {
    List<Socket> opened = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
      sockets.add(socket);
      socket
          .getOutputStream()
          .write(
              "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      opened.add(socket);
    }
    for (Socket socket : opened) {
      drip.scheduleWithFixedDelay(
          () -> {
            try {
              socket.getOutputStream().write('a');
            } catch (IOException e) {
              throw new IllegalStateException("closed", e);
            }
          },
          200,
          200,
          TimeUnit.MILLISECONDS);
    }
    return opened;
  }

  private Socket silentClient(int port) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    sockets.add(socket);
    return socket;
  }

  private static boolean closedByServer(Socket socket) {
    try {
      socket.setSoTimeout(50);
      return socket.getInputStream().read() == -1;
    } catch (SocketException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int readToEnd(InputStream in) throws IOException {
    int b;
    do {
      b = in.read();
    } while (b != -1);
    return b;
  }

  private static boolean connects(Socket socket, InetSocketAddress address) {
    try {
      socket.connect(address, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst();
  }

  private interface Call {
    int status() throws Exception;
  }

  private static void assertAnsweredQuickly(Call call, int status) throws Exception {
    long start = System.nanoTime();
    assertThat(call.status()).isEqualTo(status);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ANSWER);
  }
}
