package io.fluxops.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fluxops.operator.config.OperatorConfig;
import io.fluxops.operator.reconciler.FluxDeploymentReconciler;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.UUID;

/**
 * The FluxOps operator: the Java Operator SDK runtime with the FluxDeployment controller, in the
 * one configuration both production and tests run.
 */
public final class FluxOpsOperator implements AutoCloseable {

  private final Operator operator;

  private FluxOpsOperator(Operator operator) {
    this.operator = operator;
  }

  /**
   * Builds and starts the operator.
   *
   * @param identity this instance's name in the leader-election Lease (the pod name in a cluster)
   */
  public static FluxOpsOperator start(
      KubernetesClient client,
      OperatorConfig config,
      MeterRegistry registry,
      Clock clock,
      String identity) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  // Server-side apply is off for the primary and the dependents: the operator
                  // must behave the same against every API server it meets, including the
                  // Fabric8 mock server the tests run, which does not implement it.
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withCloseClientOnStop(false)
                  .withMetrics(
                      MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry)
                          .build());
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        OperatorConfig.LEASE_NAME,
                        config.leaseNamespace(),
                        identity == null ? UUID.randomUUID().toString() : identity));
              }
            });
    operator.register(
        new FluxDeploymentReconciler(config, clock),
        c -> {
          if (config.watchNamespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(config.watchNamespaces());
          }
        });
    operator.start();
    return new FluxOpsOperator(operator);
  }

  /** Whether the operator runs and its informers are connected. */
  public boolean healthy() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
