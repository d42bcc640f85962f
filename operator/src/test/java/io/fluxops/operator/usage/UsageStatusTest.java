package io.fluxops.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.FluxDeploymentStatus;
import io.fluxops.operator.observability.PodAddresses;
import io.fluxops.operator.testing.FakeKubelet;
import io.fluxops.operator.testing.MockCluster;
import io.fluxops.operator.workload.PodLayout;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator reads each pod's metering sidecar (here one stand-in on port 9469 of the pods'
 * address, a loopback one of this test's own, so both pods of the example read the same counts)
 * into status.usage and status.cost, and writes nothing while the counts do not move.
 */
class UsageStatusTest {

  private static final String NS = "flux";
  private static final String NAME = "kontext-blackwell";
  private static final Duration POLL = UsagePoller.INTERVAL.plusSeconds(20);

  private final AtomicLong accepted = new AtomicLong(100);
  private final String podIp = PodAddresses.randomLoopback();
  private HttpServer sidecar;
  private MockCluster cluster;

  @BeforeEach
  void start() throws IOException {
    try {
      sidecar =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByName(podIp), PodLayout.METERING_PORT), 0);
    } catch (BindException e) {
      throw new IllegalStateException(
          "port "
              + PodLayout.METERING_PORT
              + " is taken: this test stands in for the sidecar there",
          e);
    }
    sidecar.createContext(
        "/status",
        ex -> {
          long n = accepted.get();
          byte[] body =
              ("{\"accepted\":"
                      + n
                      + ",\"reported\":"
                      + (n - 1)
                      + ",\"pending\":1,\"month\":\"2026-11\",\"monthToDate\":"
                      + n
                      + ",\"licenseState\":\"valid\",\"lastReportTime\":\"2026-11-21T10:00:00Z\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    sidecar.start();
    cluster = new MockCluster().startOperator();
  }

  @AfterEach
  void stop() {
    cluster.close();
    sidecar.stop(0);
  }

  @Test
  void fillsUsageAndCostFromTheSidecarsAndWritesNothingAtIdle() {
    cluster.apply("flux-1-kontext-dev-blackwell.yaml", NS);
    cluster.awaitDeployment(NS, NAME);
    new FakeKubelet(cluster.client()).runReady(NS, NAME);
    PodAddresses.assign(cluster.client(), NS, NAME, podIp);

    await().atMost(POLL).until(() -> accepted(status()) == 200);
    var usage = status().getUsage();
    assertThat(usage.getReportedTotal()).isEqualTo(198);
    assertThat(usage.getPending()).isEqualTo(2);
    assertThat(usage.getLastReportTime()).isEqualTo("2026-11-21T10:00:00Z");
    assertThat(status().getCost().getApiPerImageUsd()).isEqualTo(0.04);

    accepted.set(150);
    await().atMost(POLL).until(() -> accepted(status()) == 300);
    // Two GPUs at $0.89/h for about one poll (15 s), over 100 images: about $0.00007.
    assertThat(status().getCost().getPerImageUsd()).isNotNull().isBetween(0.00003, 0.0003);

    int writes = cluster.dispatcher().writeCount();
    await()
        .during(UsagePoller.INTERVAL.plusSeconds(2))
        .atMost(UsagePoller.INTERVAL.plusSeconds(10))
        .until(() -> cluster.dispatcher().writeCount() == writes);
  }

  private FluxDeploymentStatus status() {
    FluxDeployment fd = cluster.fluxDeployment(NS, NAME).get();
    return fd == null || fd.getStatus() == null ? new FluxDeploymentStatus() : fd.getStatus();
  }

  private static long accepted(FluxDeploymentStatus status) {
    return Optional.ofNullable(status.getUsage()).map(u -> u.getAcceptedTotal()).orElse(-1L);
  }
}
