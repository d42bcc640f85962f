package io.fluxops.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fluxops.operator.config.OperatorConfig;
import io.fluxops.operator.metrics.FleetMetrics;
import io.fluxops.operator.metrics.UsageMetrics;
import io.fluxops.operator.reconciler.FluxDeploymentReconciler;
import io.fluxops.operator.scaling.QueueScaling;
import io.fluxops.operator.scaling.ScalingMetrics;
import io.fluxops.operator.usage.UsageCollection;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FluxOps operator: the Java Operator SDK runtime with the FluxDeployment controller, in the
 * one configuration both production and tests run.
 */
public final class FluxOpsOperator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FluxOpsOperator.class);

  private final Operator operator;
  private final QueueScaling scaling;
  private final UsageCollection usage;
  private final AtomicBoolean closing;
  private final Optional<Runnable> releaseLease;

  private FluxOpsOperator(
      Operator operator,
      QueueScaling scaling,
      UsageCollection usage,
      AtomicBoolean closing,
      Optional<Runnable> releaseLease) {
    this.operator = operator;
    this.scaling = scaling;
    this.usage = usage;
    this.closing = closing;
    this.releaseLease = releaseLease;
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
    return start(client, config, registry, clock, identity, () -> System.exit(1));
  }

  /**
   * Builds and starts the operator.
   *
   * @param onLostLease what to do when another instance took the Lease while this one led: the
   *     process must stop reconciling at once (production exits and is restarted as a standby)
   */
  public static FluxOpsOperator start(
      KubernetesClient client,
      OperatorConfig config,
      MeterRegistry registry,
      Clock clock,
      String identity,
      Runnable onLostLease) {
    AtomicBoolean closing = new AtomicBoolean(false);
    String leaseHolder = identity == null ? UUID.randomUUID().toString() : identity;
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  // How owned objects and status are written: see OperatorOptions and
                  // BENCHMARKS.md ("Server-side apply or not") for the measurements.
                  .withUseSSAToPatchPrimaryResource(config.serverSideApply())
                  .withSSABasedCreateUpdateMatchForDependentResources(config.serverSideApply())
                  .withCloseClientOnStop(false)
                  // Reconcile metrics per controller, not per resource: a fleet of a thousand
                  // FluxDeployments would otherwise carry a latency histogram each. FleetMetrics
                  // has the per-FluxDeployment view.
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    leaderElection(config, leaseHolder, lostLease(closing, onLostLease)));
              }
            });
    QueueScaling scaling = new QueueScaling(clock, new ScalingMetrics(registry));
    UsageCollection usage = new UsageCollection(config, clock, new UsageMetrics(registry));
    operator.register(
        new FluxDeploymentReconciler(
            config, clock, scaling, usage, new FleetMetrics(registry), closing::get),
        c -> {
          if (config.watchNamespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(config.watchNamespaces());
          }
        });
    operator.start();
    return new FluxOpsOperator(
        operator,
        scaling,
        usage,
        closing,
        config.leaderElection()
            ? Optional.of(() -> releaseLease(client, config, leaseHolder))
            : Optional.empty());
  }

  /**
   * The Lease settings: Kubernetes' usual proportions (renew within two thirds of the lease, retry
   * every seventh), scaled to the configured duration.
   */
  private static LeaderElectionConfiguration leaderElection(
      OperatorConfig config, String identity, LeaderCallbacks callbacks) {
    Duration lease = config.leaseDuration();
    return new LeaderElectionConfiguration(
        OperatorConfig.LEASE_NAME,
        config.leaseNamespace(),
        lease,
        lease.multipliedBy(2).dividedBy(3),
        lease.dividedBy(7),
        identity,
        callbacks,
        false);
  }

  /**
   * Gives the Lease up, if this instance still holds it, as client-go's ReleaseOnCancel and
   * Fabric8's {@code LeaderElector.release} do (a record that expires in a second): the standby
   * then leads at its next retry instead of after the whole lease duration, so a rolling update
   * leaves the FluxDeployments unreconciled for a couple of seconds, not 15. The SDK builds its
   * elector without that option; this runs after the operator has stopped reconciling.
   */
  private static void releaseLease(KubernetesClient client, OperatorConfig config, String holder) {
    LeaseLock lock = new LeaseLock(config.leaseNamespace(), OperatorConfig.LEASE_NAME, holder);
    try {
      LeaderElectionRecord held = lock.get(client);
      if (held == null || !holder.equals(held.getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      lock.update(
          client,
          new LeaderElectionRecord(
              null, Duration.ofSeconds(1), now, now, held.getLeaderTransitions()));
      LOG.info("Gave up the Lease {}", OperatorConfig.LEASE_NAME);
    } catch (KubernetesClientException e) {
      LOG.warn(
          "Could not give up the Lease {} ({}): the next instance leads once it expires",
          OperatorConfig.LEASE_NAME,
          e.getMessage());
    }
  }

  /**
   * Losing the Lease while running means another instance may already reconcile: stop at once.
   * Giving it up because this instance is closing is the normal end, not a loss.
   */
  private static LeaderCallbacks lostLease(AtomicBoolean closing, Runnable onLostLease) {
    return new LeaderCallbacks(
        () -> LOG.info("Took the Lease {}: reconciling", OperatorConfig.LEASE_NAME),
        () -> {
          if (!closing.get()) {
            LOG.error(
                "Lost the Lease {}: stopping so that only the leader reconciles",
                OperatorConfig.LEASE_NAME);
            onLostLease.run();
          }
        },
        leader -> LOG.info("Leader is {}", leader));
  }

  /** Whether the operator runs and its informers are connected. */
  public boolean healthy() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    closing.set(true);
    operator.stop();
    releaseLease.ifPresent(Runnable::run);
    scaling.close();
    usage.close();
  }
}
