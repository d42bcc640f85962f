package io.fluxops.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fluxops.operator.api.SpecRules;
import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.testing.FakeKubelet;
import io.fluxops.operator.testing.MockCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FluxDeployments a user can get wrong, applied together to one operator (as an API server without
 * CEL would let them through), each with the status and message it gets, while a good
 * FluxDeployment beside them keeps being served.
 */
class BadSpecCatalogueTest {

  private static final String NS = "catalogue";
  private static final String GOOD =
      "{model: flux-1-schnell, gpu: {type: rtx-4090}, server: {image: x}}";

  /** A bad FluxDeployment: its name, its spec as YAML, and what its Ready message contains. */
  record Case(String name, String spec, String message) {}

  /** The start of a licensed flux-1-dev, for the cases on server.api and counting. */
  private static final String DEV = "{model: flux-1-dev, gpu: {type: rtx-4090},";

  static final List<Case> CASES =
      List.of(
          new Case(
              "fp4-on-4090",
              "{model: flux-1-schnell, gpu: {type: rtx-4090}, server: {image: x}, tensorRT: {mode: fp4}}",
              SpecRules.FP4_NEEDS_BLACKWELL_MESSAGE),
          new Case(
              "replicas-and-autoscaling",
              "{model: flux-1-schnell, gpu: {type: rtx-4090}, server: {image: x}, replicas: 2,"
                  + " autoscaling: {maxReplicas: 3}}",
              SpecRules.REPLICAS_XOR_AUTOSCALING_MESSAGE),
          new Case(
              "no-license",
              "{model: flux-1-dev, gpu: {type: rtx-4090}, server: {image: x}}",
              SpecRules.LICENSE_REQUIRED_MESSAGE),
          new Case(
              "min-above-max",
              "{model: flux-1-schnell, gpu: {type: rtx-4090}, server: {image: x},"
                  + " autoscaling: {minReplicas: 5, maxReplicas: 2}}",
              SpecRules.MIN_NOT_ABOVE_MAX_MESSAGE),
          new Case(
              "zero-on-pods",
              "{model: flux-1-schnell, gpu: {type: rtx-4090}, server: {image: x},"
                  + " autoscaling: {minReplicas: 0}}",
              SpecRules.ZERO_NEEDS_EXTERNAL_QUEUE_MESSAGE),
          new Case(
              "prometheus-without-query",
              "{model: flux-1-schnell, gpu: {type: rtx-4090}, server: {image: x},"
                  + " autoscaling: {queue: {source: prometheus}}}",
              SpecRules.PROMETHEUS_QUEUE_CONFIGURED_MESSAGE),
          new Case(
              "redis-without-key",
              "{model: flux-1-schnell, gpu: {type: rtx-4090}, server: {image: x},"
                  + " autoscaling: {queue: {source: redis}}}",
              SpecRules.REDIS_QUEUE_CONFIGURED_MESSAGE),
          new Case(
              "unknown-model",
              "{model: flux-pro-1.1, gpu: {type: rtx-4090}, server: {image: x}}",
              "spec.model \"flux-pro-1.1\" is not supported"),
          new Case(
              "unknown-gpu",
              "{model: flux-1-schnell, gpu: {type: h100}, server: {image: x}}",
              "spec.gpu.type \"h100\" is not supported: use one of rtx-4090, blackwell"),
          new Case(
              "unknown-tensorrt-mode",
              "{model: flux-1-schnell, gpu: {type: blackwell}, server: {image: x},"
                  + " tensorRT: {mode: int4}}",
              "spec.tensorRT.mode \"int4\" is not supported"),
          new Case(
              "huge-replicas",
              "{model: flux-1-schnell, gpu: {type: rtx-4090}, server: {image: x}, replicas: 1000000}",
              "spec.replicas 1000000 is out of range: use 0 to 1000"),
          new Case(
              "replicas-beyond-int",
              "{model: flux-1-schnell, gpu: {type: rtx-4090}, server: {image: x}, replicas: 99999999999}",
              "spec.replicas"),
          new Case(
              "huge-gpu-count",
              "{model: flux-1-schnell, gpu: {type: rtx-4090, count: 64}, server: {image: x}}",
              "spec.gpu.count 64 is out of range: use 1 to 8"),
          new Case("no-gpu", "{model: flux-1-schnell, server: {image: x}}", "spec.gpu is required"),
          new Case(
              "no-server",
              "{model: flux-1-schnell, gpu: {type: rtx-4090}}",
              "spec.server.image is required"),
          new Case("empty-spec", "{}", "spec.model is required"),
          new Case(
              "relay-on-nim",
              DEV
                  + " server: {api: nim, image: x}, license: {secretRef: {name: l}, counting: relay}}",
              SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE),
          new Case(
              "metric-on-comfyui",
              DEV
                  + " server: {api: comfyui, image: x}, license: {secretRef: {name: l}, counting:"
                  + " metric}}",
              SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE),
          new Case(
              "proxy-on-custom",
              DEV + " server: {image: x}, license: {secretRef: {name: l}, counting: proxy}}",
              SpecRules.PROXY_NEEDS_KNOWN_API_MESSAGE),
          new Case(
              "proxy-on-comfyui",
              DEV
                  + " server: {api: comfyui, image: x}, license: {secretRef: {name: l}, counting:"
                  + " proxy}}",
              SpecRules.PROXY_NEEDS_KNOWN_API_MESSAGE),
          new Case(
              "comfyui-counting-on-openai",
              DEV
                  + " server: {api: openai, image: x}, license: {secretRef: {name: l}, counting:"
                  + " comfyui}}",
              SpecRules.COMFYUI_COUNTING_NEEDS_COMFYUI_MESSAGE),
          new Case(
              "comfyui-queue-on-nim",
              DEV
                  + " server: {api: nim, image: x}, license: {secretRef: {name: l}},"
                  + " autoscaling: {queue: {source: comfyui}}}",
              SpecRules.COMFYUI_QUEUE_NEEDS_COMFYUI_MESSAGE),
          new Case(
              "unknown-api",
              DEV + " server: {api: triton, image: x}, license: {secretRef: {name: l}}}",
              "spec.server.api \"triton\" is not supported: use one of custom, comfyui, nim,"
                  + " openai"),
          new Case(
              "nim-port-variable",
              DEV
                  + " server: {api: nim, image: x, env: [{name: NIM_HTTP_API_PORT, value: '8000'}]},"
                  + " license: {secretRef: {name: l}}}",
              "spec.server.env NIM_HTTP_API_PORT is set by FluxOps for server.api nim"),
          new Case(
              "serving-port-behind-the-proxy",
              DEV
                  + " server: {api: openai, image: x, port: 9472}, license: {secretRef: {name: l}}}",
              "spec.server.port 9472 is where the server itself listens behind the sidecar"));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static MockCluster cluster;

