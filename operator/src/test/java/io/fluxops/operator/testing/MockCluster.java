package io.fluxops.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fluxops.operator.FluxOpsOperator;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.FluxDeploymentStatus;
import io.fluxops.operator.config.OperatorConfig;
import io.fluxops.operator.config.OperatorOptions;
import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.status.Conditions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Fabric8 mock API server in CRUD mode with the FluxDeployment CRD installed, and the operator in
 * its production configuration running against it.
 */
public final class MockCluster implements AutoCloseable {

  /** How long tests wait for the operator to act. */
  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final RecordingCrudDispatcher dispatcher;
  private final KubernetesMockServer server;
  private final NamespacedKubernetesClient client;
  private FluxOpsOperator operator;
  private NamespacedKubernetesClient operatorClient;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicInteger lostLeases = new AtomicInteger();

  private final boolean ownsServer;

  private MockCluster(MockCluster shared) {
    this.server = shared.server;
    this.dispatcher = shared.dispatcher;
    this.client = shared.client;
    this.ownsServer = false;
  }

  public MockCluster() {
    ownsServer = true;
    dispatcher = new RecordingCrudDispatcher();
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

  /** The API server's address, for a kubeconfig. */
  public String url() {
    return client.getConfiguration().getMasterUrl();
  }

  /** The default test configuration: all namespaces, no leader election. */
  public static OperatorConfig config() {
    return OperatorOptions.load(Map.of());
  }

  public MockCluster startOperator() {
    return startOperator(config());
  }

  public MockCluster startOperator(OperatorConfig config) {
    return startOperator(config, null);
  }

  /** Starts the operator with a name for its leader-election identity. */
  public MockCluster startOperator(OperatorConfig config, String identity) {
    // A short request timeout, so that an API server that does not answer is noticed quickly.
    operatorClient =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(client.getConfiguration())
                    .withRequestTimeout(2_000)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()
            .adapt(NamespacedKubernetesClient.class);
    operator =
        FluxOpsOperator.start(
            operatorClient,
            config,
            registry,
            Clock.systemUTC(),
            identity,
            lostLeases::incrementAndGet);
    return this;
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operatorClient.close();
      operator = null;
    }
  }

  /** Creates an example FluxDeployment in a namespace. */
  public FluxDeployment apply(String example, String namespace) {
    return client.resource(Examples.load(example, namespace)).create();
  }

  public Resource<FluxDeployment> fluxDeployment(String namespace, String name) {
    return client.resources(FluxDeployment.class).inNamespace(namespace).withName(name);
  }

  /** Waits for the operator to create the Deployment, and returns it. */
  public Deployment awaitDeployment(String namespace, String name) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> client.apps().deployments().inNamespace(namespace).withName(name).get(),
            d -> d != null);
  }

  /**
   * A FluxDeployment's status; an empty one while the operator has written none (a FluxDeployment
   * starts without a status, as on a real API server).
   */
  public FluxDeploymentStatus status(String namespace, String name) {
    var fd = fluxDeployment(namespace, name).get();
    return fd == null || fd.getStatus() == null ? new FluxDeploymentStatus() : fd.getStatus();
  }

  /** A condition of a FluxDeployment; an empty one while it has none. */
  public Condition condition(String namespace, String name, ConditionType type) {
    var fd = fluxDeployment(namespace, name).get();
    if (fd == null || fd.getStatus() == null) {
      return new Condition();
    }
    return Conditions.find(fd.getStatus().getConditions(), type).orElse(new Condition());
  }

  public NamespacedKubernetesClient client() {
    return client;
  }

  public RecordingCrudDispatcher dispatcher() {
    return dispatcher;
  }

  /** How often the operator lost a Lease it held (production would have exited). */
  public int lostLeases() {
    return lostLeases.get();
  }

  /** Another operator instance against the same API server, as a second replica would be. */
  public MockCluster secondInstance() {
    return new MockCluster(this);
  }

  /** The operator's metrics. */
  public SimpleMeterRegistry registry() {
    return registry;
  }

  public FluxOpsOperator operator() {
    return operator;
  }

  @Override
  public void close() {
    stopOperator();
    if (ownsServer) {
      client.close();
      server.destroy();
    }
  }
}
