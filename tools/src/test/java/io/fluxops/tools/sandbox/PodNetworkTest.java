package io.fluxops.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fluxops.operator.workload.PodLayout;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pod network every system has: one address, ports of each pod's own. */
class PodNetworkTest {

  @Test
  void podsShare127001AndNeverAPort() {
    PodNetwork network = new PodNetwork();
    Set<Integer> ports = new HashSet<>();

    for (int i = 0; i < 20; i++) {
      SimulatedPod.Address address = network.allocate(8080);
      assertThat(address.ip()).isEqualTo("127.0.0.1");
      ports.add(address.http());
      ports.add(address.metering());
      ports.add(address.usage());
      ports.add(address.upstream());
    }

    assertThat(ports).hasSize(80);
    assertThat(ports)
        .as("below every system's ephemeral ports")
        .allMatch(p -> p >= PodNetwork.FIRST_PORT && p < PodNetwork.FIRST_PORT + PodNetwork.RANGE);
  }

  @Test
  void aReleasedPodsPortsCanBeHandedOutAgain() {
    PodNetwork network = new PodNetwork();
    SimulatedPod.Address first = network.allocate();
    network.release(first);
    // One sweep of the range, whichever of a pod's four ports the number comes back as (ports
    // something else on this machine holds are skipped, which shifts where it lands).
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < PodNetwork.RANGE && !seen.contains(first.http()); i++) {
      SimulatedPod.Address next = network.allocate();
      seen.addAll(List.of(next.http(), next.metering(), next.usage(), next.upstream()));
      network.release(next);
    }

    assertThat(seen).contains(first.http());
  }

  @Test
  void aPodPublishesItsOwnNumbersUnderTheTemplatesPortNames() {
    PodSpec spec =
        new PodSpecBuilder()
            .addNewInitContainer()
            .withName("metering")
            .addNewPort()
            .withName(PodLayout.METERING_PORT_NAME)
            .withContainerPort(PodLayout.METERING_PORT)
            .endPort()
            .endInitContainer()
            .addNewContainer()
            .withName("inference")
            .addNewPort()
            .withName(PodLayout.HTTP_PORT_NAME)
            .withContainerPort(8080)
            .endPort()
            .addNewPort()
            .withName("debug")
            .withContainerPort(5005)
            .endPort()
            .endContainer()
            .build();

    PodNetwork.publish(
        spec, new SimulatedPod.Address("127.0.0.1", 21001, 21002, 21003, 21004, 8080));

    assertThat(spec.getInitContainers().get(0).getPorts().get(0).getContainerPort())
        .isEqualTo(21002);
    assertThat(spec.getContainers().get(0).getPorts())
        .extracting(ContainerPort::getContainerPort)
        .containsExactly(21001, 5005);
  }
}
