package io.fluxops.cluster;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the control-plane binaries are: the directory {@code cluster/control-plane/build.sh} filled
 * (its cache, keyed by version), a directory named by {@code FLUXOPS_CONTROL_PLANE_BIN}, or the
 * PATH when every binary is found there.
 */
public final class ControlPlaneBinaries {

  /** The programs a KWOK cluster with Helm needs, as build.sh names them. */
  public static final List<String> NAMES =
      List.of(
          "etcd",
          "kube-apiserver",
          "kube-controller-manager",
          "kube-scheduler",
          "kubectl",
          "kwok",
          "kwokctl",
          "helm");

  /** The variable that points at a directory of binaries built elsewhere. */
  public static final String BIN_VARIABLE = "FLUXOPS_CONTROL_PLANE_BIN";

  private final Path directory;

  private ControlPlaneBinaries(Path directory) {
    this.directory = directory;
  }

  /**
   * Finds the binaries, or says in one line why there are none and how to get them.
   *
   * @param repoRoot the FluxOps checkout, whose build script knows the cache directory
   */
  public static Lookup find(Path repoRoot) {
    String named = System.getenv(BIN_VARIABLE);
    if (named != null && !named.isBlank()) {
      Path dir = Path.of(named);
      Optional<String> missing = missingIn(dir);
      return missing
          .map(name -> Lookup.missing(BIN_VARIABLE + "=" + dir + " has no executable " + name))
          .orElseGet(() -> Lookup.found(new ControlPlaneBinaries(dir)));
    }
    Path script = repoRoot.resolve("cluster/control-plane/build.sh");
    Command.Result check =
        Command.of("bash", script.toString(), "--check").timeout(Duration.ofSeconds(30)).run();
    if (check.exitCode() == 0) {
      return Lookup.found(new ControlPlaneBinaries(Path.of(check.stdout().strip())));
    }
    Optional<Path> onPath = onPath();
    if (onPath.isPresent()) {
      return Lookup.found(new ControlPlaneBinaries(onPath.get()));
    }
    if (check.exitCode() == 3) {
      return Lookup.missing(check.stderr().strip());
    }
    return Lookup.missing(
        "the control plane is not built: run `"
            + repoRoot.relativize(script)
            + "` (tens of minutes once, then cached), or `./mvnw verify`, which runs it");
  }

  private static Optional<Path> onPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      Path dir = Path.of(entry);
      if (Files.isExecutable(dir.resolve("kwokctl")) && missingIn(dir).isEmpty()) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> missingIn(Path dir) {
    return NAMES.stream().filter(name -> !Files.isExecutable(dir.resolve(name))).findFirst();
  }

  /** The directory that holds every binary. */
  public Path directory() {
    return directory;
  }

  /**
   * The directory with the Prometheus Operator's CRDs that build.sh takes from its source (next to
   * the binaries it built; absent for binaries found elsewhere).
   */
  public Path crds() {
    return directory.resolveSibling("crds");
  }

  /** One binary's path. */
  public Path binary(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("not a control-plane binary: " + name);
    }
    return directory.resolve(name);
  }

  /** The binaries, or the one-line reason there are none. */
  public record Lookup(Optional<ControlPlaneBinaries> binaries, String whyMissing) {
    static Lookup found(ControlPlaneBinaries binaries) {
      return new Lookup(Optional.of(binaries), "");
    }

    static Lookup missing(String why) {
      return new Lookup(Optional.empty(), why);
    }
  }
}
