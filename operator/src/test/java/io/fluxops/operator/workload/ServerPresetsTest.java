package io.fluxops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fluxops.common.MeteringSidecar;
import io.fluxops.operator.api.CountingMode;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.FluxDeploymentSpec;
import io.fluxops.operator.api.QueueSourceType;
import io.fluxops.operator.api.ServerApi;
import io.fluxops.operator.api.SpecRules;
import io.fluxops.operator.testing.Examples;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code spec.server.api} makes of the pod: each preset's port, probes, environment and
 * counting, the sidecar owning the serving port with counting proxy, overrides, and the
 * combinations that cannot count, refused with a message that says what to set.
 */
class ServerPresetsTest {

  private static final String IMAGE = "ghcr.io/fluxops/fluxops-metering:0.1.0";

  @Test
  void customKeepsTodaysPod() {
    ValidatedSpec v = valid(Examples.load("flux-1-dev-rtx-4090.yaml", "ns"));
    PodSpec pod = pod(v);
    Container server = inference(pod);

    assertThat(v.api()).isEqualTo(ServerApi.CUSTOM);
    assertThat(v.counting()).isEqualTo(CountingMode.RELAY);
    assertThat(server.getPorts()).extracting(ContainerPort::getName).containsExactly("http");
    assertThat(server.getReadinessProbe().getHttpGet().getPort())
        .isEqualTo(new IntOrString("http"));
    assertThat(env(server))
        .containsKey(PodLayout.ENV_USAGE_URL)
        .doesNotContainKeys(PodLayout.ENV_SERVER_HOST, PodLayout.ENV_SERVER_PORT);
    assertThat(metering(pod).getCommand()).as("the image's own -Xint entrypoint").isEmpty();
    assertThat(metering(pod).getPorts())
        .extracting(ContainerPort::getName)
        .containsExactly("metering");
  }

