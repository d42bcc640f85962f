package io.fluxops.tools.sandbox;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fluxops.common.GpuType;
import io.fluxops.operator.FluxOpsOperator;
import io.fluxops.operator.Main;
import io.fluxops.operator.api.AutoscalingSpec;
import io.fluxops.operator.api.CountingMode;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.PodsQueueSpec;
import io.fluxops.operator.api.QueueSourceType;
import io.fluxops.operator.api.QueueSpec;
import io.fluxops.operator.config.OperatorConfig;
import io.fluxops.operator.config.OperatorOptions;
import io.fluxops.operator.metrics.HttpEndpoints;
import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.status.Conditions;
import io.fluxops.operator.workload.SpecValidator;
import io.fluxops.operator.workload.ValidatedSpec;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code sandbox}: the real operator against a simulated cluster on this machine. Everything that
 * decides (reconciler, autoscaler, metering sidecar) is the production code; the API server, the
 * nodes, the kubelet, the inference servers, the clients and BFL's endpoint are simulated, and the
 * output says so.
 */
public final class Sandbox {

  /**
   * Sandbox time runs this much faster than the GPU figures: an RTX 4090 image (14.4 s) takes 0.36
   * s, a pod's 60 s start 1.5 s.
   */
  public static final int TIME_SCALE = 40;

  /** The sandbox's copies scale down this soon after the queue falls (the examples say 300 s). */
  static final int SCALE_DOWN_SECONDS = 4;

  /**
   * The sandbox's copies run at most this many replicas: each runs a real sidecar JVM, and a laptop
   * with two cores carries about ten of them.
   */
  static final int MAX_REPLICAS = 4;

  /** The inference servers' port on a real control plane, where the operator's holds 8080. */
  static final int REAL_SERVER_PORT = 8000;

  /** The autoscaler's last decisions shown under the table. */
  static final int DECISIONS_SHOWN = 4;

  private final SandboxOptions options;
  private final PrintStream out;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private volatile Monitor running;

