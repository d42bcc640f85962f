package io.fluxops.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real control plane on this machine: etcd, kube-apiserver (secure port on 127.0.0.1, RBAC on),
 * kube-controller-manager and kube-scheduler, run as local processes by kwokctl's binary runtime,
 * with KWOK playing the kubelets of the nodes the caller asks for.
 *
 * <p>Clusters live under one work directory ({@code ~/.cache/fluxops/kwok} by default), each with a
 * file naming the process that made it. Creating a cluster first deletes every cluster there whose
 * maker is gone, so a test run killed with SIGKILL leaves nothing running past the next one. Every
 * kwokctl call has a deadline: a cluster that cannot start fails with what its components logged,
 * never hangs.
 */
public final class KwokCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KwokCluster.class);
  private static final String OWNER_FILE = "fluxops-owner";
  private static final Duration CREATE_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration NODES_READY_TIMEOUT = Duration.ofMinutes(2);

  private final String name;
  private final Path workDir;
  private final ControlPlaneBinaries binaries;
  private final Path kubeconfig;
  private final KubernetesClient admin;
  private final boolean attached;
  private final List<String> addedNodes = new ArrayList<>();
  private final Thread shutdownHook;

  private KwokCluster(
      String name, Path workDir, ControlPlaneBinaries binaries, Path kubeconfig, boolean attached) {
    this.name = name;
    this.workDir = workDir;
    this.binaries = binaries;
    this.kubeconfig = kubeconfig;
    this.attached = attached;
    this.admin =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeconfig))).build();
    this.shutdownHook = new Thread(this::deleteCluster, "delete-kwok-cluster-" + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * A cluster someone else runs, reached with their kubeconfig (which must be allowed to do what a
   * cluster admin does): nothing is started, the node pools are registered as KWOK nodes (so the
   * cluster must run KWOK's controller, as a kwokctl cluster or KWOK installed in a kind cluster
   * does), and closing removes those nodes, not the cluster. It has no audit log for the tests.
   */
  public static KwokCluster attach(
      ControlPlaneBinaries binaries, Path workDir, Path kubeconfig, List<GpuNodePool> pools) {
    if (!Files.isReadable(kubeconfig)) {
      throw new ClusterException("cannot read the kubeconfig " + kubeconfig);
    }
    String name = "attached-" + ProcessHandle.current().pid();
    KwokCluster cluster = new KwokCluster(name, workDir, binaries, kubeconfig, true);
    try {
      cluster.admin.getKubernetesVersion();
      cluster.addNodes(pools);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    LOG.info(
        "Attached to the cluster at {} with kubeconfig {}", cluster.apiServerUrl(), kubeconfig);
    return cluster;
  }

  /** Whether this is someone else's cluster ({@link #attach}), which the tests only borrow. */
  public boolean attached() {
    return attached;
  }

  /** The default work directory for clusters: beside the control-plane binaries' cache. */
  public static Path defaultWorkDir() {
    String cache = System.getenv("FLUXOPS_CACHE");
    Path root =
        cache != null && !cache.isBlank()
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache", "fluxops");
    return root.resolve("kwok");
  }

  /**
   * Starts a cluster and registers the given node pools, waiting until every node is Ready.
   *
   * @param namePrefix the cluster's name is this and the process id, so two test JVMs on one
   *     machine get two clusters
   */
  public static KwokCluster start(
      ControlPlaneBinaries binaries, Path workDir, String namePrefix, List<GpuNodePool> pools) {
    String name = namePrefix + "-" + ProcessHandle.current().pid();
    deleteAbandoned(binaries, workDir);
    Path configFile = writeConfig(binaries, workDir, name);
    Instant started = Instant.now();
    Command.Result created =
        kwokctl(binaries, workDir)
            .and(
                "create",
                "cluster",
                "--name",
                name,
                "--config",
                configFile.toString(),
                "--kubeconfig=",
                "--timeout",
                CREATE_TIMEOUT.toSeconds() + "s",
                "--wait",
                "90s")
            .timeout(CREATE_TIMEOUT.plusSeconds(30))
            .run();
    Path clusterDir = workDir.resolve("clusters").resolve(name);
    if (created.exitCode() != 0) {
      String logs = componentLogs(clusterDir);
      forceDelete(binaries, workDir, name);
      throw new ClusterException(
          "kwokctl could not start the control plane ("
              + created.failure()
              + ")"
              + (logs.isEmpty() ? "" : "\nComponent logs:\n" + logs));
    }
    writeOwner(clusterDir);
    KwokCluster cluster =
        new KwokCluster(name, workDir, binaries, clusterDir.resolve("kubeconfig.yaml"), false);
    try {
      cluster.addNodes(pools);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    LOG.info(
        "Cluster {} up with {} nodes in {} s",
        name,
        pools.stream().mapToInt(GpuNodePool::nodes).sum(),
        Duration.between(started, Instant.now()).toSeconds());
    return cluster;
  }

  /** The cluster's name, as kwokctl knows it. */
  public String name() {
    return name;
  }

  /** The admin kubeconfig ({@code system:masters}): for setting up, not for what RBAC must see. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** A client with the admin kubeconfig; closed with the cluster. */
  public KubernetesClient admin() {
    return admin;
  }

  /** The binaries this cluster runs. */
  public ControlPlaneBinaries binaries() {
    return binaries;
  }

  /** The API server's URL. */
  public String apiServerUrl() {
    return admin.getConfiguration().getMasterUrl();
  }

  /** kubectl against this cluster, as the admin. */
  public Command kubectl(String... args) {
    return Command.of(binaries.binary("kubectl").toString(), args)
        .env("KUBECONFIG", kubeconfig.toString())
        .env("KUBECACHEDIR", discoveryCache().toString());
  }

  /**
   * Forgets what kubectl discovered of the API (as {@code kubectl api-resources} would renew it):
   * after a CRD is installed, {@code kubectl explain} otherwise answers from a cache that lacks it.
   */
  public void forgetDiscovery() {
    deleteTree(discoveryCache());
  }

  private Path discoveryCache() {
    return workDir
        .resolve(attached ? "attached" : "clusters")
        .resolve(name)
        .resolve("kubectl-cache");
  }

  /** helm against this cluster, with its caches under the work directory. */
  public Command helm(String... args) {
    Path home = workDir.resolve("helm");
    return Command.of(binaries.binary("helm").toString(), args)
        .env("KUBECONFIG", kubeconfig.toString())
        .env("HELM_CACHE_HOME", home.resolve("cache").toString())
        .env("HELM_CONFIG_HOME", home.resolve("config").toString())
        .env("HELM_DATA_HOME", home.resolve("data").toString());
  }

  /** Registers node pools and waits until KWOK reports every node Ready. */
  public void addNodes(List<GpuNodePool> pools) {
    List<String> names = new ArrayList<>();
    for (GpuNodePool pool : pools) {
      for (Node node : pool.toNodes()) {
        admin.nodes().resource(node).create();
        names.add(node.getMetadata().getName());
        addedNodes.add(node.getMetadata().getName());
      }
    }
    Instant deadline = Instant.now().plus(NODES_READY_TIMEOUT);
    while (true) {
      List<String> notReady =
          names.stream().filter(n -> !ready(admin.nodes().withName(n).get())).toList();
      if (notReady.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new ClusterException(
            "nodes not Ready after "
                + NODES_READY_TIMEOUT.toSeconds()
                + " s: "
                + notReady
                + (attached
                    ? "; does the cluster run KWOK's controller (kwok), which makes fake nodes Ready?"
                    : "; is the kwok controller running? Its log:\n"
                        + Command.tail(
                            read(
                                workDir
                                    .resolve("clusters")
                                    .resolve(name)
                                    .resolve("logs")
                                    .resolve("kwok-controller.log")))));
      }
      sleep(Duration.ofMillis(500));
    }
  }

  private static boolean ready(Node node) {
    if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    return node.getStatus().getConditions().stream()
        .anyMatch(
            c -> "Ready".equals(c.getType()) && "True".equals(((NodeCondition) c).getStatus()));
  }

  @Override
  public void close() {
    deleteCluster();
    admin.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or ran: it deleted the cluster
    }
  }

  private synchronized void deleteCluster() {
    if (attached) {
      for (String node : addedNodes) {
        admin.nodes().withName(node).delete();
      }
      addedNodes.clear();
      deleteTree(workDir.resolve("attached").resolve(name));
      return;
    }
    if (Files.isDirectory(workDir.resolve("clusters").resolve(name))) {
      forceDelete(binaries, workDir, name);
    }
    try {
      // the kwokctl configuration written for this cluster (writeConfig)
      Files.deleteIfExists(workDir.resolve(name + ".yaml"));
    } catch (IOException e) {
      LOG.warn("Could not remove the configuration of cluster {}: {}", name, e.getMessage());
    }
  }

  /** Deletes the clusters whose maker process has exited (a killed test run, say). */
  static void deleteAbandoned(ControlPlaneBinaries binaries, Path workDir) {
    Path clusters = workDir.resolve("clusters");
    if (!Files.isDirectory(clusters)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(clusters)) {
      for (Path dir : dirs.toList()) {
        if (!ownerAlive(dir)) {
          LOG.warn(
              "Deleting cluster {}, left behind by a run that did not stop it", dir.getFileName());
          forceDelete(binaries, workDir, dir.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + clusters, e);
    }
  }

  private static boolean ownerAlive(Path clusterDir) {
    Path owner = clusterDir.resolve(OWNER_FILE);
    if (!Files.exists(owner)) {
      return false;
    }
    try {
      long pid = Long.parseLong(Files.readString(owner).strip());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  private static void writeOwner(Path clusterDir) {
    try {
      Files.writeString(
          clusterDir.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the owner of " + clusterDir, e);
    }
  }

  /**
   * kwokctl stops the cluster's processes and removes its directory; if it cannot (its pid files
   * are gone), the directory goes anyway, so the next start is clean.
   */
  private static void forceDelete(ControlPlaneBinaries binaries, Path workDir, String name) {
    Command.Result result =
        kwokctl(binaries, workDir)
            .and("delete", "cluster", "--name", name)
            .timeout(Duration.ofMinutes(1))
            .run();
    if (result.exitCode() != 0) {
      LOG.warn("Could not delete cluster {}: {}", name, result.failure());
    }
    deleteTree(workDir.resolve("clusters").resolve(name));
  }

  private static Path writeConfig(ControlPlaneBinaries binaries, Path workDir, String name) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("runtime", "binary");
    options.put("bindAddress", "127.0.0.1");
    options.put("securePort", "true");
    options.put("kubeAuthorization", "true");
    options.put("kubeAdmission", "true");
    // The tests count the API server's writes and time its controllers: no client-side throttling
    // of the components, and node heartbeats at kubelet speed instead of KWOK's fifth of it.
    options.put("disableQPSLimits", "true");
    options.put("heartbeatFactor", "1");
    options.put("etcdBinary", binaries.binary("etcd").toString());
    options.put("kubeApiserverBinary", binaries.binary("kube-apiserver").toString());
    options.put(
        "kubeControllerManagerBinary", binaries.binary("kube-controller-manager").toString());
    options.put("kubeSchedulerBinary", binaries.binary("kube-scheduler").toString());
    options.put("kwokControllerBinary", binaries.binary("kwok").toString());
    options.put("kubectlBinary", binaries.binary("kubectl").toString());
    options.put("kubeAuditPolicy", writeAuditPolicy(workDir).toString());
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokctlConfiguration\noptions:\n");
    options.forEach(
        (key, value) ->
            yaml.append("  ").append(key).append(": ").append(quote(value)).append('\n'));
    // kube-apiserver's default Service range (10.0.0.0/24) holds 254 Services: one per
    // FluxDeployment, the scale benchmark's 1,000 did not fit ("failed to allocate a serviceIP:
    // range is full"). A /16, as kubeadm's default 10.96.0.0/12 is larger still.
    yaml.append(
        """
        componentsPatches:
        - name: kube-apiserver
          extraArgs:
          - key: service-cluster-ip-range
            value: 10.96.0.0/16
        - name: kube-controller-manager
          extraArgs:
          - key: service-cluster-ip-range
            value: 10.96.0.0/16
        """);
    try {
      Files.createDirectories(workDir);
      Path file = workDir.resolve(name + ".yaml");
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the kwokctl configuration in " + workDir, e);
    }
  }

  /**
   * Every write, with who made it, goes to the cluster's audit log ({@link #auditLog()}): the tests
   * that count an operator's writes tell its requests from the controllers' by the user. The
   * operator's own writes are logged with their bodies, so a test that finds one can say what it
   * changed.
   */
  private static Path writeAuditPolicy(Path workDir) {
    String policy =
        """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: [RequestReceived]
        rules:
        - level: Request
          userGroups: ["system:serviceaccounts:fluxops-system"]
          verbs: [create, update, patch, delete, deletecollection]
        - level: Metadata
          userGroups: ["system:serviceaccounts:fluxops-system"]
        - level: Metadata
          verbs: [create, update, patch, delete, deletecollection]
        - level: None
        """;
    try {
      Files.createDirectories(workDir);
      Path file = workDir.resolve("audit-policy.yaml");
      Files.writeString(file, policy);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit policy in " + workDir, e);
    }
  }

  /**
   * The API server's audit log: one JSON event per write (see the policy above). Only a cluster
   * this class started has one ({@link #attached}).
   */
  public Path auditLog() {
    if (attached) {
      throw new ClusterException("an attached cluster's audit log is not readable here");
    }
    return workDir.resolve("clusters").resolve(name).resolve("logs").resolve("audit.log");
  }

  private static String quote(String value) {
    return value.equals("true") || value.matches("\\d+")
        ? value
        : "'" + value.replace("'", "''") + "'";
  }

  private static String componentLogs(Path clusterDir) {
    Path logs = clusterDir.resolve("logs");
    if (!Files.isDirectory(logs)) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path log : files.sorted().toList()) {
        text.append("--- ")
            .append(log.getFileName())
            .append('\n')
            .append(Command.tail(read(log)))
            .append('\n');
      }
    } catch (IOException e) {
      text.append("(cannot read ").append(logs).append(": ").append(e.getMessage()).append(')');
    }
    return text.toString();
  }

  private static KwokctlCommand kwokctl(ControlPlaneBinaries binaries, Path workDir) {
    return new KwokctlCommand(binaries, workDir);
  }

  /** kwokctl with its work directory set and the binaries first on PATH (it calls kubectl). */
  private record KwokctlCommand(ControlPlaneBinaries binaries, Path workDir) {
    Command and(String... args) {
      return Command.of(binaries.binary("kwokctl").toString(), args)
          .env("KWOK_WORKDIR", workDir.toString())
          .env("PATH", binaries.directory() + java.io.File.pathSeparator + System.getenv("PATH"));
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warn("Could not remove {}: {}", dir, e.getMessage());
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while waiting for the cluster");
    }
  }

  /** The cluster could not be started or reached. */
  public static final class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterException(String message) {
      super(message);
    }
  }
}