  @BeforeAll
  static void applyAll() {
    cluster = new MockCluster().startOperator();
    for (Case c : CASES) {
      create(c.name(), c.spec());
    }
    create("good", GOOD);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void eachBadSpecGetsInvalidSpecWithItsMessage() {
    await()
        .atMost(MockCluster.TIMEOUT)
        .untilAsserted(
            () -> {
              for (Case c : CASES) {
                var ready = cluster.condition(NS, c.name(), ConditionType.READY);
                assertThat(ready.getReason()).as(c.name()).isEqualTo("InvalidSpec");
                assertThat(ready.getStatus()).as(c.name()).isEqualTo("False");
                assertThat(ready.getMessage()).as(c.name()).contains(c.message());
              }
            });
    for (Case c : CASES) {
      assertThat(cluster.client().apps().deployments().inNamespace(NS).withName(c.name()).get())
          .as("nothing is created for %s", c.name())
          .isNull();
    }
  }

  @Test
  void theGoodOneIsServedMeanwhile() {
    cluster.awaitDeployment(NS, "good");
    new FakeKubelet(cluster.client()).runReady(NS, "good");
    await()
        .atMost(MockCluster.TIMEOUT)
        .until(() -> "True".equals(cluster.condition(NS, "good", ConditionType.READY).getStatus()));
  }

  @Test
  void aGpuTypeNoNodeOffersIsReportedFromTheScheduler() {
    create(
        "no-blackwell-nodes",
        "{model: flux-1-schnell, gpu: {type: blackwell}, server: {image: x}}");
    cluster.awaitDeployment(NS, "no-blackwell-nodes");
    String message =
        "0/6 nodes are available: 6 node(s) didn't match Pod's node affinity/selector.";
    new FakeKubelet(cluster.client()).runUnschedulable(NS, "no-blackwell-nodes", message);

    await()
        .atMost(MockCluster.TIMEOUT)
        .untilAsserted(
            () -> {
              var gpu = cluster.condition(NS, "no-blackwell-nodes", ConditionType.GPU_AVAILABLE);
              assertThat(gpu.getReason()).isEqualTo("NoMatchingGPUNode");
              assertThat(gpu.getMessage()).isEqualTo(message);
            });
  }

  private static void create(String name, String specYaml) {
    GenericKubernetesResource resource = new GenericKubernetesResource();
    resource.setApiVersion("fluxops.io/v1alpha1");
    resource.setKind("FluxDeployment");
    resource.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .build());
    try {
      resource.setAdditionalProperty("spec", YAML.readValue(specYaml, Map.class));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    cluster
        .client()
        .genericKubernetesResources("fluxops.io/v1alpha1", "FluxDeployment")
        .inNamespace(NS)
        .resource(resource)
        .create();
  }
}