  @Test
  void comfyuiListensOn8188ReadsItsQueueAndCountsItsHistory() {
    FluxDeployment fd = Examples.load("servers/flux-1-dev-comfyui.yaml", "ns");
    ValidatedSpec v = valid(fd);
    PodSpec pod = pod(v);
    Container server = inference(pod);

    assertThat(v.servingPort()).isEqualTo(8188);
    assertThat(v.queueSource()).isEqualTo(QueueSourceType.COMFYUI);
    assertThat(v.counting()).isEqualTo(CountingMode.COMFYUI);
    assertThat(server.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(8188);
            });
    assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/system_stats");
    assertThat(env(server))
        .containsEntry(PodLayout.ENV_SERVER_HOST, "0.0.0.0")
        .containsEntry(PodLayout.ENV_SERVER_PORT, "8188")
        .doesNotContainKey(PodLayout.ENV_USAGE_URL);
    assertThat(server.getLifecycle().getPreStop().getSleep().getSeconds())
        .as("time for the sidecar to read ComfyUI's last prompts")
        .isEqualTo(2L);
    assertThat(env(metering(pod)))
        .containsEntry("FLUXOPS_COUNTING", "comfyui")
        .containsEntry("FLUXOPS_UPSTREAM_URL", "http://127.0.0.1:8188")
        .doesNotContainKeys("FLUXOPS_PROXY_PORT", "FLUXOPS_SERVER_API");
    assertThat(metering(pod).getCommand()).isEmpty();
  }

  @Test
  void nimHandsItsServingPortToTheSidecarAndListensOnTheLoopback() {
    FluxDeployment fd = Examples.load("servers/flux-1-dev-nim.yaml", "ns");
    ValidatedSpec v = valid(fd);
    PodSpec pod = pod(v);
    Container server = inference(pod);
    Container sidecar = metering(pod);

    assertThat(server.getPorts()).as("nothing outside the pod may reach the server").isEmpty();
    assertThat(sidecar.getPorts())
        .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("metering", 9469),
            org.assertj.core.groups.Tuple.tuple("http", 8000));
    assertThat(env(server))
        .containsEntry("NIM_HTTP_API_PORT", "9472")
        .containsEntry(PodLayout.ENV_SERVER_HOST, "127.0.0.1")
        .containsEntry(PodLayout.ENV_SERVER_PORT, "9472")
        .doesNotContainKey(PodLayout.ENV_USAGE_URL);
    for (var probe : List.of(server.getReadinessProbe(), server.getStartupProbe())) {
      assertThat(probe.getHttpGet().getPort())
          .as("probes go through the sidecar")
          .isEqualTo(new IntOrString(8000));
      assertThat(probe.getHttpGet().getPath()).isEqualTo("/v1/health/ready");
    }
    assertThat(env(sidecar))
        .containsEntry("FLUXOPS_COUNTING", "proxy")
        .containsEntry("FLUXOPS_SERVER_API", "nim")
        .containsEntry("FLUXOPS_PROXY_PORT", "8000")
        .containsEntry("FLUXOPS_UPSTREAM_URL", "http://127.0.0.1:9472");
    assertThat(sidecar.getCommand())
        .isEqualTo(MeteringSidecar.imageCommand(MeteringSidecar.PROXY_JVM_FLAGS))
        .contains("-XX:TieredStopAtLevel=1")
        .doesNotContain("-Xint");
    assertThat(sidecar.getResources().getRequests().get("memory").toString()).isEqualTo("80Mi");
  }

  @Test
  void theServiceReachesTheSidecarWhenItProxies() {
    FluxDeployment fd = Examples.load("servers/flux-1-dev-nim.yaml", "ns");
    ValidatedSpec v = valid(fd);
    Service service = WorkloadFactory.service(fd, v);
    PodSpec pod = pod(v);

    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8000);
    String target = service.getSpec().getPorts().get(0).getTargetPort().getStrVal();
    assertThat(
            Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream())
                .filter(c -> c.getPorts().stream().anyMatch(p -> p.getName().equals(target)))
                .map(Container::getName))
        .as("the containers that declare the Service's target port")
        .containsExactly(PodLayout.METERING_CONTAINER);
  }

  @Test
  void openaiIsProxiedWithItsOwnApiAndHealthPath() {
    ValidatedSpec v = valid(Examples.load("servers/flux-1-dev-openai.yaml", "ns"));
    PodSpec pod = pod(v);

    assertThat(v.proxied()).isTrue();
    assertThat(inference(pod).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(env(inference(pod)))
        .containsEntry(PodLayout.ENV_SERVER_PORT, "9472")
        .doesNotContainKey("NIM_HTTP_API_PORT");
    assertThat(env(metering(pod)))
        .containsEntry("FLUXOPS_SERVER_API", "openai")
        .containsEntry("FLUXOPS_PROXY_PORT", "8000");
  }

  @Test
  void everyPresetValueCanBeSetByHand() {
    FluxDeployment fd = Examples.load("servers/flux-1-dev-nim.yaml", "ns");
    fd.getSpec().getServer().setPort(9000);
    fd.getSpec().getServer().setReadinessPath("/v1/health/live");
    fd.getSpec().getAutoscaling().setQueue(new io.fluxops.operator.api.QueueSpec());
    fd.getSpec().getAutoscaling().getQueue().setSource("redis");
    fd.getSpec().getAutoscaling().getQueue().setRedis(new io.fluxops.operator.api.RedisQueueSpec());
    fd.getSpec().getAutoscaling().getQueue().getRedis().setAddress("redis:6379");
    fd.getSpec().getAutoscaling().getQueue().getRedis().setKey("jobs");
    ValidatedSpec v = valid(fd);
    PodSpec pod = pod(v);

    assertThat(v.queueSource()).isEqualTo(QueueSourceType.REDIS);
    assertThat(env(metering(pod))).containsEntry("FLUXOPS_PROXY_PORT", "9000");
    assertThat(inference(pod).getReadinessProbe().getHttpGet())
        .satisfies(
            get -> {
              assertThat(get.getPort()).isEqualTo(new IntOrString(9000));
              assertThat(get.getPath()).isEqualTo("/v1/health/live");
            });
    assertThat(WorkloadFactory.service(fd, v).getSpec().getPorts().get(0).getPort())
        .isEqualTo(9000);
    assertThat(env(inference(pod))).containsEntry("NIM_HTTP_API_PORT", "9472");
  }

  @Test
  void aPodsQueueReadsTheSidecarsDepthWhenTheSidecarSeesEveryRequest() {
    assertThat(valid(Examples.load("servers/flux-1-dev-nim.yaml", "ns")).podsQueuePort())
        .isEqualTo(9469);

    FluxDeployment comfy = Examples.load("servers/flux-1-dev-comfyui.yaml", "ns");
    comfy.getSpec().getAutoscaling().setQueue(new io.fluxops.operator.api.QueueSpec());
    comfy.getSpec().getAutoscaling().getQueue().setSource("pods");
    assertThat(valid(comfy).queueSource()).isEqualTo(QueueSourceType.PODS);
    assertThat(valid(comfy).podsQueuePort()).isEqualTo(9469);

    FluxDeployment custom = Examples.load("flux-1-dev-rtx-4090.yaml", "ns");
    custom.getSpec().getAutoscaling().getQueue().getPods().setPort(null);
    assertThat(valid(custom).podsQueuePort()).as("today's default").isEqualTo(8080);
  }

  @Test
  void anUnmeteredNimServesItsOwnPortWithoutASidecar() {
    FluxDeployment fd = Examples.load("servers/flux-1-dev-nim.yaml", "ns");
    fd.getSpec().setModel("flux-1-schnell");
    fd.getSpec().setLicense(null);
    fd.getSpec().getServer().setImage("nvcr.io/nim/black-forest-labs/flux.1-schnell:1.1.4");
    ValidatedSpec v = valid(fd);
    PodSpec pod = pod(v);

    assertThat(pod.getInitContainers()).isEmpty();
    assertThat(inference(pod).getPorts())
        .extracting(ContainerPort::getContainerPort)
        .containsExactly(8000);
    assertThat(env(inference(pod)))
        .containsEntry("NIM_HTTP_API_PORT", "8000")
        .containsEntry(PodLayout.ENV_SERVER_HOST, "0.0.0.0");
  }

  static Stream<Arguments> refusedCombinations() {
    return Stream.of(
        Arguments.of("custom", "proxy", SpecRules.PROXY_NEEDS_KNOWN_API_MESSAGE),
        Arguments.of("comfyui", "proxy", SpecRules.PROXY_NEEDS_KNOWN_API_MESSAGE),
        Arguments.of("custom", "comfyui", SpecRules.COMFYUI_COUNTING_NEEDS_COMFYUI_MESSAGE),
        Arguments.of("nim", "comfyui", SpecRules.COMFYUI_COUNTING_NEEDS_COMFYUI_MESSAGE),
        Arguments.of("openai", "comfyui", SpecRules.COMFYUI_COUNTING_NEEDS_COMFYUI_MESSAGE),
        Arguments.of("nim", "relay", SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE),
        Arguments.of("nim", "metric", SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE),
        Arguments.of("openai", "relay", SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE),
        Arguments.of("openai", "metric", SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE),
        Arguments.of("comfyui", "relay", SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE),
        Arguments.of("comfyui", "metric", SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE));
  }

  @ParameterizedTest(name = "{0} with counting {1}")
  @MethodSource("refusedCombinations")
  void aCombinationThatCannotCountIsRefusedWithWhatToSet(
      String api, String counting, String message) {
    FluxDeploymentSpec spec = licensedDev(api);
    spec.getLicense().setCounting(counting);

    assertThat(problems(spec)).containsExactly(message);
  }

  @Test
  void everyCombinationNotRefusedCounts() {
    for (ServerApi api : ServerApi.values()) {
      for (CountingMode counting : CountingMode.values()) {
        boolean refused =
            refusedCombinations()
                .anyMatch(
                    a -> a.get()[0].equals(api.value()) && a.get()[1].equals(counting.value()));
        FluxDeploymentSpec spec = licensedDev(api.value());
        spec.getLicense().setCounting(counting.value());
        assertThat(SpecValidator.validate(spec) instanceof SpecValidator.Valid)
            .as("%s with counting %s", api, counting)
            .isEqualTo(!refused);
      }
    }
  }

  @Test
  void aComfyuiQueueOnANimIsRefused() {
    FluxDeploymentSpec spec = Examples.load("servers/flux-1-dev-nim.yaml", "ns").getSpec();
    spec.getAutoscaling().setQueue(new io.fluxops.operator.api.QueueSpec());
    spec.getAutoscaling().getQueue().setSource("comfyui");

    assertThat(problems(spec)).containsExactly(SpecRules.COMFYUI_QUEUE_NEEDS_COMFYUI_MESSAGE);
  }

  @Test
  void theNimsPortVariableIsFluxOpsToSet() {
    FluxDeploymentSpec spec = Examples.load("servers/flux-1-dev-nim.yaml", "ns").getSpec();
    spec.getServer()
        .getEnv()
        .add(new EnvVarBuilder().withName("NIM_HTTP_API_PORT").withValue("8000").build());

    assertThat(problems(spec))
        .containsExactly(
            "spec.server.env NIM_HTTP_API_PORT is set by FluxOps for server.api nim (to"
                + " spec.server.port, or to 9472 on 127.0.0.1 behind the sidecar with counting"
                + " proxy): remove it, and set spec.server.port to change the serving port");
  }

  @Test
  void theServingPortMayNotBeTheServersOwnBehindTheProxy() {
    FluxDeploymentSpec spec = Examples.load("servers/flux-1-dev-openai.yaml", "ns").getSpec();
    spec.getServer().setPort(9472);

    assertThat(problems(spec))
        .containsExactly(
            "spec.server.port 9472 is where the server itself listens behind the sidecar with"
                + " counting proxy: choose another serving port");
  }

  @Test
  void theListenVariablesAreFluxOpsToSet() {
    FluxDeploymentSpec spec = Examples.load("servers/flux-1-dev-openai.yaml", "ns").getSpec();
    spec.getServer()
        .getEnv()
        .add(new EnvVarBuilder().withName("FLUXOPS_SERVER_PORT").withValue("8000").build());

    assertThat(problems(spec))
        .containsExactly(
            "spec.server.env FLUXOPS_SERVER_PORT is set by FluxOps: remove it from"
                + " spec.server.env");
  }

  @Test
  void anUnknownApiNamesTheKnownOnes() {
    FluxDeploymentSpec spec = licensedDev("triton");

    assertThat(problems(spec))
        .containsExactly(
            "spec.server.api \"triton\" is not supported: use one of custom, comfyui, nim,"
                + " openai");
  }

  private static FluxDeploymentSpec licensedDev(String api) {
    FluxDeploymentSpec spec = Examples.load("flux-tools-rtx-4090.yaml", "ns").getSpec();
    spec.getLicense().setCounting(null);
    spec.getLicense().setMetric(null);
    spec.getServer().setPort(null);
    spec.getServer().setApi(api);
    return spec;
  }

  private static ValidatedSpec valid(FluxDeployment fd) {
    var result = SpecValidator.validate(fd.getSpec());
    assertThat(result).as("%s", result).isInstanceOf(SpecValidator.Valid.class);
    return ((SpecValidator.Valid) result).spec();
  }

  private static List<String> problems(FluxDeploymentSpec spec) {
    var result = SpecValidator.validate(spec);
    assertThat(result).isInstanceOf(SpecValidator.Invalid.class);
    return ((SpecValidator.Invalid) result).problems();
  }

  private static PodSpec pod(ValidatedSpec v) {
    FluxDeployment fd = new FluxDeployment();
    fd.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("fd")
            .withNamespace("ns")
            .build());
    fd.setSpec(v.spec());
    return WorkloadFactory.deployment(fd, v, 1, IMAGE, Optional.empty())
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  private static Container inference(PodSpec pod) {
    return pod.getContainers().get(0);
  }

  private static Container metering(PodSpec pod) {
    return Optional.of(pod.getInitContainers()).orElseThrow().get(0);
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
