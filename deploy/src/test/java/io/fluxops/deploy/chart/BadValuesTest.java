package io.fluxops.deploy.chart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fluxops.deploy.support.HelmChart;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values a user gets wrong fail `helm install` and `helm template` before anything reaches the
 * cluster, with a message that names the value: values.schema.json for typos, types and ranges, the
 * templates for rules across values.
 */
class BadValuesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          misspelt-key.yaml                          | at '': additional properties 'replicaCont' not allowed
          misspelt-nested-key.yaml                   | at '/nvidiaDevicePlugin/timeSlicing': additional properties 'replica' not allowed
          wrong-type.yaml                            | at '/replicaCount': got string, want integer
          unknown-pull-policy.yaml                   | at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'
          invalid-namespace.yaml                     | at '/watchNamespaces/0': 'Flux_Team' does not match pattern
          negative-price.yaml                        | at '/costs/gpuHourlyPriceUsd/rtx4090': minimum: got -1, want 0
          price-not-a-number.yaml                    | at '/costs/gpuHourlyPriceUsd/rtx4090': 'cheap' does not match pattern
          existing-service-account-without-name.yaml | serviceAccount.name: name the existing ServiceAccount to run the operator as, or set serviceAccount.create=true
          inference-network-policy-without-namespaces.yaml | inferenceNetworkPolicy.enabled needs watchNamespaces
          replicas-without-leader-election.yaml      | replicaCount is 3 but leaderElection.enabled is false: replicas without leader election would all reconcile the same FluxDeployments. Set leaderElection.enabled=true, or replicaCount=1.
          """)
  void refusesWithAMessageNamingTheValue(String valuesFile, String message) {
    assertThatThrownBy(() -> HelmChart.render("invalid/" + valuesFile))
        .hasMessageContaining(message);
  }
}
