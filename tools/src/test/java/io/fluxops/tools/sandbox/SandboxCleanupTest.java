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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox command in its own JVM, stopped with Ctrl-C (SIGINT) while it runs: its scratch
 * directory, which holds the stand-in licence key, is private while it runs and gone after.
 */
class SandboxCleanupTest {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void ctrlCRemovesTheScratchDirectoryAndItsLicenceKey() throws Exception {
    Path log = tmp.resolve("sandbox.out");
    Path scratchRoot = Files.createDirectory(tmp.resolve("tmp"));
    Process sandbox =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + scratchRoot,
                "io.fluxops.tools.Main",
                "sandbox",
                "--duration",
                "120s",
                "--metrics-port",
                "0",
                REPOSITORY.resolve("examples/flux-1-dev-rtx-4090.yaml").toString(),
                REPOSITORY.resolve("examples/license-secret.yaml").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
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

      new ProcessBuilder("kill", "-INT", Long.toString(sandbox.pid())).start().waitFor();

      assertThat(sandbox.waitFor(120, TimeUnit.SECONDS))
          .as("the sandbox stops after Ctrl-C: %s", Files.readString(log))
          .isTrue();
      try (Stream<Path> left = Files.list(scratchRoot)) {
        assertThat(left.toList()).as("left in the temporary directory").isEmpty();
      }
      assertThat(sandbox.descendants().filter(ProcessHandle::isAlive).toList())
          .as("sidecars left running")
          .isEmpty();
    } finally {
      sandbox.descendants().forEach(ProcessHandle::destroyForcibly);
      sandbox.destroyForcibly();
    }
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
