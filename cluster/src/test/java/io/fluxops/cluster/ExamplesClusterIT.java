package io.fluxops.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.SpecRules;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a user meets at {@code kubectl apply}: the examples apply, the API server defaults what the
 * Java classes default, unknown fields are refused or pruned, and every CEL rule refuses its bad
 * spec with its message.
 */
@ExtendWith(RealCluster.class)
class ExamplesClusterIT {

  private static final String NAMESPACE = "examples-it";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The fewest fields a valid FluxDeployment has. */
  private static final String MINIMAL =
      """
      apiVersion: fluxops.io/v1alpha1
      kind: FluxDeployment
      metadata:
        name: %s
      spec:
        model: flux-1-dev
        gpu: {type: rtx-4090}
        license:
          secretRef: {name: bfl-license}
        server:
          image: example.com/flux-server:1.0
      """;

  @BeforeAll
  static void installCrd(KwokCluster cluster) {
    Fixtures.installCrd(cluster);
    Fixtures.createNamespace(cluster, NAMESPACE);
  }

  @AfterAll
  static void deleteFluxDeployments(KwokCluster cluster) {
    Fixtures.deleteFluxDeployments(cluster, NAMESPACE);
  }

  static Stream<Path> examples() throws IOException {
    return Fixtures.exampleFiles();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExampleAppliesWithStrictValidation(Path example, KwokCluster cluster) {
    Command.Result applied =
        cluster
            .kubectl("apply", "--validate=strict", "-n", NAMESPACE, "-f", example.toString())
            .run();
    assertThat(applied.exitCode()).as(applied.failure()).isZero();
    assertThat(applied.stderr()).as("warnings from the API server").doesNotContain("Warning");
  }

  @Test
  void theApiServerDefaultsWhatTheJavaClassesDefault(KwokCluster cluster) throws IOException {
    String yaml = MINIMAL.formatted("defaults");
    cluster.kubectl("apply", "-n", NAMESPACE, "-f", "-").stdin(yaml).runOrThrow();
    String stored =
        cluster.kubectl("get", "fxd", "defaults", "-n", NAMESPACE, "-o", "json").runOrThrow();
    JsonNode serverSpec = JSON.readTree(stored).get("spec");

    FluxDeployment javaSide = SERIALIZATION.unmarshal(yaml, FluxDeployment.class);
    JsonNode javaSpec =
        JSON.valueToTree(SERIALIZATION.convertValue(javaSide.getSpec(), Object.class));

    // The Java classes start lists empty where the server leaves them out: the same spec.
    assertThat(withoutEmptyLists(serverSpec))
        .as("the spec as the API server stored it (defaults applied) against the Java defaults")
        .isEqualTo(withoutEmptyLists(javaSpec));
  }

  private static JsonNode withoutEmptyLists(JsonNode node) {
    if (node instanceof ObjectNode object) {
      ObjectNode copy = JSON.createObjectNode();
      object
          .fields()
          .forEachRemaining(
              field -> {
                if (!(field.getValue().isArray() && field.getValue().isEmpty())) {
                  copy.set(field.getKey(), withoutEmptyLists(field.getValue()));
                }
              });
      return copy;
    }
    return node;
  }

  @Test
  void aFieldTheCrdDoesNotKnowIsRefusedWhenStrictAndPrunedOtherwise(KwokCluster cluster) {
    String yaml =
        MINIMAL
            .formatted("unknown-field")
            .replace("gpu: {type: rtx-4090}", "gpu: {type: rtx-4090, cuont: 2}");
    Command.Result strict =
        cluster.kubectl("apply", "--validate=strict", "-n", NAMESPACE, "-f", "-").stdin(yaml).run();
    assertThat(strict.exitCode()).isNotZero();
    assertThat(strict.stderr()).contains("unknown field \"spec.gpu.cuont\"");

    Command.Result lax =
        cluster.kubectl("apply", "--validate=false", "-n", NAMESPACE, "-f", "-").stdin(yaml).run();
    assertThat(lax.exitCode()).as(lax.failure()).isZero();
    GenericKubernetesResource stored =
        cluster
            .admin()
            .genericKubernetesResources("fluxops.io/v1alpha1", "FluxDeployment")
            .inNamespace(NAMESPACE)
            .withName("unknown-field")
            .get();
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> gpu =
        (java.util.Map<String, Object>)
            ((java.util.Map<String, Object>) stored.getAdditionalProperties().get("spec"))
                .get("gpu");
    assertThat(gpu).as("the pruned spec.gpu").containsOnlyKeys("type", "count");
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of(
            "fp4 on an RTX 4090",
            List.of("gpu: {type: rtx-4090}", "gpu: {type: rtx-4090}\n  tensorRT: {mode: fp4}"),
            SpecRules.FP4_NEEDS_BLACKWELL_MESSAGE),
        Arguments.of(
            "replicas and autoscaling",
            List.of(
                "gpu: {type: rtx-4090}",
                "gpu: {type: rtx-4090}\n  replicas: 2\n  autoscaling: {maxReplicas: 4}"),
            SpecRules.REPLICAS_XOR_AUTOSCALING_MESSAGE),
        Arguments.of(
            "a licensed model without a licence",
            List.of("  license:\n    secretRef: {name: bfl-license}\n", ""),
            SpecRules.LICENSE_REQUIRED_MESSAGE),
        Arguments.of(
            "minReplicas above maxReplicas",
            List.of(
                "gpu: {type: rtx-4090}",
                "gpu: {type: rtx-4090}\n  autoscaling: {minReplicas: 5, maxReplicas: 2}"),
            SpecRules.MIN_NOT_ABOVE_MAX_MESSAGE),
        Arguments.of(
            "scale to zero on the pods' own queue",
            List.of(
                "gpu: {type: rtx-4090}",
                "gpu: {type: rtx-4090}\n  autoscaling: {minReplicas: 0, queue: {source: pods}}"),
            SpecRules.ZERO_NEEDS_EXTERNAL_QUEUE_MESSAGE),
        Arguments.of(
            "a prometheus queue without its block",
            List.of(
                "gpu: {type: rtx-4090}",
                "gpu: {type: rtx-4090}\n  autoscaling: {queue: {source: prometheus}}"),
            SpecRules.PROMETHEUS_QUEUE_CONFIGURED_MESSAGE),
        Arguments.of(
            "a redis queue without its block",
            List.of(
                "gpu: {type: rtx-4090}",
                "gpu: {type: rtx-4090}\n  autoscaling: {queue: {source: redis}}"),
            SpecRules.REDIS_QUEUE_CONFIGURED_MESSAGE),
        Arguments.of(
            "relay counting on a NIM",
            List.of(
                "secretRef: {name: bfl-license}\n  server:\n",
                "secretRef: {name: bfl-license}\n    counting: relay\n  server:\n    api: nim\n"),
            SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE),
        Arguments.of(
            "proxy counting on a custom server",
            List.of(
                "secretRef: {name: bfl-license}\n",
                "secretRef: {name: bfl-license}\n    counting: proxy\n"),
            SpecRules.PROXY_NEEDS_KNOWN_API_MESSAGE),
        Arguments.of(
            "comfyui counting on an OpenAI-style server",
            List.of(
                "secretRef: {name: bfl-license}\n  server:\n",
                "secretRef: {name: bfl-license}\n    counting: comfyui\n  server:\n"
                    + "    api: openai\n"),
            SpecRules.COMFYUI_COUNTING_NEEDS_COMFYUI_MESSAGE),
        Arguments.of(
            "a ComfyUI queue on a NIM",
            List.of(
                "secretRef: {name: bfl-license}\n  server:\n",
                "secretRef: {name: bfl-license}\n  autoscaling: {queue: {source: comfyui}}\n"
                    + "  server:\n    api: nim\n"),
            SpecRules.COMFYUI_QUEUE_NEEDS_COMFYUI_MESSAGE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void everyCelRuleRefusesItsBadSpecWithItsMessage(
      String what, List<String> edit, String message, KwokCluster cluster) {
    String yaml = MINIMAL.formatted("bad").replace(edit.get(0), edit.get(1));
    Command.Result applied = cluster.kubectl("apply", "-n", NAMESPACE, "-f", "-").stdin(yaml).run();
    Captured.write(
        "kubectl-apply-bad-" + what.replace(' ', '-'),
        "kubectl apply -f bad.yaml",
        applied.stderr());
    assertThat(applied.exitCode()).as(what + " must be refused").isNotZero();
    assertThat(applied.stderr())
        .contains("The FluxDeployment \"bad\" is invalid")
        .contains(message);
  }
}
