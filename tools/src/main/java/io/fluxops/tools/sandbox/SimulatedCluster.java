package io.fluxops.tools.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fluxops.operator.gpu.GpuLabels;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SIMULATED: an in-process Kubernetes API server (the Fabric8 mock server in CRUD mode) with the
 * FluxDeployment CRD installed and GPU nodes registered as NVIDIA's device plugin and GPU feature
 * discovery would register them. It has no scheduler or kubelet: {@link SimulatedKubelet} plays
 * them.
 */
final class SimulatedCluster implements ControlPlane {

  private static final String CRD = "/META-INF/fabric8/fluxdeployments.fluxops.io-v1.yml";

  /** A simulated GPU node pool: how many nodes, their GPUs and their GFD labels. */
  record NodePool(String prefix, int nodes, int gpusPerNode, Map<String, String> labels) {}

  /** Both GPU types FluxOps knows, as GPU feature discovery labels them. */
  static final List<NodePool> POOLS =
      List.of(
          new NodePool(
              "sim-rtx4090-",
              10,
              2,
              Map.of(
                  GpuLabels.PRODUCT,
                  "NVIDIA-GeForce-RTX-4090",
                  GpuLabels.FAMILY,
                  "ada-lovelace",
                  GpuLabels.COMPUTE_MAJOR,
                  "8",
                  "nvidia.com/gpu.memory",
                  "24564",
                  "nvidia.com/gpu.count",
                  "2",
                  "nvidia.com/gpu.present",
                  "true")),
          new NodePool(
              "sim-rtx5090-",
              2,
              2,
              Map.of(
                  GpuLabels.PRODUCT,
                  "NVIDIA-GeForce-RTX-5090",
                  GpuLabels.FAMILY,
                  "blackwell",
                  GpuLabels.COMPUTE_MAJOR,
                  "12",
                  "nvidia.com/gpu.memory",
                  "32607",
                  "nvidia.com/gpu.count",
                  "2",
                  "nvidia.com/gpu.present",
                  "true")));

  /** Held so the setting sticks (JUL keeps loggers weakly): the mock server logs every request. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final List<String> refusedPatches = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  SimulatedCluster() throws IOException {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new RefusingDispatcher(refusedPatches),
            false);
    server.init(java.net.InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    try (InputStream crd = SimulatedCluster.class.getResourceAsStream(CRD)) {
      if (crd == null) {
        throw new IOException("the FluxDeployment CRD " + CRD + " is not on the classpath");
      }
      CustomResourceDefinition definition =
          client.apiextensions().v1().customResourceDefinitions().load(crd).item();
      client.apiextensions().v1().customResourceDefinitions().resource(definition).create();
    }
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    for (NodePool pool : POOLS) {
      for (int i = 1; i <= pool.nodes(); i++) {
        client.nodes().resource(node(pool, pool.prefix() + i)).create();
      }
    }
  }

  /**
   * The mock server's CRUD dispatcher, except for a JSON patch it cannot apply ("Array index 1 out
   * of bounds"): the mock leaves that request unanswered until the client times out; kube-apiserver
   * answers 422 at once, and so does this, and keeps the request for the summary.
   */
  private static final class RefusingDispatcher extends KubernetesCrudDispatcher {
    private final List<String> refused;

    RefusingDispatcher(List<String> refused) {
      this.refused = refused;
    }

    /**
     * As kube-apiserver: an update of one of these kinds keeps the stored status, which only their
     * {@code /status} subresource changes. The mock knows that of custom resources alone, from
     * their CRDs, and otherwise stores what the update sends: the operator's Deployment updates
     * carry no status, so each one wiped its {@code readyReplicas} until the simulated controller
     * wrote it again, and the scaler, reading its ready pods as starting, grew back what it had
     * just shrunk.
     */
    @Override
    public boolean isStatusSubresourceEnabledForResource(String path) {
      return WITH_STATUS_SUBRESOURCE.contains(plural(path))
          || super.isStatusSubresourceEnabledForResource(path);
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      // Read before the dispatcher reads the body: reading it empties it.
      String body =
          request.getBody() == null
              ? ""
              : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
      try {
        return super.handlePatch(request);
      } catch (RuntimeException e) {
        refused.add("PATCH " + request.getPath() + " " + body + ": " + e.getMessage());
        return new MockResponse()
            .setResponseCode(422)
            .setHeader("Content-Type", "application/json")
            .setBody(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                    + "\"reason\":\"Invalid\",\"code\":422,\"message\":\"the patch cannot be"
                    + " applied: "
                    + e.getMessage().replace("\"", "'")
                    + "\"}");
      }
    }
  }

  /**
   * Built-in kinds the operator creates and updates whose status is a subresource; the mock then
   * also drops a status sent on create, as kube-apiserver does for them. Not the kinds the sandbox
   * creates with a status, standing in for their controllers (nodes with their capacity, pods
   * Pending).
   */
  private static final Set<String> WITH_STATUS_SUBRESOURCE =
      Set.of("deployments", "jobs", "services", "poddisruptionbudgets");

  /**
   * The resource's plural in an API path ({@code /api/v1/namespaces/flux/pods/p} or {@code
   * /apis/apps/v1/namespaces/flux/deployments/d/status}: pods, deployments), as the mock reads it,
   * or "".
   */
  static String plural(String path) {
    return PATHS.fromKubernetesPath(path).getOrDefault(KubernetesAttributesExtractor.PLURAL, "");
  }

  private static final KubernetesAttributesExtractor PATHS = new KubernetesAttributesExtractor();

  /** The JSON patches the mock server could not apply, each with its path, body and error. */
  @Override
  public List<String> refusedPatches() {
    return List.copyOf(refusedPatches);
  }

  static Node node(NodePool pool, String name) {
    Map<String, Quantity> resources =
        Map.of(
            GpuLabels.GPU_RESOURCE,
            new Quantity(String.valueOf(pool.gpusPerNode())),
            "cpu",
            new Quantity("32"),
            "memory",
            new Quantity("256Gi"));
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(pool.labels())
        .addToAnnotations("fluxops.io/simulated", "true")
        .endMetadata()
        .withNewSpec()
        .addNewTaint()
        .withKey(GpuLabels.GPU_TAINT_KEY)
        .withValue("present")
        .withEffect("NoSchedule")
        .endTaint()
        .endSpec()
        .withNewStatus()
        .withCapacity(resources)
        .withAllocatable(resources)
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  @Override
  public <T extends HasMetadata> T create(T object) {
    object.getMetadata().setNamespace(NAMESPACE);
    return client.resource(object).create();
  }

  Secret secret(String name) {
    return client.secrets().inNamespace(NAMESPACE).withName(name).get();
  }

  /** The API server's URL, for {@code kubectl --server}. */
  String url() {
    return client.getConfiguration().getMasterUrl();
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public List<String> describe() {
    List<String> lines = new java.util.ArrayList<>();
    lines.add(
        String.format(
            java.util.Locale.ROOT,
            "  API server        %s (simulated: Fabric8 mock server, CRUD mode, no CEL)",
            url()));
    for (NodePool pool : POOLS) {
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "  GPU nodes         %d x %sN with %d nvidia.com/gpu each (simulated)",
              pool.nodes(),
              pool.prefix(),
              pool.gpusPerNode()));
    }
    lines.add(
        "  scheduler etc.    simulated: the scheduler, kubelet and Deployment and Job controllers");
    return lines;
  }

  @Override
  public PodRunner pods(PodRunner.PodRuntime runtime) {
    return new SimulatedKubelet(client, runtime);
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
