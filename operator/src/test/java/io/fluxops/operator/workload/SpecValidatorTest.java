package io.fluxops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fluxops.operator.api.FluxDeploymentSpec;
import io.fluxops.operator.testing.Examples;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

  @Test
  void everyExampleIsValid() {
    for (var file : Examples.fluxDeploymentFiles()) {
      assertThat(SpecValidator.validate(Examples.load(file, "ns").getSpec()))
          .as(file.toString())
          .isInstanceOf(SpecValidator.Valid.class);
    }
  }

  @Test
  void unknownModelNamesTheAllowedSlugs() {
    FluxDeploymentSpec spec = schnell();
    spec.setModel("flux-pro");

    assertThat(problems(spec))
        .containsExactly(
            "spec.model \"flux-pro\" is not supported: use one of flux-1-dev,"
                + " flux-1-kontext-dev, flux-tools, flux-1-krea-dev, flux-2-dev, flux-1-schnell");
  }

  @Test
  void unknownGpuTypeAndOutOfRangeCountAreBothReported() {
    FluxDeploymentSpec spec = schnell();
    spec.getGpu().setType("h100");
    spec.getGpu().setCount(9);

    assertThat(problems(spec))
        .containsExactlyInAnyOrder(
            "spec.gpu.count 9 is out of range: use 1 to 8",
            "spec.gpu.type \"h100\" is not supported: use one of rtx-4090, blackwell");
  }

  @Test
  void missingRequiredFieldsSayWhatToSet() {
    assertThat(problems(new FluxDeploymentSpec()))
        .containsExactlyInAnyOrder(
            "spec.model is required: use one of flux-1-dev, flux-1-kontext-dev, flux-tools,"
                + " flux-1-krea-dev, flux-2-dev, flux-1-schnell",
            "spec.gpu is required: set spec.gpu.type to rtx-4090 or blackwell",
            "spec.server.image is required: the container image of the inference server");
  }

  @Test
  void serverMayNotOverrideTheEnvironmentFluxOpsSets() {
    FluxDeploymentSpec spec = Examples.load("flux-tools-rtx-4090.yaml", "ns").getSpec();
    spec.getServer()
        .setEnv(List.of(new EnvVarBuilder().withName("FLUXOPS_USAGE_URL").withValue("x").build()));

    assertThat(problems(spec))
        .containsExactly(
            "spec.server.env FLUXOPS_USAGE_URL is set by FluxOps: remove it from spec.server.env");
  }

  @Test
  void serverMayNotReadTheLicenceSecret() {
    FluxDeploymentSpec spec = Examples.load("flux-tools-rtx-4090.yaml", "ns").getSpec();
    spec.getServer()
        .setEnv(
            List.of(
                new EnvVarBuilder()
                    .withName("BFL_API_KEY")
                    .withNewValueFrom()
                    .withNewSecretKeyRef("api-key", "bfl-license", false)
                    .endValueFrom()
                    .build()));

    assertThat(problems(spec)).singleElement().asString().contains("only the metering sidecar");
  }

  @Test
  void serverPortMayNotTakeTheSidecarsPorts() {
    FluxDeploymentSpec spec = schnell();
    spec.getServer().setPort(9469);
    assertThat(problems(spec))
        .singleElement()
        .asString()
        .contains("a port of the metering sidecar");

    spec.getServer().setPort(9470);
    assertThat(problems(spec))
        .singleElement()
        .asString()
        .contains("a port of the metering sidecar");
  }

  @Test
  void redisQueueNeedsHostAndPort() {
    FluxDeploymentSpec spec = Examples.load("flux-1-schnell.yaml", "ns").getSpec();
    spec.getAutoscaling().getQueue().getRedis().setAddress("redis");

    assertThat(problems(spec))
        .containsExactly(
            "spec.autoscaling.queue.redis.address \"redis\" is not host:port: write it as"
                + " redis:6379");
  }

  private static FluxDeploymentSpec schnell() {
    FluxDeploymentSpec spec = Examples.load("flux-1-schnell.yaml", "ns").getSpec();
    spec.setAutoscaling(null);
    return spec;
  }

  private static List<String> problems(FluxDeploymentSpec spec) {
    var result = SpecValidator.validate(spec);
    assertThat(result).isInstanceOf(SpecValidator.Invalid.class);
    return ((SpecValidator.Invalid) result).problems();
  }
}
