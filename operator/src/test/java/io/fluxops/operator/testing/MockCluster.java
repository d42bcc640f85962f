package io.fluxops.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fluxops.operator.FluxOpsOperator;
import io.fluxops.operator.config.OperatorConfig;
import io.fluxops.operator.config.OperatorOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A Fabric8 mock API server in CRUD mode with the FluxDeployment CRD installed, and the operator in
 * its production configuration running against it.
 */
public final class MockCluster implements AutoCloseable {

  private final RecordingCrudDispatcher dispatcher = new RecordingCrudDispatcher();
  private final KubernetesMockServer server;
  private final NamespacedKubernetesClient client;
  private FluxOpsOperator operator;
  private NamespacedKubernetesClient operatorClient;

  public MockCluster() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient();
    CustomResourceDefinition crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .load(Examples.COMMITTED_CRD.toFile())
            .item();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  /** The default test configuration: all namespaces, no leader election. */
  public static OperatorConfig config() {
    return OperatorOptions.load(Map.of());
  }

  public MockCluster startOperator() {
    return startOperator(config());
  }

  public MockCluster startOperator(OperatorConfig config) {
    operatorClient = server.createClient();
    operator =
        FluxOpsOperator.start(
            operatorClient, config, new SimpleMeterRegistry(), Clock.systemUTC(), null);
    return this;
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operatorClient.close();
      operator = null;
    }
  }

  public NamespacedKubernetesClient client() {
    return client;
  }

  public RecordingCrudDispatcher dispatcher() {
    return dispatcher;
  }

  public FluxOpsOperator operator() {
    return operator;
  }

  @Override
  public void close() {
    stopOperator();
    client.close();
    server.destroy();
  }
}
