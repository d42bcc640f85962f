package io.fluxops.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fluxops.common.LocalPorts;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod's containers and its ports: what a pod started holds its ports until it stopped, a failed
 * start holds none, and a kubelet's back-off paces the next try.
 */
class SimulatedPodTest {

  @TempDir Path work;

  private final SimulatedPod.Address address = new PodNetwork().allocate();

  @Test
  void aPodWhosePortIsTakenFailsToStartHoldingNothingAndStartsOnceItIsFree() throws Exception {
    SimulatedPod pod = unmeteredPod();
    try (ServerSocket neighbour = bound(address.http())) {
      assertThatThrownBy(() -> pod.start(runtime(), "rtx-4090")).isInstanceOf(BindException.class);
      assertThat(pod.server).isNull();
    }

    pod.start(runtime(), "rtx-4090");
    try {
      assertThat(pod.server).isNotNull();
      assertThat(bindable(address.http())).as("the started server holds the port").isFalse();
    } finally {
      pod.stop();
    }
    assertThat(bindable(address.http())).as("the stopped pod let the port go").isTrue();
  }

  @Test
  void aPodDeletedBeforeItsContainersStartNeverStartsThem() throws Exception {
    SimulatedPod pod = unmeteredPod();
    pod.stop();

    pod.start(runtime(), "rtx-4090");

    assertThat(pod.server).isNull();
    assertThat(bindable(address.http()))
        .as("nothing of a deleted pod holds the port another pod may be given")
        .isTrue();
  }

  @Test
  void failedStartsBackOffAsTheKubeletDoes() {
    assertThat(PodRunner.restartBackOff(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(PodRunner.restartBackOff(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(PodRunner.restartBackOff(5)).isEqualTo(Duration.ofSeconds(160));
    assertThat(PodRunner.restartBackOff(6)).isEqualTo(Duration.ofMinutes(5));
    assertThat(PodRunner.restartBackOff(40)).isEqualTo(Duration.ofMinutes(5));
  }

  private SimulatedPod unmeteredPod() {
    SimulatedPod pod = new SimulatedPod("default", "schnell-1", "schnell", "flux-1-schnell", 1);
    pod.address = address;
    return pod;
  }

  private PodRunner.PodRuntime runtime() {
    return new PodRunner.PodRuntime(
        work.resolve("no-sidecar.jar"),
        work.resolve("no-key").toString(),
        work,
        Duration.ZERO,
        type -> Duration.ofMillis(50),
        java.net.http.HttpClient.newHttpClient());
  }

  private static ServerSocket bound(int port) throws Exception {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(PodNetwork.ADDRESS), port));
    return socket;
  }

  private static boolean bindable(int port) throws Exception {
    return LocalPorts.bindable(InetAddress.getByName(PodNetwork.ADDRESS), port);
  }
}
