package io.fluxops.tools.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The API server the sandbox runs the operator against, with its GPU nodes: the mock server ({@link
 * SimulatedCluster}) or a real control plane with KWOK's nodes ({@link KwokControlPlane}).
 */
interface ControlPlane extends AutoCloseable {

  /** The sandbox's namespace. */
  String NAMESPACE = "flux";

  /** A client with full rights, for the sandbox's own reads and writes. */
  KubernetesClient client();

  /** Creates an object in the sandbox's namespace. */
  <T extends HasMetadata> T create(T object);

  /** The header's lines about the API server and the nodes, each saying what is simulated. */
  List<String> describe();

  /** Patches the API server could not apply although a real one would have: none on a real one. */
  default List<String> refusedPatches() {
    return List.of();
  }

  /** What runs the pods' processes on this machine. */
  PodRunner pods(PodRunner.PodRuntime runtime);

  @Override
  void close();
}
