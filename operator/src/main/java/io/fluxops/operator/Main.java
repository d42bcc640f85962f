package io.fluxops.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fluxops.operator.config.OperatorConfig;
import io.fluxops.operator.config.OperatorOptions;
import io.fluxops.operator.metrics.HttpEndpoints;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar fluxops-operator.jar}: runs the operator against the cluster Fabric8 finds (the
 * in-cluster service account, {@code KUBECONFIG} or {@code ~/.kube/config}, or {@code
 * KUBERNETES_MASTER}).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final int USAGE_ERROR = 2;

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(usage());
      return;
    }
    if (args.length > 0) {
      System.err.println("fluxops: unknown argument \"" + args[0] + "\"\n" + usage());
      System.exit(USAGE_ERROR);
    }
    OperatorConfig config;
    try {
      config = OperatorOptions.load(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("fluxops: " + e.getMessage());
      System.exit(USAGE_ERROR);
      return;
    }
    runOperator(config);
  }

  private static void runOperator(OperatorConfig config) throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().build();
    String master = client.getConfiguration().getMasterUrl();
    try {
      LOG.info(
          "Kubernetes API at {} (version {})",
          master,
          client.getKubernetesVersion().getGitVersion());
    } catch (RuntimeException e) {
      System.err.println(
          "fluxops: cannot reach the Kubernetes API at "
              + master
              + " ("
              + rootCause(e)
              + "). Point KUBECONFIG at a cluster, or run in one.");
      client.close();
      System.exit(1);
      return;
    }
    PrometheusMeterRegistry registry = prometheusRegistry();
    FluxOpsOperator operator =
        FluxOpsOperator.start(
            client, config, registry, Clock.systemUTC(), System.getenv("POD_NAME"));
    HttpEndpoints http = HttpEndpoints.start(config.httpPort(), registry, operator::healthy);
    LOG.info("Serving /healthz and /metrics on port {}", http.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("Stopping");
                  http.close();
                  operator.close();
                  client.close();
                  stopped.countDown();
                },
                "fluxops-shutdown"));
    stopped.await();
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  /** The operator's registry: JVM metrics, and reconcile latency quantiles up to p99. */
  public static PrometheusMeterRegistry prometheusRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().startsWith("operator.sdk.controllers.execution.")) {
                  return DistributionStatisticConfig.builder()
                      .percentiles(0.5, 0.95, 0.99)
                      .build()
                      .merge(config);
                }
                return config;
              }
            });
    bindJvmMetrics(registry);
    return registry;
  }

  private static void bindJvmMetrics(PrometheusMeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  static String usage() {
    StringBuilder text =
        new StringBuilder(
            "usage: java -jar fluxops-operator.jar\n\n"
                + "Runs the FluxOps operator against the current cluster (in-cluster config,\n"
                + "KUBECONFIG or ~/.kube/config, or KUBERNETES_MASTER). The sandbox, plan and\n"
                + "simulate commands are in the tools jar: java -jar fluxops-tools.jar --help\n\n"
                + "Settings:\n");
    for (OperatorOptions.Option option : OperatorOptions.ALL) {
      text.append(
          String.format(
              "  %-30s %s (default: \"%s\")%n",
              option.env(), option.description(), option.defaultValue()));
    }
    return text.toString();
  }
}
