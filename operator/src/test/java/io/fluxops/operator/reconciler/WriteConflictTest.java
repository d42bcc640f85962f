package io.fluxops.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteConflictTest {

  private static KubernetesClientException status(int code) {
    return new KubernetesClientException("HTTP " + code, code, null);
  }

  @Test
  void aConflictOnADependentIsRetriedWithoutReportingAnError() {
    var failure =
        new AggregatedOperatorException(
            "Exception(s) during workflow execution.",
            Map.of("deployment", new RuntimeException("wrapped", status(409))));

    assertThat(FluxDeploymentReconciler.isConflict(failure)).isTrue();
  }

  @Test
  void anyOtherFailureBesideAConflictIsReported() {
    var failure =
        new AggregatedOperatorException(
            "Exception(s) during workflow execution.",
            Map.of("deployment", status(409), "service", status(500)));

    assertThat(FluxDeploymentReconciler.isConflict(failure)).isFalse();
    assertThat(FluxDeploymentReconciler.isConflict(status(403))).isFalse();
    assertThat(FluxDeploymentReconciler.isConflict(new IllegalStateException("bug"))).isFalse();
  }
}
