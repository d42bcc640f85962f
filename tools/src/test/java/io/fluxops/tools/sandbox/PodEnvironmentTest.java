package io.fluxops.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fluxops.common.MeteringSidecar;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.workload.WorkloadFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The environment the operator writes into a pod, as the sandbox runs it: the pod's loopback and
 * ports become the simulated pod's address and its own numbers, everything else stays the
 * operator's.
 */
class PodEnvironmentTest {

  private static final SimulatedPod.Address SHARED =
      new SimulatedPod.Address("127.0.0.1", 21001, 21002, 21003, 21004, 8000);

  @Test
  void aNimsSidecarProxiesItsOwnServingPortToItsOwnUpstreamPort() throws Exception {
    PodSpec pod = podOf("examples/servers/flux-1-dev-nim.yaml");
    assertThat(PodNetwork.declaredHttp(pod)).as("the sidecar's serving port").isEqualTo(8000);
    SimulatedPod.Address at = SHARED;
    SimulatedPod simulated = new SimulatedPod("ns", "dev-nim-1", "dev-nim", "flux-1-dev", 1);
    simulated.containersFrom(pod);

    Map<String, String> sidecar =
        PodEnvironment.sidecar(simulated.sidecarSpec, "ns", at, Path.of("key"), Path.of("journal"));
    Map<String, String> server = PodEnvironment.of(simulated.serverSpec, "ns", at);

    assertThat(sidecar)
        .containsEntry("FLUXOPS_COUNTING", "proxy")
        .containsEntry("FLUXOPS_SERVER_API", "nim")
        .containsEntry("FLUXOPS_PROXY_PORT", "21001")
        .containsEntry("FLUXOPS_UPSTREAM_URL", "http://127.0.0.1:21004")
        .containsEntry("FLUXOPS_LISTEN_PORT", "21002")
        .containsEntry("FLUXOPS_USAGE_PORT", "21003")
        .containsEntry("FLUXOPS_NAMESPACE", "ns")
        .containsEntry("FLUXOPS_INSTANCE", "dev-nim")
        .containsEntry("FLUXOPS_KEY_FILE", "key");
    assertThat(PodEnvironment.jvmFlags(simulated.sidecarSpec))
        .as("the proxy's flags, from the pod's command")
        .isEqualTo(MeteringSidecar.PROXY_JVM_FLAGS);
    assertThat(server)
        .containsEntry("NIM_HTTP_API_PORT", "21004")
        .containsEntry("FLUXOPS_SERVER_PORT", "21004")
        .containsEntry("FLUXOPS_SERVER_HOST", "127.0.0.1")
        .doesNotContainKey("NGC_API_KEY");
  }

  @Test
  void comfyuisSidecarFollowsComfyuiOnThePodsServingPort() throws Exception {
    PodSpec pod = podOf("examples/servers/flux-1-dev-comfyui.yaml");
    SimulatedPod.Address at =
        new SimulatedPod.Address(
            "127.0.0.1", 21001, 21002, 21003, 21004, PodNetwork.declaredHttp(pod));
    SimulatedPod simulated = new SimulatedPod("ns", "c-1", "dev-comfyui", "flux-1-dev", 1);
    simulated.containersFrom(pod);

    Map<String, String> sidecar =
        PodEnvironment.sidecar(simulated.sidecarSpec, "ns", at, Path.of("key"), Path.of("journal"));

    assertThat(at.declaredHttp()).isEqualTo(8188);
    assertThat(sidecar)
        .containsEntry("FLUXOPS_COUNTING", "comfyui")
        .containsEntry("FLUXOPS_UPSTREAM_URL", "http://127.0.0.1:21001");
    assertThat(PodEnvironment.jvmFlags(simulated.sidecarSpec)).isEqualTo(MeteringSidecar.JVM_FLAGS);
    assertThat(PodEnvironment.of(simulated.serverSpec, "ns", at))
        .containsEntry("FLUXOPS_SERVER_PORT", "21001")
        .containsEntry("FLUXOPS_SERVER_HOST", "0.0.0.0");
  }

  @Test
  void onARealControlPlaneEveryPortIsTheOperatorsAndOnlyTheLoopbackMoves() throws Exception {
    PodSpec pod = podOf("examples/flux-1-dev-rtx-4090.yaml");
    SimulatedPod.Address own =
        new SimulatedPod.Address(
            "127.0.1.7",
            8080,
            MeteringSidecar.PORT,
            MeteringSidecar.USAGE_PORT,
            MeteringSidecar.UPSTREAM_PORT,
            8080);
    SimulatedPod simulated = new SimulatedPod("ns", "d-1", "dev-4090", "flux-1-dev", 1);
    simulated.containersFrom(pod);

    assertThat(PodEnvironment.of(simulated.serverSpec, "ns", own))
        .containsEntry(
            "FLUXOPS_USAGE_URL", "http://127.0.1.7:9470/v1/licenses/models/flux-1-dev/usage");
    assertThat(
            PodEnvironment.sidecar(
                simulated.sidecarSpec, "ns", own, Path.of("key"), Path.of("journal")))
        .containsEntry("FLUXOPS_COUNTING", "relay")
        .containsEntry("FLUXOPS_LISTEN_PORT", "9469")
        .containsEntry("FLUXOPS_USAGE_ADDRESS", "127.0.1.7");
  }

  @Test
  void aPortThePodHasNoNumberForIsRefusedByName() {
    assertThatThrownBy(() -> SHARED.own(5005))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port 5005");
  }

  /** The pod template the operator derives for the example. */
  private static PodSpec podOf(String example) throws Exception {
    FluxDeployment fd =
        Sandbox.Manifests.read(
                List.of(SandboxShow.REPOSITORY.resolve(example)),
                new KubernetesClientBuilder().build())
            .fluxDeployments()
            .get(0);
    fd.getMetadata().setNamespace("ns");
    fd.getMetadata().setUid("uid");
    return WorkloadFactory.deployment(
            fd, Sandbox.validated(fd).orElseThrow(), 1, "metering:test", Optional.empty())
        .getSpec()
        .getTemplate()
        .getSpec();
  }
}