  public Sandbox(SandboxOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Asks a running sandbox to stop (Ctrl-C); {@link #run()} then cleans up and returns. */
  public void requestStop() {
    stopRequested.countDown();
  }

  /** What the run has shown so far; empty until the FluxDeployments are applied. */
  public Optional<SandboxReport> progress() {
    Monitor monitor = running;
    return monitor == null ? Optional.empty() : Optional.of(monitor.report());
  }

  /** Runs until the duration ends or {@link #requestStop()}, then stops everything. */
  public SandboxReport run() throws Exception {
    Files.createDirectories(options.workDir());
    List<String> notes = new ArrayList<>();
    try (SandboxLog log = SandboxLog.install();
        ControlPlane cluster = controlPlane()) {
      Manifests manifests = Manifests.read(options.files(), cluster.client());
      String key = licenceKey(manifests.secrets());
      Path keyFile = ScratchDirectory.writePrivate(options.workDir().resolve("licence-key"), key);
      Set<String> modes = new java.util.TreeSet<>();
      manifests.fluxDeployments().forEach(fd -> counting(fd).ifPresent(modes::add));
      try (LicenceEndpoints bfl = new LicenceEndpoints(modes, key);
          SimulatedHub hub = SimulatedHub.start(manifests.fluxDeployments(), manifests.secrets())) {
        List<FluxDeployment> deployments =
            manifests.fluxDeployments().stream()
                .map(fd -> adapt(fd, bfl::baseUrl, options.realControlPlane(), notes))
                .toList();
        return runWith(
            new World(cluster, bfl, hub), deployments, manifests.secrets(), keyFile, notes, log);
      }
    }
  }

  /** What the operator runs against, for the table and the summary. */
  private String banner() {
    return options.realControlPlane() ? "REAL control plane, SIMULATED GPUs" : "SIMULATED cluster";
  }

  private ControlPlane controlPlane() throws IOException {
    return options.realControlPlane()
        ? KwokControlPlane.start(KwokControlPlane.binaries(SandboxCommand.repositoryRoot()))
        : new SimulatedCluster();
  }

  /** The world the operator meets: API server, BFL's endpoint, the Hugging Face Hub. */
  private record World(ControlPlane cluster, LicenceEndpoints bfl, SimulatedHub hub) {}

  private SandboxReport runWith(
      World world,
      List<FluxDeployment> deployments,
      List<Secret> secrets,
      Path keyFile,
      List<String> notes,
      SandboxLog log)
      throws Exception {
    ControlPlane cluster = world.cluster();
    LicenceEndpoints bfl = world.bfl();
    // A copy, so a rebuild of the metering module while the sandbox runs cannot break its pods.
    Path meteringJar =
        Files.copy(
            options.meteringJar(),
            options.workDir().resolve("fluxops-metering.jar"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    PrometheusMeterRegistry registry = Main.prometheusRegistry();
    OperatorConfig config =
        OperatorOptions.load(
            Map.of(OperatorOptions.HUGGINGFACE_ENDPOINT.env(), world.hub().endpoint().toString()));
    KubernetesClient operatorClient =
        new KubernetesClientBuilder().withConfig(cluster.client().getConfiguration()).build();
    FluxOpsOperator operator =
        FluxOpsOperator.start(operatorClient, config, registry, Clock.systemUTC(), "sandbox");
    HttpEndpoints http = metrics(registry, operator);
    PodRunner kubelet =
        cluster.pods(
            new PodRunner.PodRuntime(
                meteringJar,
                keyFile.toString(),
                options.workDir(),
                Duration.ofMillis((long) (GpuType.RTX_4090.modelLoadSeconds() * 1000 / TIME_SCALE)),
                type -> perImage(type),
                java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2))
                    .build()));
    SimulatedJobs jobs =
        new SimulatedJobs(
            cluster.client(),
            options.workDir().resolve("claims"),
            kubelet instanceof SimulatedKubelet simulated ? simulated.network() : new PodNetwork());
    Monitor monitor = null;
    LoadGenerator load = null;
    boolean operatorStopped = false;
    try {
      kubelet.start();
      if (!options.realControlPlane()) {
        // On a real control plane the Job controller runs the Jobs (see adapt)
        jobs.start();
      }
      for (Secret secret : secrets) {
        cluster.create(secret);
      }
      if (cluster instanceof KwokControlPlane real) {
        real.provideClaims(deployments);
      }
      for (FluxDeployment fd : deployments) {
        cluster.create(fd);
      }
      Duration total = options.duration().orElse(Duration.ofDays(365));
      // A timed run: one burst early on, then quiet long enough to scale down. Until Ctrl-C: a
      // 30 s burst every 2 minutes.
      Duration burstStart =
          options.duration().isPresent()
              ? Duration.ofSeconds(Math.max(4, total.toSeconds() * 15 / 100))
              : Duration.ofSeconds(10);
      Duration burstEnd =
          options.duration().isPresent()
              ? Duration.ofSeconds(Math.max(8, total.toSeconds() * 40 / 100))
              : Duration.ofSeconds(40);
      Duration period = options.duration().isPresent() ? Duration.ZERO : Duration.ofMinutes(2);
      load = new LoadGenerator(kubelet, loads(deployments), burstStart, burstEnd, period);
      monitor =
          new Monitor(
              cluster.client(),
              kubelet,
              jobs,
              bfl,
              load,
              deployments,
              log,
              banner(),
              out,
              options.live());
      running = monitor;
      header(world, http, notes, burstStart, burstEnd);
      load.start();
      monitor.start();
      boolean interrupted = stopRequested.await(total.toMillis(), TimeUnit.MILLISECONDS);
      if (!interrupted) {
        // A timed run shows the whole cycle: give a late scale-down a little more time.
        monitor.awaitScaledDown(Duration.ofSeconds(20), stopRequested);
      }
      monitor.freeze();
      out.println(
          "\nStopping: no new requests; pods finish their queues; the operator stops, then the"
              + " pods: each sidecar reports what is pending and exits");
      load.close();
      if (System.getenv("FLUXOPS_SANDBOX_DEBUG") != null) {
        kubelet.describePods().forEach(line -> out.println("  pod " + line));
        for (FluxDeployment fd : deployments) {
          FluxDeployment stored =
              cluster
                  .client()
                  .resources(FluxDeployment.class)
                  .inNamespace(ControlPlane.NAMESPACE)
                  .withName(fd.getMetadata().getName())
                  .get();
          if (stored != null && stored.getStatus() != null) {
            for (Condition condition : stored.getStatus().getConditions()) {
              out.printf(
                  Locale.ROOT,
                  "  fxd %s %s=%s %s: %s%n",
                  fd.getMetadata().getName(),
                  condition.getType(),
                  condition.getStatus(),
                  condition.getReason(),
                  condition.getMessage());
            }
          }
        }
      }
      monitor.awaitQueuesEmpty(Duration.ofSeconds(60));
      log.quietShutdown();
      operator.close();
      operatorStopped = true;
      kubelet.close();
      monitor.refresh();
      monitor.close();
      SandboxReport report = monitor.report();
      summary(report, log, cluster.refusedPatches());
      return report;
    } finally {
      if (load != null) {
        load.close();
      }
      if (monitor != null) {
        monitor.close();
      }
      jobs.close();
      kubelet.close();
      http.close();
      if (!operatorStopped) {
        operator.close();
      }
      operatorClient.close();
    }
  }

  private HttpEndpoints metrics(PrometheusMeterRegistry registry, FluxOpsOperator operator)
      throws IOException {
    try {
      return HttpEndpoints.start(options.metricsPort(), registry, operator::healthy);
    } catch (IOException | RuntimeException e) {
      out.println(
          "Port "
              + options.metricsPort()
              + " is taken; serving /metrics on a free port instead ("
              + e.getMessage()
              + ")");
      return HttpEndpoints.start(0, registry, operator::healthy);
    }
  }

  static Duration perImage(String gpuType) {
    GpuType gpu = GpuType.parse(gpuType.isEmpty() ? "rtx-4090" : gpuType);
    return Duration.ofNanos((long) (gpu.secondsPerImage() * 1e9 / TIME_SCALE));
  }

  /**
   * The counting mode of a metered FluxDeployment as the operator derives it (the server's preset
   * where the spec names none); empty for an unmetered model or a spec the operator refuses.
   */
  static Optional<String> counting(FluxDeployment fd) {
    return validated(fd).map(ValidatedSpec::counting).map(CountingMode::value);
  }

  /** The spec as the operator reads it, presets applied; empty when the operator refuses it. */
  static Optional<ValidatedSpec> validated(FluxDeployment fd) {
    return SpecValidator.validate(fd.getSpec()) instanceof SpecValidator.Valid valid
        ? Optional.of(valid.spec())
        : Optional.empty();
  }

  /**
   * The sandbox's copy of a FluxDeployment: pointed at the BFL stand-in of its counting mode,
   * polled every second and scaled down after {@value #SCALE_DOWN_SECONDS} s, and on a {@code pods}
   * queue where it had a queue outside the pods (no Redis or Prometheus runs here; ComfyUI's own
   * queue is kept, its stand-in answers it). Each change is noted.
   */
  static FluxDeployment adapt(
      FluxDeployment fd,
      java.util.function.Function<String, String> usageEndpointByCounting,
      boolean realControlPlane,
      List<String> notes) {
    String name = fd.getMetadata().getName();
    var spec = fd.getSpec();
    Optional<ValidatedSpec> validated = validated(fd);
    if (validated.isEmpty()) {
      notes.add(name + ": applied as written; the operator's status says what it refuses");
      return fd;
    }
    ValidatedSpec v = validated.get();
    if (v.counting() != null) {
      spec.getLicense().setUsageEndpoint(usageEndpointByCounting.apply(v.counting().value()));
    }
    int servingPort = v.servingPort();
    if (realControlPlane && servingPort == 8080) {
      // Each pod has an address of its own there, but the operator's /metrics holds 8080 on all.
      servingPort = REAL_SERVER_PORT;
      spec.getServer().setPort(REAL_SERVER_PORT);
      if (spec.getLicense() != null && spec.getLicense().getMetric() != null) {
        spec.getLicense().getMetric().setPort(REAL_SERVER_PORT);
      }
      notes.add(name + ": its server on port " + REAL_SERVER_PORT + " (the operator's is 8080)");
    }
    if (realControlPlane
        && spec.getModelCache() != null
        && spec.getModelCache().getSource() != null) {
      notes.add(
          name
              + ": KWOK completes a Job's pod without running it, so on the real control plane"
              + " the copy has no modelCache.source (the mock-server sandbox shows the fill)");
      spec.getModelCache().setSource(null);
    }
    if (spec.getModelCache() != null && spec.getModelCache().getSource() != null) {
      notes.add(
          name
              + ": its modelCache.source downloads from the stand-in Hub, files of "
              + (SimulatedHub.CHECKPOINT_BYTES >> 20)
              + " MiB standing in for the 23.8 GB checkpoint, at "
              + (SimulatedHub.BYTES_PER_SECOND >> 20)
              + " MiB/s per connection");
    }
    if (spec.getAutoscaling() != null) {
      adaptAutoscaling(name, spec.getAutoscaling(), v, servingPort, realControlPlane, notes);
    }
    return fd;
  }

  private static void adaptAutoscaling(
      String name,
      AutoscalingSpec autoscaling,
      ValidatedSpec v,
      int servingPort,
      boolean realControlPlane,
      List<String> notes) {
    QueueSpec queue = autoscaling.getQueue() == null ? new QueueSpec() : autoscaling.getQueue();
    autoscaling.setQueue(queue);
    if (v.queueSource().outsidePods()) {
      notes.add(
          name
              + ": its "
              + v.queueSource().value()
              + " queue does not exist here, so the sandbox's copy reads the pods' flux_queue_depth"
              + " instead, with minReplicas "
              + Math.max(1, autoscaling.getMinReplicas()));
      queue.setSource(QueueSourceType.PODS.value());
      queue.setRedis(null);
      queue.setPrometheus(null);
      queue.setComfyui(null);
      autoscaling.setMinReplicas(Math.max(1, autoscaling.getMinReplicas()));
      PodsQueueSpec pods = new PodsQueueSpec();
      // the stand-in serves flux_queue_depth on the server's port
      pods.setPort(servingPort);
      queue.setPods(pods);
    }
    if (v.queueSource().outsidePods() || v.queueSource() == QueueSourceType.PODS) {
      PodsQueueSpec pods = queue.getPods() == null ? new PodsQueueSpec() : queue.getPods();
      if (realControlPlane && Integer.valueOf(8080).equals(pods.getPort())) {
        pods.setPort(servingPort);
      }
      if (pods.getPath() == null) {
        pods.setPath("/metrics");
      }
      if (pods.getMetric() == null) {
        pods.setMetric("flux_queue_depth");
      }
      queue.setPods(pods);
    }
    autoscaling.setPollIntervalSeconds(1);
    if (autoscaling.getMaxReplicas() > MAX_REPLICAS) {
      autoscaling.setMaxReplicas(MAX_REPLICAS);
      autoscaling.setMinReplicas(Math.min(autoscaling.getMinReplicas(), MAX_REPLICAS));
    }
    Integer scaleDown = autoscaling.getScaleDownStabilizationSeconds();
    if (scaleDown == null || scaleDown > SCALE_DOWN_SECONDS) {
      // unset: the operator's default, minutes
      autoscaling.setScaleDownStabilizationSeconds(SCALE_DOWN_SECONDS);
    }
    notes.add(
        name
            + ": polled every 1 s, scale-down window "
            + autoscaling.getScaleDownStabilizationSeconds()
            + " s, at most "
            + autoscaling.getMaxReplicas()
            + " replicas (each pod runs a real sidecar JVM)");
  }

  private static List<LoadGenerator.Load> loads(List<FluxDeployment> deployments) {
    List<LoadGenerator.Load> loads = new ArrayList<>();
    for (FluxDeployment fd : deployments) {
      double perPod = 1e9 / perImage(fd.getSpec().getGpu().getType()).toNanos();
      double quiet;
      double burst;
      if (fd.getSpec().getAutoscaling() != null) {
        // A quarter of one pod in the quiet, two and a half pods' worth in the burst.
        quiet = Math.min(4, 0.25 * perPod);
        burst = Math.min(20, 2.5 * perPod);
      } else {
        int replicas = fd.getSpec().getReplicas() == null ? 1 : fd.getSpec().getReplicas();
        quiet = Math.min(6, 0.4 * perPod * replicas);
        burst = quiet;
      }
      loads.add(
          new LoadGenerator.Load(ControlPlane.NAMESPACE, fd.getMetadata().getName(), quiet, burst));
    }
    return loads;
  }

  private static String licenceKey(List<Secret> secrets) {
    for (Secret secret : secrets) {
      if (secret.getStringData() != null && secret.getStringData().containsKey("api-key")) {
        return secret.getStringData().get("api-key");
      }
      if (secret.getData() != null && secret.getData().containsKey("api-key")) {
        return new String(
            Base64.getDecoder().decode(secret.getData().get("api-key")), StandardCharsets.UTF_8);
      }
    }
    return "sandbox-key";
  }

  private void header(
      World world, HttpEndpoints http, List<String> notes, Duration burstStart, Duration burstEnd) {
    out.println("FluxOps sandbox: the real operator, autoscaler and metering sidecar against a");
    if (options.realControlPlane()) {
      out.println("REAL control plane with SIMULATED GPU nodes. Simulated here: the nodes and");
      out.println("containers (KWOK), inference servers, clients, BFL's usage API.");
    } else {
      out.println("SIMULATED cluster. Simulated here: the API server (Fabric8 mock, CRUD mode),");
      out.println("GPU nodes, scheduler and kubelet, inference servers, clients, BFL's usage API,");
      out.println("the Hugging Face Hub.");
    }
    world.cluster().describe().forEach(out::println);
    out.printf(
        Locale.ROOT, "  operator metrics  http://127.0.0.1:%d/metrics   /healthz%n", http.port());
    out.printf(
        Locale.ROOT,
        "  BFL usage API     one per counting mode, so each is checked on its own: %s (simulated"
            + " stand-ins)%n",
        world.bfl().baseUrls().entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(java.util.stream.Collectors.joining(", ")));
    if (!world.hub().repos().isEmpty() && !options.realControlPlane()) {
      out.printf(
          Locale.ROOT,
          "  Hugging Face      %s (simulated stand-in): %s, gated; the loader Jobs run the real"
              + " loader%n",
          world.hub().endpoint(),
          String.join(", ", world.hub().repos()));
    }
    out.println(
        options.realControlPlane()
            ? "  pods              each at its pod IP (KWOK's, from "
                + KwokControlPlane.POD_CIDR
                + "): inference server (simulated), metering sidecar (real, a child JVM)"
            : "  pods              "
                + PodNetwork.ADDRESS
                + ", ports of their own as their http and metering container ports: inference"
                + " server (simulated), metering sidecar (real, a child JVM)");
    out.printf(
        Locale.ROOT,
        "  time              %dx faster than life: RTX 4090 %.1f s -> %d ms per image, pod start"
            + " 60 s -> %d ms (simulated)%n",
        TIME_SCALE,
        GpuType.RTX_4090.secondsPerImage(),
        perImage("rtx-4090").toMillis(),
        60_000 / TIME_SCALE);
    out.printf(
        Locale.ROOT,
        "  load              burst from %d s to %d s%s, quiet otherwise (simulated clients)%n",
        burstStart.toSeconds(),
        burstEnd.toSeconds(),
        options.duration().isPresent() ? "" : ", every 2 minutes");
    for (String note : notes) {
      out.println("  adapted           " + note);
    }
    out.println(
        "Ctrl-C stops everything"
            + (options.duration().isPresent()
                ? "; stops by itself after " + options.duration().get().toSeconds() + " s"
                : "")
            + ".\n");
  }

  private void summary(SandboxReport report, SandboxLog log, List<String> refusedPatches) {
    out.println();
    out.println("Summary (" + banner() + "):");
    out.printf(
        Locale.ROOT,
        "  %-20s %d replica changes decided (the operator's log)%n",
        "autoscaler",
        log.decisions());
    if (!log.failures().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "  %-20s requests that failed and were retried: %s%n",
          "API server",
          log.failures());
    }
    if (!refusedPatches.isEmpty()) {
      Map<String, Long> byObject = new TreeMap<>();
      for (String patch : refusedPatches) {
        String path = patch.split(" ")[1];
        byObject.merge(path.substring(path.indexOf("/namespaces/") + 1), 1L, Long::sum);
      }
      out.printf(
          Locale.ROOT,
          "  %-20s JSON patches the mock could not apply, answered 422 as kube-apiserver would: %s%n",
          "API server",
          byObject);
      if (System.getenv("FLUXOPS_SANDBOX_DEBUG") != null) {
        refusedPatches.forEach(patch -> out.println("    " + patch));
      }
    }
    for (String name : report.firstDesired().keySet()) {
      out.printf(
          Locale.ROOT,
          "  %-20s ready: %-3s desired replicas first %d, peak %d, last %d%s%n",
          name,
          report.becameReady().contains(name) ? "yes" : "no",
          report.firstDesired().get(name),
          report.peakDesired().get(name),
          report.lastDesired().get(name),
          report.autoscaled().contains(name) ? " (autoscaled)" : "");
    }
    for (var cache : report.modelCache().entrySet()) {
      out.printf(
          Locale.ROOT,
          "  %-20s model cache %s%n",
          cache.getKey(),
          cache.getValue().seconds() < 0
              ? "not filled"
              : String.format(
                  Locale.ROOT,
                  "filled from the stand-in Hub in %.1f s, %s",
                  cache.getValue().seconds(),
                  cache.getValue().podsWaited()
                      ? "before its first GPU pod started"
                      : "AFTER a GPU pod had started"));
    }
    for (var entry : report.generatedByModel().entrySet()) {
      out.printf(
          Locale.ROOT,
          "  %-20s images generated %d, reported to the licence endpoint %s%n",
          entry.getKey(),
          entry.getValue(),
          entry.getKey().equals("flux-1-schnell")
              ? "- (Apache-2.0, not metered)"
              : String.valueOf(report.reportedByModel().getOrDefault(entry.getKey(), 0L)));
    }
    for (var mode : report.generatedByCounting().entrySet()) {
      out.printf(
          Locale.ROOT,
          "  %-20s images generated %d, reported to its licence endpoint %d%n",
          "counting: " + mode.getKey(),
          mode.getValue(),
          report.reportedByCounting().getOrDefault(mode.getKey(), 0L));
    }
    out.println(
        report.everyImageReportedOnce()
            ? "  every metered image was reported to the (stand-in) licence endpoint exactly once"
            : "  MISMATCH: images generated and images reported differ (see above)");
  }

  /** The FluxDeployments and Secrets of the given files, or of {@code examples/}. */
  record Manifests(List<FluxDeployment> fluxDeployments, List<Secret> secrets) {

    static Manifests read(List<Path> files, KubernetesClient client) throws IOException {
      List<Path> paths = files.isEmpty() ? examples() : files;
      List<FluxDeployment> fds = new ArrayList<>();
      List<Secret> secrets = new ArrayList<>();
      KubernetesSerialization serialization = client.getKubernetesSerialization();
      for (Path path : paths) {
        for (String document : Files.readString(path).split("(?m)^---\\s*$")) {
          if (document.isBlank() || !document.contains("kind:")) {
            continue;
          }
          HasMetadata object = serialization.unmarshal(document, HasMetadata.class);
          if (object.getKind().equals("FluxDeployment")) {
            fds.add(serialization.unmarshal(document, FluxDeployment.class));
          } else if (object.getKind().equals("Secret")) {
            secrets.add(serialization.unmarshal(document, Secret.class));
          }
        }
      }
      if (fds.isEmpty()) {
        throw new IOException("no FluxDeployment in " + paths);
      }
      return new Manifests(fds, secrets);
    }

    /** The FluxDeployments of examples/ and of the examples a new feature brings in a folder. */
    static final List<String> EXAMPLE_DIRS =
        List.of("examples", "examples/model-cache", "examples/servers");

    private static List<Path> examples() throws IOException {
      if (!Files.isDirectory(Path.of("examples"))) {
        throw new IOException(
            "no examples/ directory here: run from the repository's root, or name the files");
      }
      List<Path> paths = new ArrayList<>();
      for (String name : EXAMPLE_DIRS) {
        Path dir = Path.of(name);
        if (Files.isDirectory(dir)) {
          try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(paths::add);
          }
        }
      }
      return paths;
    }
  }

