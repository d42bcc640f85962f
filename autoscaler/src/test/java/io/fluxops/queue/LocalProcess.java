package io.fluxops.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server binary started for a test on loopback, in a temporary directory, and stopped after. */
final class LocalProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private LocalProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} in {@code dir}, its output going to a log file there. */
  static LocalProcess start(Path dir, List<String> command) {
    Path binary = Path.of(command.get(0));
    assertThat(Files.isExecutable(binary))
        .as(
            "%s is missing: install the Debian package (apt-get install redis-server prometheus),"
                + " as .ci/run does",
            binary)
        .isTrue();
    Path log = dir.resolve(binary.getFileName() + ".log");
    try {
      Process process =
          new ProcessBuilder(new ArrayList<>(command))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new LocalProcess(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A loopback port nothing listens on right now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The process's output so far, for failure messages. */
  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
