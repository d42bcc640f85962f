package io.fluxops.operator.observability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fluxops.operator.workload.Labels;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives a FluxDeployment's fake pods an address of their own on the loopback network (all of
 * 127.0.0.0/8 is loopback on Linux), so that the sidecar stand-in on port 9469 does not collide
 * with another build's test on the same machine using 127.0.0.1:9469.
 */
public final class PodAddresses {

  private PodAddresses() {}

  /** A random address in 127.0.0.0/8 other than 127.0.0.1. */
  public static String randomLoopback() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "127." + r.nextInt(1, 255) + "." + r.nextInt(0, 256) + "." + r.nextInt(2, 255);
  }

  /** Sets the address of every pod of a FluxDeployment, as the kubelet reports it. */
  public static void assign(KubernetesClient client, String namespace, String name, String ip) {
    client
        .pods()
        .inNamespace(namespace)
        .withLabel(Labels.INSTANCE, name)
        .list()
        .getItems()
        .forEach(
            pod ->
                client
                    .pods()
                    .inNamespace(namespace)
                    .withName(pod.getMetadata().getName())
                    .editStatus(
                        p -> {
                          p.getStatus().setPodIP(ip);
                          return p;
                        }));
  }
}