  /** Watches the FluxDeployments once a second: prints the table, records the report. */
  static final class Monitor implements AutoCloseable {
    private final KubernetesClient client;
    private final PodRunner kubelet;
    private final SimulatedJobs jobs;
    private final LicenceEndpoints bfl;
    private final LoadGenerator load;
    private final List<FluxDeployment> deployments;
    private final PrintStream out;
    private final boolean live;
    private final SandboxLog log;
    private final String banner;
    private final java.util.concurrent.ScheduledExecutorService loop =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            Threads.daemon("sandbox-table"));
    private final Set<String> ready = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> first = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> peak = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> last = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Double> gpuSeconds = new java.util.concurrent.ConcurrentHashMap<>();
    private final long started = System.nanoTime();
    private volatile boolean frozen;
    private long lastTick = System.nanoTime();

    Monitor(
        KubernetesClient client,
        PodRunner kubelet,
        SimulatedJobs jobs,
        LicenceEndpoints bfl,
        LoadGenerator load,
        List<FluxDeployment> deployments,
        SandboxLog log,
        String banner,
        PrintStream out,
        boolean live) {
      this.client = client;
      this.kubelet = kubelet;
      this.jobs = jobs;
      this.bfl = bfl;
      this.load = load;
      this.deployments = deployments;
      this.out = out;
      this.live = live;
      this.log = log;
      this.banner = banner;
    }

