package io.fluxops.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fluxops.operator.testing.Examples;
import io.fluxops.operator.workload.SpecValidator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Evaluates the generated CRD's CEL rules with cel-java, as an API server would, and checks that
 * the operator's own validator agrees with each of them.
 */
class CelRulesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  /** A CEL rule of the CRD, where it sits in the spec, and its message. */
  record Rule(String path, String expression, String message) {}

  private static final String BASE =
      "model: flux-1-schnell\ngpu: {type: rtx-4090}\nserver: {image: example.com/flux:1}\n";
  private static final String LICENSE = "license: {secretRef: {name: bfl-license}}\n";

  /** A licensed model, for the rules on counting. */
  private static final String DEV_LICENSED =
      "model: flux-1-dev\ngpu: {type: rtx-4090}\nserver: {image: example.com/flux:1}\n"
          + "license: {secretRef: {name: bfl-license}}\n";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            SpecRules.REPLICAS_XOR_AUTOSCALING_MESSAGE,
            BASE + "replicas: 2\n",
            BASE + "replicas: 2\nautoscaling: {minReplicas: 1, maxReplicas: 3}\n"),
        Arguments.of(
            SpecRules.FP4_NEEDS_BLACKWELL_MESSAGE,
            "model: flux-1-schnell\ngpu: {type: blackwell}\nserver: {image: x}\n"
                + "tensorRT: {mode: fp4}\n",
            BASE + "tensorRT: {mode: fp4}\n"),
        Arguments.of(
            SpecRules.LICENSE_REQUIRED_MESSAGE,
            BASE.replace("flux-1-schnell", "flux-1-dev") + LICENSE,
            BASE.replace("flux-1-schnell", "flux-1-dev")),
        Arguments.of(
            SpecRules.MIN_NOT_ABOVE_MAX_MESSAGE,
            BASE + "autoscaling: {minReplicas: 2, maxReplicas: 2}\n",
            BASE + "autoscaling: {minReplicas: 3, maxReplicas: 2}\n"),
        Arguments.of(
            SpecRules.ZERO_NEEDS_EXTERNAL_QUEUE_MESSAGE,
            BASE
                + "autoscaling: {minReplicas: 0, maxReplicas: 2, queue: {source: redis,"
                + " redis: {address: 'redis:6379', key: jobs}}}\n",
            BASE + "autoscaling: {minReplicas: 0, maxReplicas: 2, queue: {source: pods}}\n"),
        Arguments.of(
            SpecRules.PROMETHEUS_QUEUE_CONFIGURED_MESSAGE,
            BASE
                + "autoscaling: {queue: {source: prometheus, prometheus: {url: 'http://p:9090',"
                + " query: 'sum(q)'}}}\n",
            BASE + "autoscaling: {queue: {source: prometheus}}\n"),
        Arguments.of(
            SpecRules.REDIS_QUEUE_CONFIGURED_MESSAGE,
            BASE
                + "autoscaling: {queue: {source: redis, redis: {address: 'redis:6379', key:"
                + " jobs}}}\n",
            BASE + "autoscaling: {queue: {source: redis}}\n"),
        Arguments.of(
            SpecRules.CACHE_REPO_FOR_TOOLS_MESSAGE,
            BASE.replace("flux-1-schnell", "flux-tools")
                + LICENSE
                + "modelCache: {claimName: w, source: {huggingface: {repo:"
                + " black-forest-labs/FLUX.1-Fill-dev}}}\n",
            BASE.replace("flux-1-schnell", "flux-tools")
                + LICENSE
                + "modelCache: {claimName: w, source: {huggingface: {revision: main}}}\n"),
        Arguments.of(
            SpecRules.TOKEN_APART_FROM_LICENSE_MESSAGE,
            BASE.replace("flux-1-schnell", "flux-1-dev")
                + LICENSE
                + "modelCache: {claimName: w, source: {huggingface: {tokenSecretRef: {name:"
                + " hf-token}}}}\n",
            BASE.replace("flux-1-schnell", "flux-1-dev")
                + LICENSE
                + "modelCache: {claimName: w, source: {huggingface: {tokenSecretRef: {name:"
                + " bfl-license}}}}\n"),
        Arguments.of(
            SpecRules.PROXY_NEEDS_KNOWN_API_MESSAGE, dev("nim", "proxy"), dev("custom", "proxy")),
        Arguments.of(
            SpecRules.PROXY_NEEDS_KNOWN_API_MESSAGE,
            dev("openai", "proxy"),
            dev("comfyui", "proxy")),
        Arguments.of(
            SpecRules.COMFYUI_COUNTING_NEEDS_COMFYUI_MESSAGE,
            dev("comfyui", "comfyui"),
            dev("nim", "comfyui")),
        Arguments.of(
            SpecRules.COMFYUI_COUNTING_NEEDS_COMFYUI_MESSAGE,
            dev("comfyui", "comfyui"),
            DEV_LICENSED.replace("}}", "}, counting: comfyui}")),
        Arguments.of(
            SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE,
            dev("custom", "relay"),
            dev("nim", "relay")),
        Arguments.of(
            SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE,
            dev("custom", "metric"),
            dev("comfyui", "metric")),
        Arguments.of(
            SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE,
            DEV_LICENSED.replace("}}", "}, counting: relay}"),
            dev("openai", "metric")),
        Arguments.of(
            SpecRules.COMFYUI_QUEUE_NEEDS_COMFYUI_MESSAGE,
            BASE.replace("{image:", "{api: comfyui, image:")
                + "autoscaling: {queue: {source: comfyui}}\n",
            BASE.replace("{image:", "{api: nim, image:")
                + "autoscaling: {queue: {source: comfyui}}\n"));
  }

  /** A licensed flux-1-dev whose spec.server.api and spec.license.counting are both set. */
  private static String dev(String api, String counting) {
    return DEV_LICENSED
        .replace("{image:", "{api: " + api + ", image:")
        .replace("}}", "}, counting: " + counting + "}");
  }

  @Test
  void everyRuleOfTheCrdHasACase() {
    List<String> tested = cases().map(a -> (String) a.get()[0]).distinct().toList();
    assertThat(rules()).extracting(Rule::message).containsExactlyInAnyOrderElementsOf(tested);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ruleAcceptsTheValidSpecAndRejectsTheInvalidOneWithItsMessage(
      String message, String validSpec, String invalidSpec) throws Exception {
    Rule rule = rules().stream().filter(r -> r.message().equals(message)).findFirst().orElseThrow();

    assertThat(evaluate(rule, validSpec)).as("CEL on the valid spec").isTrue();
    assertThat(evaluate(rule, invalidSpec)).as("CEL on the invalid spec").isFalse();

    assertThat(SpecValidator.validate(spec(validSpec))).isInstanceOf(SpecValidator.Valid.class);
    assertThat(SpecValidator.validate(spec(invalidSpec)))
        .isInstanceOfSatisfying(
            SpecValidator.Invalid.class,
            invalid -> assertThat(invalid.problems()).contains(message));
  }

  private static boolean evaluate(Rule rule, String specYaml) throws Exception {
    Object self = YAML.readValue(specYaml, Map.class);
    for (String field : rule.path().isEmpty() ? new String[0] : rule.path().split("\\.")) {
      self = ((Map<?, ?>) self).get(field);
    }
    var ast = COMPILER.compile(rule.expression()).getAst();
    return (Boolean) RUNTIME.createProgram(ast).eval(Map.of("self", celValue(self)));
  }

  /** CEL integers are 64-bit: widen what YAML parsed as Integer. */
  private static Object celValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> converted = new LinkedHashMap<>();
      map.forEach((k, v) -> converted.put((String) k, celValue(v)));
      return converted;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(CelRulesTest::celValue).toList();
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    return value;
  }

  private static FluxDeploymentSpec spec(String yaml) {
    return new KubernetesSerialization().unmarshal(yaml, FluxDeploymentSpec.class);
  }

  /** All x-kubernetes-validations of the generated CRD's spec, with their paths. */
  static List<Rule> rules() {
    try {
      JsonNode crd = YAML.readTree(Examples.read(Examples.GENERATED_CRD));
      JsonNode spec = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
      List<Rule> rules = new ArrayList<>();
      collect(spec, "", rules);
      return rules;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void collect(JsonNode schema, String path, List<Rule> rules) {
    schema
        .path("x-kubernetes-validations")
        .forEach(v -> rules.add(new Rule(path, v.get("rule").asText(), v.get("message").asText())));
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            e ->
                collect(
                    e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), rules));
  }
}
