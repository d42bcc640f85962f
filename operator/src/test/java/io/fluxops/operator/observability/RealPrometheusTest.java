package io.fluxops.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fluxops.operator.FluxOpsOperator;
import io.fluxops.operator.Main;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.config.OperatorOptions;
import io.fluxops.operator.metrics.HttpEndpoints;
import io.fluxops.operator.testing.Examples;
import io.fluxops.operator.testing.FakeKubelet;
import io.fluxops.operator.testing.MockCluster;
import io.fluxops.operator.workload.PodLayout;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard and the alerts against what FluxOps really exports: the operator (against the mock
 * API server, with its real /metrics endpoint), the real metering sidecar standing in for a pod's
 * (the fake kubelet gives pods the address 127.0.0.1) and a real Prometheus scraping both every
 * second. Every dashboard query must return data, and every alert expression must be accepted by
 * Prometheus and name only metrics that exist.
 */
class RealPrometheusTest {

  private static final String NS = "flux";
  private static final String NAME = "dev-4090";
  private static final String MODEL = "flux-1-dev";
  private static final Path DASHBOARD =
      Examples.ROOT.resolve("charts/fluxops/files/dashboards/fluxops.json");
  private static final Path ALERTS = Examples.ROOT.resolve("charts/fluxops/files/alerts.yaml");
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:fluxops|operator_sdk|jvm)_[a-z0-9_]+)\\b");

  /**
   * Metrics that exist only once what they count has happened: Java Operator SDK registers its
   * failure counter with the first failed reconcile. Queries on them must still be valid.
   */
  private static final Set<String> CREATED_ON_FIRST_EVENT =
      Set.of("operator_sdk_reconciliations_failed_total");

  @TempDir Path dir;

  private final String podIp = PodAddresses.randomLoopback();

  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  void everyDashboardQueryReturnsDataAndEveryAlertNamesExistingMetrics() throws Exception {
    MockCluster cluster = started(new MockCluster());
    PrometheusMeterRegistry registry = Main.prometheusRegistry();
    KubernetesClient operatorClient =
        started(
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(cluster.client().getConfiguration())
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build());
    FluxOpsOperator operator =
        started(
            FluxOpsOperator.start(
                operatorClient,
                // The cost per image needs two reads of the sidecar: every 2 s, not the default
                // 15 s, which only delays them.
                OperatorOptions.load(Map.of(OperatorOptions.USAGE_POLL_SECONDS.env(), "2")),
                registry,
                Clock.systemUTC(),
                "observability-test",
                () -> {}));
    HttpEndpoints http = started(HttpEndpoints.start(0, registry, operator::healthy));
    QueueServer queue = started(new QueueServer(podIp));
    queue.status.set(500); // a failed queue read first, so its counter exists
    MeteringSidecar sidecar =
        started(MeteringSidecar.start(dir.resolve("sidecar"), podIp, MODEL, NS, NAME, "rtx-4090"));
    await().atMost(Duration.ofSeconds(30)).until(sidecar::ready);
    Map<String, String> targets = new LinkedHashMap<>();
    targets.put("fluxops-operator", "127.0.0.1:" + http.port());
    targets.put("fluxops-metering", podIp + ":" + PodLayout.METERING_PORT);
    PrometheusServer prometheus =
        started(
            PrometheusServer.start(
                java.nio.file.Files.createDirectories(dir.resolve("prometheus")),
                targets,
                List.of(ALERTS)));
    await().atMost(Duration.ofSeconds(30)).until(prometheus::ready);

    FluxDeployment fd = Examples.load("flux-1-dev-rtx-4090.yaml", NS);
    fd.getSpec().getAutoscaling().getQueue().getPods().setPort(queue.port());
    cluster.client().resource(fd).create();
    cluster.awaitDeployment(NS, NAME);
    new FakeKubelet(cluster.client()).runReady(NS, NAME);
    PodAddresses.assign(cluster.client(), NS, NAME, podIp);
    await()
        .atMost(MockCluster.TIMEOUT)
        .until(() -> registry.find("fluxops.autoscaler.queue.read.failures").counter() != null);
    queue.status.set(200);
    queue.depth.set(10); // five replicas' worth at targetQueueDepth 2: a scale-up event

    // The inference server makes images; the operator's cost per image needs two sidecar reads.
    ScheduledExecutorService images = Executors.newSingleThreadScheduledExecutor();
    running.add(images::shutdownNow);
    images.scheduleAtFixedRate(() -> sidecar.generated(MODEL, 3), 0, 500, TimeUnit.MILLISECONDS);
    Instant deadline = Instant.now().plusSeconds(60);
    for (String needed :
        List.of(
            "fluxops_deployment_cost_per_image_usd",
            "fluxops_autoscaler_scale_events_total",
            "fluxops_metering_last_report_timestamp_seconds > 0")) {
      await()
          .alias(needed)
          .atMost(Duration.between(Instant.now(), deadline).plusSeconds(1))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> hasNumber(prometheus.query(needed)));
    }
    images.shutdownNow();

    Set<String> exported = new LinkedHashSet<>(prometheus.metricNames());
    List<String> problems = new ArrayList<>();
    for (String expr : dashboardQueries()) {
      String query = substitute(expr);
      JsonNode result = prometheus.query(query);
      if (result.isEmpty()) {
        problems.add("no data: " + query + missing(query, exported));
      }
    }
    for (String expr : alertExpressions()) {
      prometheus.query(expr); // throws when Prometheus refuses it
      String missing = missing(expr, exported);
      if (!missing.isEmpty()) {
        problems.add("alert on metrics that do not exist: " + expr + missing);
      }
    }
    assertThat(problems).as("Prometheus log:\n%s", prometheus.log()).isEmpty();
    prometheus
        .rules()
        .forEach(
            g ->
                g.path("rules")
                    .forEach(
                        r ->
                            assertThat(r.path("health").asText())
                                .as(r.path("name").asText())
                                .isNotEqualTo("err")));
    assertThat(prometheus.targets().findValues("health").stream().map(JsonNode::asText).toList())
        .containsOnly("up");

    FluxDeployment shown = cluster.fluxDeployment(NS, NAME).get();
    assertThat(shown.getStatus().getUsage().getAcceptedTotal()).isPositive();
    assertThat(shown.getStatus().getCost().getApiPerImageUsd()).isEqualTo(0.04);
    String get = KubectlView.get(List.of(shown), Instant.now());
    assertThat(get).startsWith("NAME").contains(NAME, MODEL, "rtx-4090", "fp8");
    System.out.println("$ kubectl get fxd\n" + get);
    System.out.println(
        "$ kubectl describe fxd "
            + NAME
            + "   # the Status part\n"
            + KubectlView.describeStatus(shown));
  }

  /** The inference server's queue metric, on the pods' address. */
  private static final class QueueServer implements AutoCloseable {
    final java.util.concurrent.atomic.AtomicInteger status =
        new java.util.concurrent.atomic.AtomicInteger(200);
    final java.util.concurrent.atomic.AtomicLong depth =
        new java.util.concurrent.atomic.AtomicLong();
    private final com.sun.net.httpserver.HttpServer server;

    QueueServer(String address) throws java.io.IOException {
      server =
          com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(address, 0), 0);
      server.createContext(
          "/metrics",
          ex -> {
            byte[] body =
                ("# TYPE flux_queue_depth gauge\nflux_queue_depth " + depth.get() + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status.get(), body.length);
            ex.getResponseBody().write(body);
            ex.close();
          });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private <T> T started(T thing) {
    if (thing instanceof AutoCloseable c) {
      running.add(c);
    }
    return thing;
  }

  private static boolean hasNumber(JsonNode result) {
    for (JsonNode series : result) {
      String value = series.path("value").get(1).asText();
      if (!value.equals("NaN")) {
        return true;
      }
    }
    return false;
  }

  /** The dashboard's panel queries, and its variables' label_values as queries. */
  private static List<String> dashboardQueries() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
    Pattern labelValues = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");
    dashboard
        .path("templating")
        .path("list")
        .forEach(
            v -> {
              Matcher m = labelValues.matcher(v.path("query").path("query").asText());
              if (m.matches()) {
                queries.add("count by (" + m.group(2) + ") (" + m.group(1) + ")");
              }
            });
    return queries;
  }

  private static List<String> alertExpressions() throws Exception {
    JsonNode rules =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(ALERTS.toFile());
    List<String> exprs = new ArrayList<>();
    rules
        .path("groups")
        .forEach(g -> g.path("rules").forEach(r -> exprs.add(r.path("expr").asText())));
    assertThat(exprs).hasSize(6);
    return exprs;
  }

  /** Grafana's variables, as the drill-down would set them for the FluxDeployment under test. */
  private static String substitute(String expr) {
    return expr.replace("$namespace", NS).replace("$name", NAME).replace("$__rate_interval", "1m");
  }

  private static String missing(String expr, Set<String> exported) {
    List<String> absent = new ArrayList<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      if (!exported.contains(m.group(1)) && !CREATED_ON_FIRST_EVENT.contains(m.group(1))) {
        absent.add(m.group(1));
      }
    }
    return absent.isEmpty() ? "" : " (not exported: " + absent + ")";
  }
}