    void start() {
      loop.scheduleAtFixedRate(this::safeRefresh, 1, 1, TimeUnit.SECONDS);
    }

    private void safeRefresh() {
      try {
        refresh();
      } catch (RuntimeException e) {
        // the next second tries again
      }
    }

    synchronized void refresh() {
      long now = System.nanoTime();
      double elapsed = (now - lastTick) / 1e9;
      lastTick = now;
      StringBuilder table = new StringBuilder();
      if (live) {
        table.append("\033[H\033[2J");
      }
      table.append(
          String.format(
              Locale.ROOT,
              "t=%3ds  load: %-5s   (%s; GPU time x%d)%n",
              (now - started) / 1_000_000_000L,
              load.phase(),
              banner,
              TIME_SCALE));
      table.append(
          String.format(
              Locale.ROOT,
              "%-18s %-18s %-9s %-6s %-7s %-5s %-16s %-7s %-9s %-10s %s%n",
              "NAME",
              "MODEL",
              "GPU",
              "READY",
              "DESIRED",
              "QUEUE",
              "CACHE",
              "IMAGES",
              "REPORTED",
              "$/IMAGE*",
              "API $/IMAGE"));
      for (FluxDeployment declared : deployments) {
        String name = declared.getMetadata().getName();
        FluxDeployment fd =
            client
                .resources(FluxDeployment.class)
                .inNamespace(ControlPlane.NAMESPACE)
                .withName(name)
                .get();
        var status = fd == null ? null : fd.getStatus();
        String model = declared.getSpec().getModel();
        String gpu = declared.getSpec().getGpu().getType();
        int gpus = Math.max(1, declared.getSpec().getGpu().getCount());
        gpuSeconds.merge(
            name,
            kubelet.placed(ControlPlane.NAMESPACE, name) * gpus * elapsed * TIME_SCALE,
            Double::sum);
        if (status != null) {
          Condition condition =
              Conditions.find(status.getConditions(), ConditionType.READY).orElse(null);
          if (condition != null && "True".equals(condition.getStatus()) && !frozen) {
            ready.add(name);
          }
          Integer desired = status.getDesiredReplicas();
          if (desired != null && !frozen) {
            first.putIfAbsent(name, desired);
            peak.merge(name, desired, Math::max);
            last.put(name, desired);
          }
        }
        long images = kubelet.generated(ControlPlane.NAMESPACE, name);
        double price = gpuPrice(declared);
        double perImage = images == 0 ? Double.NaN : gpuSeconds.get(name) / 3600 * price / images;
        table.append(
            String.format(
                Locale.ROOT,
                "%-18s %-18s %-9s %-6s %-7s %-5s %-16s %-7d %-9s %-10s $%.2f%n",
                name,
                model,
                gpu,
                status == null || status.getReady() == null ? "-" : status.getReady(),
                status == null || status.getDesiredReplicas() == null
                    ? "-"
                    : status.getDesiredReplicas(),
                status == null || status.getQueueDepth() == null ? "" : status.getQueueDepth(),
                cache(status),
                images,
                model.equals("flux-1-schnell") ? "n/a" : String.valueOf(bfl.reported(model)),
                Double.isNaN(perImage) ? "-" : String.format(Locale.ROOT, "$%.4f", perImage),
                apiPrice(declared)));
      }
      table.append(
          "* simulated GPU-hours held at the GPU's hourly price, per image made; REPORTED is what"
              + " the stand-in licence endpoint received for the model\n");
      table.append("Autoscaler decisions (the operator's log, newest last):\n");
      List<SandboxLog.Decision> recent = log.recent(DECISIONS_SHOWN);
      if (recent.isEmpty()) {
        table.append("  none yet\n");
      }
      for (SandboxLog.Decision decision : recent) {
        table.append(
            String.format(
                Locale.ROOT,
                "  t=%3ds  %s%n",
                Math.max(0, (decision.nanos() - started) / 1_000_000_000L),
                decision.text()));
      }
      out.print(table);
      out.flush();
    }

