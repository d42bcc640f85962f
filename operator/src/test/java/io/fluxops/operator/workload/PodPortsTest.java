package io.fluxops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.testing.Examples;
import org.junit.jupiter.api.Test;

class PodPortsTest {

  private final FluxDeployment fd = Examples.load("flux-1-dev-rtx-4090.yaml", "ns");
  private final ValidatedSpec spec =
      ((SpecValidator.Valid) SpecValidator.validate(fd.getSpec())).spec();

  @Test
  void aPodMadeFromTheTemplateIsReadAtTheSpecsPorts() {
    Pod pod = podOf(fd);

    assertThat(PodPorts.resolve(pod, spec, fd.getSpec().getServer().getPort()))
        .isEqualTo(fd.getSpec().getServer().getPort());
    assertThat(PodPorts.resolve(pod, spec, PodLayout.METERING_PORT))
        .isEqualTo(PodLayout.METERING_PORT);
  }

  @Test
  void aPodThatListensElsewhereIsReadAtItsOwnNamedPorts() {
    // An older template's pod during a rollout that changed server.port, or the sandbox's pods,
    // which share one address and so get ports of their own.
    Pod pod = podOf(fd);
    port(pod, PodLayout.HTTP_PORT_NAME, 41001);
    port(pod, PodLayout.METERING_PORT_NAME, 41002);

    assertThat(PodPorts.resolve(pod, spec, fd.getSpec().getServer().getPort())).isEqualTo(41001);
    assertThat(PodPorts.resolve(pod, spec, PodLayout.METERING_PORT)).isEqualTo(41002);
    assertThat(PodPorts.resolve(pod, spec, 9100))
        .as("a port FluxOps did not declare")
        .isEqualTo(9100);
  }

  @Test
  void aPodWithoutNamedPortsIsReadAtTheNumber() {
    Pod pod =
        new PodBuilder()
            .withNewSpec()
            .addNewContainer()
            .withName("inference")
            .endContainer()
            .endSpec()
            .build();

    assertThat(PodPorts.resolve(pod, spec, fd.getSpec().getServer().getPort()))
        .isEqualTo(fd.getSpec().getServer().getPort());
    assertThat(PodPorts.named(new Pod(), PodLayout.METERING_PORT_NAME)).isEmpty();
  }

  @Test
  void behindTheProxyTheServingPortAndTheQueueAreTheSidecars() {
    FluxDeployment nim = Examples.load("servers/flux-1-dev-nim.yaml", "ns");
    ValidatedSpec proxied = ((SpecValidator.Valid) SpecValidator.validate(nim.getSpec())).spec();
    Pod pod = podOf(nim, proxied);
    port(pod, PodLayout.HTTP_PORT_NAME, 42001);
    port(pod, PodLayout.METERING_PORT_NAME, 42002);

    assertThat(PodPorts.resolve(pod, proxied, proxied.servingPort())).isEqualTo(42001);
    assertThat(PodPorts.resolve(pod, proxied, proxied.podsQueuePort()))
        .as("flux_queue_depth of a NIM is the sidecar's")
        .isEqualTo(42002);
    assertThat(pod.getSpec().getInitContainers().get(0).getPorts())
        .extracting(p -> p.getName())
        .containsExactly(PodLayout.METERING_PORT_NAME, PodLayout.HTTP_PORT_NAME);
  }

  private Pod podOf(FluxDeployment fd) {
    return podOf(fd, spec);
  }

  private static Pod podOf(FluxDeployment fd, ValidatedSpec spec) {
    var template =
        WorkloadFactory.deployment(fd, spec, 1, "metering:test", java.util.Optional.empty())
            .getSpec()
            .getTemplate();
    return new PodBuilder()
        .withMetadata(template.getMetadata())
        .withSpec(template.getSpec())
        .build();
  }

  private static void port(Pod pod, String name, int number) {
    for (var list :
        java.util.List.of(pod.getSpec().getInitContainers(), pod.getSpec().getContainers())) {
      for (Container container : list) {
        container.getPorts().stream()
            .filter(p -> name.equals(p.getName()))
            .forEach(p -> p.setContainerPort(number));
      }
    }
  }
}
