package io.fluxops.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.config.OperatorConfig;
import io.fluxops.operator.config.OperatorOptions;
import io.fluxops.operator.metrics.FleetMetrics;
import io.fluxops.operator.metrics.UsageMetrics;
import io.fluxops.operator.scaling.QueueScaling;
import io.fluxops.operator.scaling.ScalingMetrics;
import io.fluxops.operator.usage.UsageCollection;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a reconcile cut short by the operator's own stop leaves on the FluxDeployment: nothing. */
class StoppingOperatorTest {

  @Test
  void aReconcileTheOperatorsStopCutsShortIsNotReportedAsTheWorkloadsError() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OperatorConfig config = OperatorOptions.load(Map.of());
    Clock clock = Clock.systemUTC();
    try (QueueScaling scaling = new QueueScaling(clock, new ScalingMetrics(registry));
        UsageCollection usage = new UsageCollection(config, clock, new UsageMetrics(registry))) {
      FluxDeploymentReconciler closing =
          new FluxDeploymentReconciler(
              config, clock, scaling, usage, new FleetMetrics(registry), () -> true);
      FluxDeployment fd = new FluxDeployment();
      fd.setMetadata(new ObjectMetaBuilder().withName("schnell").withNamespace("le").build());
      // A status patch whose answer the stop interrupted, as seen in LeaderElectionTest's log.
      KubernetesClientException cut =
          new KubernetesClientException(
              "Operation: [patch]  for kind: [FluxDeployment]  with name: [schnell]  failed.",
              new InterruptedIOException());

      // No context: writing the ReconcileError condition would need its client.
      ErrorStatusUpdateControl<FluxDeployment> control = closing.updateErrorStatus(fd, null, cut);

      assertThat(control.getResource()).isEmpty();
      assertThat(fd.getStatus()).isNull();
    }
  }
}