    /** The Cache column, with how far a download is. */
    static String cache(io.fluxops.operator.api.FluxDeploymentStatus status) {
      var cache = status == null ? null : status.getModelCache();
      if (cache == null || cache.getPhase() == null) {
        return "";
      }
      Long done = cache.getBytesDone();
      Long total = cache.getBytesTotal();
      if ("Downloading".equals(cache.getPhase()) && done != null && total != null && total > 0) {
        return cache.getPhase() + " " + (done * 100 / total) + "%";
      }
      return cache.getPhase();
    }

    private static double gpuPrice(FluxDeployment fd) {
      if (fd.getSpec().getCost() != null && fd.getSpec().getCost().getGpuHourlyPriceUsd() != null) {
        return fd.getSpec().getCost().getGpuHourlyPriceUsd();
      }
      return Double.parseDouble(
          "blackwell".equals(fd.getSpec().getGpu().getType())
              ? OperatorOptions.GPU_PRICE_BLACKWELL.defaultValue()
              : OperatorOptions.GPU_PRICE_RTX_4090.defaultValue());
    }

    private static double apiPrice(FluxDeployment fd) {
      if (fd.getSpec().getCost() != null
          && fd.getSpec().getCost().getApiPricePerImageUsd() != null) {
        return fd.getSpec().getCost().getApiPricePerImageUsd();
      }
      return Double.parseDouble(OperatorOptions.API_PRICE_PER_IMAGE.defaultValue());
    }

