package io.fluxops.operator.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.FluxDeploymentStatus;
import io.fluxops.operator.config.OperatorOptions;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
  private static final Duration INTERVAL = Duration.ofSeconds(2);
  private static final Duration POLL = INTERVAL.plusSeconds(15);

  private final AtomicLong accepted = new AtomicLong(100);
  private final AtomicBoolean answering = new AtomicBoolean(true);
  private final AtomicReference<String> license = new AtomicReference<>("\"valid\"");
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
          if (!answering.get()) {
            ex.sendResponseHeaders(503, -1);
            ex.close();
            return;
          }
          long n = accepted.get();
          byte[] body =
              ("{\"accepted\":"
                      + n
                      + ",\"reported\":"
                      + (n - 1)
                      + ",\"pending\":1,\"month\":\"2026-11\",\"monthToDate\":"
                      + n
                      + ",\"licenseState\":"
                      + license.get()
                      + ",\"lastReportTime\":\"2026-11-21T10:00:00Z\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    sidecar.start();
    cluster =
        new MockCluster()
            .startOperator(
                OperatorOptions.load(
                    Map.of(
                        OperatorOptions.USAGE_POLL_SECONDS.env(),
                        Long.toString(INTERVAL.getSeconds()))));
  }

  @AfterEach
  void stop() {
    cluster.close();
    sidecar.stop(0);
  }

  @Test
  void fillsUsageAndCostFromTheSidecarsAndWritesNothingAtIdle() {
    runExampleWithReadyPods();

    await().atMost(POLL).until(() -> accepted(status()) == 200);
    var usage = status().getUsage();
    assertThat(usage.getReportedTotal()).isEqualTo(198);
    assertThat(usage.getPending()).isEqualTo(2);
    assertThat(usage.getLastReportTime()).isEqualTo("2026-11-21T10:00:00Z");
    assertThat(status().getCost().getApiPerImageUsd()).isEqualTo(0.04);
    assertThat(metering())
        .isEqualTo("True Reporting: the metering sidecars count images and report them to BFL");

    accepted.set(150);
    await().atMost(POLL).until(() -> accepted(status()) == 300);
    // Two GPUs at $0.89/h for about one poll (2 s), over 100 images: about $0.00001.
    assertThat(status().getCost().getPerImageUsd()).isNotNull().isBetween(0.000003, 0.0001);

    int writes = cluster.dispatcher().writeCount();
    await()
        .during(INTERVAL.multipliedBy(3))
        .atMost(INTERVAL.multipliedBy(3).plusSeconds(10))
        .until(() -> cluster.dispatcher().writeCount() == writes);
  }

  @Test
  void aRefusedKeyTurnsMeteringFalseUntilItIsAccepted() {
    runExampleWithReadyPods();
    await().atMost(POLL).until(() -> metering().startsWith("True Reporting"));

    license.set(
        "\"refused\",\"lastReportError\":{\"time\":\"2026-11-21T10:01:00Z\",\"reason\":\"refused\","
            + "\"message\":\"BFL answered HTTP 403; the licence key was refused\"}");
    await().atMost(POLL).until(() -> metering().startsWith("False KeyRefused"));
    assertThat(metering())
        .matches(
            "False KeyRefused: BFL refused the licence key \\(pod kontext-blackwell-[a-z0-9-]+:"
                + " BFL answered HTTP 403; the licence key was refused\\); the sidecars keep"
                + " counting and hold the reports until the licence Secret's key changes");

    license.set("\"valid\"");
    await().atMost(POLL).until(() -> metering().startsWith("True Reporting"));
  }

  @Test
  void sidecarsThatStopAnsweringTurnMeteringUnknownOnlyAfterThreePolls() {
    runExampleWithReadyPods();
    await().atMost(POLL).until(() -> metering().startsWith("True Reporting"));
    int writes = cluster.dispatcher().writeCount();

    answering.set(false);
    // The first two polls without an answer change nothing, and write nothing; the third comes
    // two intervals after the first at the earliest.
    await()
        .during(INTERVAL.multipliedBy(2).minusMillis(500))
        .atMost(INTERVAL.multipliedBy(3))
        .until(() -> metering().startsWith("True Reporting"));
    assertThat(cluster.dispatcher().writeCount()).isEqualTo(writes);
    await()
        .atMost(POLL)
        .until(
            () ->
                metering()
                    .equals(
                        "Unknown SidecarsUnreachable: no metering sidecar answered on port 9469"
                            + " in the last 3 polls"));

    answering.set(true);
    await().atMost(POLL).until(() -> metering().startsWith("True Reporting"));
  }

  /** The example, its pods ready and all at the stand-in sidecar's address. */
  private void runExampleWithReadyPods() {
    cluster.apply("flux-1-kontext-dev-blackwell.yaml", NS);
    cluster.awaitDeployment(NS, NAME);
    new FakeKubelet(cluster.client()).runReady(NS, NAME);
    PodAddresses.assign(cluster.client(), NS, NAME, podIp);
  }

  /** The Metering condition as "status reason: message". */
  private String metering() {
    return Optional.ofNullable(status().getConditions()).orElse(java.util.List.of()).stream()
        .filter(c -> "Metering".equals(c.getType()))
        .map(c -> c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
        .findFirst()
        .orElse("");
  }

  private FluxDeploymentStatus status() {
    FluxDeployment fd = cluster.fluxDeployment(NS, NAME).get();
    return fd == null || fd.getStatus() == null ? new FluxDeploymentStatus() : fd.getStatus();
  }

  private static long accepted(FluxDeploymentStatus status) {
    return Optional.ofNullable(status.getUsage()).map(u -> u.getAcceptedTotal()).orElse(-1L);
  }
}
