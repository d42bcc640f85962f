package io.fluxops.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox command in its own JVM, stopped with Ctrl-C (SIGINT) while it runs, or at the end of
 * its {@code --duration}: its scratch directory, which holds the stand-in licence key and the
 * sidecars' journals, logs and temporary files, is private while it runs and gone after, and no
 * process outlives it.
 */
class SandboxCleanupTest {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void ctrlCRemovesTheScratchDirectoryAndItsLicenceKey() throws Exception {
    assertThat(
            Files.isExecutable(Path.of("/usr/bin/setsid"))
                || Files.isExecutable(Path.of("/bin/setsid")))
        .as("setsid (util-linux) runs the sandbox as a terminal would")
        .isTrue();
    Assumptions.assumeFalse(
        interruptIgnored(),
        "SIGINT is ignored in this process and so in the sandbox it starts (a shell without job"
            + " control ignores it for what it starts in the background, e.g. `nohup ... &`): the"
            + " JVM then keeps it ignored, as it should, and Ctrl-C cannot be shown; run the tests"
            + " in the foreground");
    Path log = tmp.resolve("sandbox.out");
    Path scratchRoot = Files.createDirectory(tmp.resolve("tmp"));
    Process sandbox = start(scratchRoot, log, "120s");
    try {
      Path key =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> licenceKey(scratchRoot), Optional::isPresent)
              .orElseThrow();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())))
          .isEqualTo("rwx------");

      // As a terminal's Ctrl-C: SIGINT to the whole process group, the sidecars included (the
      // sandbox runs in a session of its own, see start).
      new ProcessBuilder("kill", "-INT", "--", "-" + sandbox.pid()).start().waitFor();

      assertThat(sandbox.waitFor(120, TimeUnit.SECONDS))
          .as("the sandbox stops after Ctrl-C: %s", Files.readString(log))
          .isTrue();
      assertThat(sandbox.exitValue())
          .as(
              "every image reported once although Ctrl-C stopped the sidecars too: %s",
              Files.readString(log))
          .isZero();
      assertNothingLeft(sandbox, scratchRoot);
    } finally {
      kill(sandbox);
    }
  }

  @Test
  void aRunThatEndsByItselfLeavesNothingBehind() throws Exception {
    Path log = tmp.resolve("sandbox.out");
    Path scratchRoot = Files.createDirectory(tmp.resolve("tmp"));
    Process sandbox = start(scratchRoot, log, "8s");
    try {
      assertThat(sandbox.waitFor(4, TimeUnit.MINUTES))
          .as("the sandbox stops after its duration: %s", Files.readString(log))
          .isTrue();
      assertThat(sandbox.exitValue()).as(Files.readString(log)).isZero();
      assertNothingLeft(sandbox, scratchRoot);
    } finally {
      kill(sandbox);
    }
  }

  /** Whether this process inherited SIGINT ignored (Linux: signal 2 is the mask 0x2 of SigIgn). */
  private static boolean interruptIgnored() throws Exception {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return false;
    }
    return Files.readAllLines(status).stream()
        .filter(line -> line.startsWith("SigIgn:"))
        .map(line -> Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16))
        .anyMatch(mask -> (mask & 0x2L) != 0);
  }

  private static void assertNothingLeft(Process sandbox, Path scratchRoot) throws Exception {
    try (Stream<Path> left = Files.list(scratchRoot)) {
      assertThat(left.toList()).as("left in the temporary directory").isEmpty();
    }
    assertThat(sandbox.descendants().filter(ProcessHandle::isAlive).toList())
        .as("sidecars left running")
        .isEmpty();
  }

  private static void kill(Process sandbox) {
    sandbox.descendants().forEach(ProcessHandle::destroyForcibly);
    sandbox.destroyForcibly();
  }

  /**
   * The sandbox as a terminal runs it: in a process group of its own (setsid), with its sidecars.
   */
  private static Process start(Path scratchRoot, Path log, String duration) throws Exception {
    return new ProcessBuilder(
            "setsid",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "-Djava.io.tmpdir=" + scratchRoot,
            "io.fluxops.tools.Main",
            "sandbox",
            "--duration",
            duration,
            "--metrics-port",
            "0",
            REPOSITORY.resolve("examples/flux-1-dev-rtx-4090.yaml").toString(),
            REPOSITORY.resolve("examples/license-secret.yaml").toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static Optional<Path> licenceKey(Path root) throws Exception {
    try (Stream<Path> dirs = Files.list(root)) {
      List<Path> keys =
          dirs.filter(d -> d.getFileName().toString().startsWith("fluxops-sandbox-"))
              .map(d -> d.resolve("licence-key"))
              .filter(Files::exists)
              .toList();
      return keys.stream().findFirst();
    }
  }
}
