package io.fluxops.tools.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fluxops.cluster.ControlPlaneBinaries;
import io.fluxops.cluster.GpuNodePool;
import io.fluxops.cluster.KwokCluster;
import io.fluxops.operator.api.FluxDeployment;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real control plane for the sandbox ({@code --control-plane real}): etcd, kube-apiserver,
 * kube-controller-manager and kube-scheduler built by {@code cluster/control-plane/build.sh}, run
 * by kwokctl ({@link KwokCluster}), with GPU nodes that KWOK plays. Each node's pod CIDR is a
 * loopback range, so KWOK gives every pod an address on this machine, where {@link LocalPods} runs
 * its processes and the operator reaches them as in a cluster. Linux (and Windows) answer all of
 * 127.0.0.0/8; macOS only 127.0.0.1, so there {@link #checkAddresses} names the one command that
 * adds the range.
 */
final class KwokControlPlane implements ControlPlane {

  /** The pods' addresses: KWOK hands them out from the nodes' pod CIDR. */
  static final String POD_CIDR = "127.0.1.0/24";

  /** How many of them the sandbox may use at once (pods, and pods that reuse a freed one). */
  static final int ADDRESSES = 40;

  /** The node pools: as the mock's, so both shows place the same pods. */
  static final List<GpuNodePool> POOLS =
      List.of(GpuNodePool.rtx4090(10, 2), GpuNodePool.blackwell(2, 2));

  private static final String CRD = "/META-INF/fabric8/fluxdeployments.fluxops.io-v1.yml";

  private final KwokCluster cluster;

  private KwokControlPlane(KwokCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * The binaries, or an exception whose message is the one line that says how to build them.
   *
   * @param repoRoot the FluxOps checkout, where the build script is
   */
  static ControlPlaneBinaries binaries(Path repoRoot) {
    ControlPlaneBinaries.Lookup lookup;
    try {
      lookup = ControlPlaneBinaries.find(repoRoot);
    } catch (RuntimeException e) {
      // no bash (Windows), or the script cannot run
      throw new IllegalStateException(
          "--control-plane real needs the control-plane binaries, and finding them failed ("
              + e.getMessage()
              + "): build them with cluster/control-plane/build.sh, or name them with "
              + ControlPlaneBinaries.BIN_VARIABLE);
    }
    return lookup
        .binaries()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "--control-plane real needs the control-plane binaries: "
                        + lookup.whyMissing()));
  }

  /**
   * Whether this machine answers the pods' addresses; if not, the one command that adds them.
   *
   * @param os the {@code os.name} property
   * @param bindable whether an address can be bound here
   */
  static void checkAddresses(String os, Predicate<String> bindable) {
    List<String> missing = new ArrayList<>();
    for (int i = 1; i <= ADDRESSES; i++) {
      if (!bindable.test("127.0.1." + i)) {
        missing.add("127.0.1." + i);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    throw new IllegalStateException(
        "--control-plane real gives every pod an address of its own, 127.0.1.1 to 127.0.1."
            + ADDRESSES
            + ", and this machine does not answer "
            + missing.get(0)
            + (missing.size() > 1 ? " and " + (missing.size() - 1) + " more" : "")
            + "; add them with: "
            + aliasCommand(os));
  }

  /** The one command that adds the pods' loopback addresses on this system. */
  static String aliasCommand(String os) {
    String name = os.toLowerCase(Locale.ROOT);
    if (name.contains("mac") || name.contains("darwin") || name.contains("bsd")) {
      return "for i in $(seq 1 " + ADDRESSES + "); do sudo ifconfig lo0 alias 127.0.1.$i up; done";
    }
    if (name.contains("windows")) {
      return "netsh interface ipv4 add address \"Loopback Pseudo-Interface 1\" 127.0.1.1"
          + " 255.255.255.0";
    }
    return "sudo ip addr add " + POD_CIDR + " dev lo";
  }

  /** Whether this machine can bind the address (port 0: any free port). */
  static boolean bindable(String address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Starts the control plane, registers the GPU nodes and installs the CRD. */
  static KwokControlPlane start(ControlPlaneBinaries binaries) throws IOException {
    KwokCluster cluster =
        KwokCluster.start(binaries, KwokCluster.defaultWorkDir(), "fluxops-sandbox", List.of());
    try {
      KubernetesClient admin = cluster.admin();
      for (GpuNodePool pool : POOLS) {
        for (Node node : pool.toNodes()) {
          node.getSpec().setPodCIDR(POD_CIDR);
          admin.nodes().resource(node).create();
        }
      }
      installCrd(admin);
      // What NVIDIA's container toolkit's setup makes (examples/nvidia/runtimeclass.yaml): a
      // FluxDeployment that names it is refused by admission without it.
      admin
          .resource(
              new RuntimeClassBuilder()
                  .withNewMetadata()
                  .withName("nvidia")
                  .endMetadata()
                  .withHandler("nvidia")
                  .build())
          .create();
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
      return new KwokControlPlane(cluster);
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static void installCrd(KubernetesClient admin) throws IOException {
    try (InputStream crd = KwokControlPlane.class.getResourceAsStream(CRD)) {
      if (crd == null) {
        throw new IOException("the FluxDeployment CRD " + CRD + " is not on the classpath");
      }
      CustomResourceDefinition definition =
          admin.apiextensions().v1().customResourceDefinitions().load(crd).item();
      admin.apiextensions().v1().customResourceDefinitions().resource(definition).create();
      admin
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(definition.getMetadata().getName())
          .waitUntilCondition(
              c ->
                  c != null
                      && c.getStatus() != null
                      && c.getStatus().getConditions() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              k ->
                                  "Established".equals(k.getType())
                                      && "True".equals(k.getStatus())),
              60,
              TimeUnit.SECONDS);
    }
  }

  /**
   * The claims the FluxDeployments mount (model cache, TensorRT engine cache), each bound to a
   * volume of its own, as a cluster's provisioner would bind them: without them the scheduler
   * leaves the pods Pending. Nothing mounts them (KWOK runs no container).
   */
  void provideClaims(List<FluxDeployment> deployments) {
    Set<String> claims = new TreeSet<>();
    for (FluxDeployment fd : deployments) {
      var spec = fd.getSpec();
      if (spec.getModelCache() != null && spec.getModelCache().getClaimName() != null) {
        claims.add(spec.getModelCache().getClaimName());
      }
      if (spec.getTensorRT() != null
          && spec.getTensorRT().getEngineCache() != null
          && spec.getTensorRT().getEngineCache().getClaimName() != null) {
        claims.add(spec.getTensorRT().getEngineCache().getClaimName());
      }
    }
    KubernetesClient admin = cluster.admin();
    for (String claim : claims) {
      String volume = "sandbox-" + NAMESPACE + "-" + claim;
      admin
          .persistentVolumes()
          .resource(
              new PersistentVolumeBuilder()
                  .withNewMetadata()
                  .withName(volume)
                  .endMetadata()
                  .withNewSpec()
                  .addToCapacity("storage", new Quantity("100Gi"))
                  .withAccessModes("ReadWriteMany", "ReadOnlyMany", "ReadWriteOnce")
                  .withStorageClassName("")
                  .withNewHostPath()
                  .withPath("/var/lib/fluxops-sandbox/" + claim)
                  .endHostPath()
                  .withNewClaimRef()
                  .withNamespace(NAMESPACE)
                  .withName(claim)
                  .endClaimRef()
                  .endSpec()
                  .build())
          .create();
      admin
          .persistentVolumeClaims()
          .inNamespace(NAMESPACE)
          .resource(
              new PersistentVolumeClaimBuilder()
                  .withNewMetadata()
                  .withName(claim)
                  .endMetadata()
                  .withNewSpec()
                  .withAccessModes("ReadWriteMany")
                  .withStorageClassName("")
                  .withVolumeName(volume)
                  .withNewResources()
                  .addToRequests("storage", new Quantity("100Gi"))
                  .endResources()
                  .endSpec()
                  .build())
          .create();
    }
  }

  @Override
  public KubernetesClient client() {
    return cluster.admin();
  }

  @Override
  public <T extends HasMetadata> T create(T object) {
    object.getMetadata().setNamespace(NAMESPACE);
    return cluster.admin().resource(object).create();
  }

  @Override
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "  API server        "
            + cluster.apiServerUrl()
            + " (REAL: kube-apiserver with etcd, CEL, defaults, RBAC; kwokctl "
            + cluster.name()
            + ")");
    lines.add(
        "  controllers       REAL: kube-controller-manager (Deployments, ReplicaSets, Jobs) and"
            + " kube-scheduler");
    for (GpuNodePool pool : POOLS) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  GPU nodes         %d x %sN with %d nvidia.com/gpu each (simulated by KWOK, pod"
                  + " CIDR %s)",
              pool.nodes(),
              pool.prefix(),
              pool.gpusPerNode(),
              POD_CIDR));
    }
    lines.add(
        "  containers        simulated: KWOK marks pods Running at once; the sandbox runs each"
            + " pod's processes at its pod IP");
    return lines;
  }

  @Override
  public PodRunner pods(PodRunner.PodRuntime runtime) {
    return new LocalPods(cluster.admin(), NAMESPACE, runtime);
  }

  @Override
  public void close() {
    cluster.close();
  }
}