    /** Stops recording replicas: what follows is the shutdown, not the autoscaler's work. */
    void freeze() {
      frozen = true;
    }

    /** Waits until every autoscaled FluxDeployment wants fewer replicas than at its peak. */
    void awaitScaledDown(Duration timeout, CountDownLatch stop) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && stop.getCount() > 0) {
        boolean down = true;
        for (FluxDeployment fd : deployments) {
          String name = fd.getMetadata().getName();
          if (fd.getSpec().getAutoscaling() != null && peak.getOrDefault(name, 0) > 1) {
            down &= last.getOrDefault(name, 0) < peak.get(name);
          }
        }
        if (down) {
          return;
        }
        stop.await(500, TimeUnit.MILLISECONDS);
      }
    }

    void awaitQueuesEmpty(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        boolean empty = true;
        for (FluxDeployment fd : deployments) {
          for (StandInServer server :
              kubelet.endpoints(ControlPlane.NAMESPACE, fd.getMetadata().getName())) {
            empty &= server.queueDepth() == 0;
          }
        }
        if (empty) {
          return;
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }

    SandboxReport report() {
      Map<String, Long> generated = new TreeMap<>();
      Map<String, Integer> firsts = new LinkedHashMap<>();
      Map<String, Integer> peaks = new LinkedHashMap<>();
      Map<String, Integer> lasts = new LinkedHashMap<>();
      Set<String> autoscaled = new LinkedHashSet<>();
      Map<String, SandboxReport.CacheFill> caches = new LinkedHashMap<>();
      Map<String, Long> generatedByCounting = new TreeMap<>();
      for (FluxDeployment fd : deployments) {
        String name = fd.getMetadata().getName();
        generated.merge(
            fd.getSpec().getModel(), kubelet.generated(ControlPlane.NAMESPACE, name), Long::sum);
        firsts.put(name, first.getOrDefault(name, 0));
        peaks.put(name, peak.getOrDefault(name, 0));
        lasts.put(name, last.getOrDefault(name, 0));
        if (fd.getSpec().getAutoscaling() != null) {
          autoscaled.add(name);
        }
        if (fd.getSpec().getModelCache() != null
            && fd.getSpec().getModelCache().getSource() != null) {
          caches.put(name, cacheFill(name));
        }
        counting(fd)
            .ifPresent(
                mode ->
                    generatedByCounting.merge(
                        mode, kubelet.generated(ControlPlane.NAMESPACE, name), Long::sum));
      }
      return new SandboxReport(
          Set.copyOf(ready),
          firsts,
          peaks,
          lasts,
          generated,
          new HashMap<>(bfl.reportedBySlug()),
          autoscaled,
          caches,
          generatedByCounting,
          bfl.reportedByMode());
    }

    private SandboxReport.CacheFill cacheFill(String name) {
      String ns = ControlPlane.NAMESPACE;
      var start = jobs.started(ns, name);
      var done = jobs.completed(ns, name);
      var pod = kubelet.firstPod(ns, name);
      double seconds =
          start.isPresent() && done.isPresent() ? (done.get() - start.get()) / 1e9 : -1;
      boolean waited = pod.isEmpty() || (done.isPresent() && pod.get() >= done.get());
      return new SandboxReport.CacheFill(seconds, waited);
    }

    @Override
    public void close() {
      loop.shutdownNow();
    }
  }
}
