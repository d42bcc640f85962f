package io.fluxops.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fluxops.operator.config.BuildInfo;
import io.fluxops.operator.config.OperatorConfig;
import io.fluxops.operator.config.OperatorOptions;
import io.fluxops.operator.health.ApiServerProbe;
import io.fluxops.operator.health.ClusterConnection;
import io.fluxops.operator.health.StartupError;
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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar fluxops-operator.jar}: runs the operator against the cluster Fabric8 finds (the
 * in-cluster service account, {@code KUBECONFIG} or {@code ~/.kube/config}, or {@code
 * KUBERNETES_MASTER}). It takes no options but {@code --help} and {@code --version}: its settings
 * are environment variables (the chart sets them).
 */
@Command(
    name = "fluxops-operator",
    mixinStandardHelpOptions = true,
    versionProvider = CommandLines.Version.class,
    description = {
      "Runs the FluxOps operator against the current cluster (in-cluster config, KUBECONFIG or"
          + " ~/.kube/config, or KUBERNETES_MASTER).",
      "The sandbox, plan and simulate commands are in the tools jar: java -jar"
          + " fluxops-tools.jar --help"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped by a signal",
      "1:the cluster did not answer, or the operator lost its Lease",
      "2:a usage error, a bad setting or an unreadable kubeconfig"
    })
public final class Main implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final int USAGE_ERROR = 2;

  /** How often the liveness probe's request to the API server runs, and how long it may take. */
  private static final Duration API_PROBE_INTERVAL = Duration.ofSeconds(10);

  private static final Duration API_PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final Map<String, String> env;

  Main(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The command line, with one-line usage errors and the settings in its help. */
  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cmd = CommandLines.create(new Main(env), "fluxops");
    cmd.getCommandSpec().usageMessage().width(120);
    cmd.getCommandSpec().usageMessage().footerHeading("%nSettings (environment variables):%n");
    cmd.getCommandSpec().usageMessage().footer(settings());
    return cmd;
  }

  @Override
  public Integer call() throws Exception {
    OperatorConfig config;
    Config clientConfig;
    try {
      config = OperatorOptions.load(env);
      clientConfig = ClusterConnection.config(env);
      String version =
          ClusterConnection.checkReachable(clientConfig, env, ClusterConnection.STARTUP_DEADLINE);
      LOG.info("Kubernetes API at {} (version {})", clientConfig.getMasterUrl(), version);
    } catch (IllegalArgumentException e) {
      System.err.println("fluxops: " + e.getMessage());
      return USAGE_ERROR;
    } catch (StartupError e) {
      System.err.println("fluxops: " + e.getMessage());
      return e.exitCode();
    }
    runOperator(config, clientConfig);
    return 0;
  }

  private static void runOperator(OperatorConfig config, Config clientConfig) throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build();
    // The liveness probe's own client: one try per request, so a probe never waits on retries.
    KubernetesClient probeClient =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(clientConfig)
                    .withRequestTimeout((int) API_PROBE_TIMEOUT.toMillis())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    ApiServerProbe apiServer =
        new ApiServerProbe(
                probeClient::getKubernetesVersion,
                Clock.systemUTC(),
                API_PROBE_TIMEOUT,
                config.apiUnreachableAfter())
            .start(API_PROBE_INTERVAL);
    PrometheusMeterRegistry registry = prometheusRegistry();
    FluxOpsOperator operator =
        FluxOpsOperator.start(
            client, config, registry, Clock.systemUTC(), System.getenv("POD_NAME"));
    HttpEndpoints http =
        HttpEndpoints.start(
            config.httpPort(), registry, () -> operator.healthy() && apiServer.reachable());
    LOG.info("Serving /healthz and /metrics on port {}", http.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("Stopping");
                  http.close();
                  apiServer.close();
                  operator.close();
                  probeClient.close();
                  client.close();
                  stopped.countDown();
                },
                "fluxops-shutdown"));
    stopped.await();
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

  private static String settings() {
    StringBuilder text = new StringBuilder();
    for (OperatorOptions.Option option : OperatorOptions.ALL) {
      text.append(
          String.format(
              "  %s (default: \"%s\")%n      %s%n",
              option.env(), option.defaultValue(), option.description()));
    }
    return text.toString();
  }

  /** The help text, as {@code --help} prints it. */
  static String usage() {
    return commandLine(Map.of()).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  static String version() {
    return BuildInfo.version();
  }
}
