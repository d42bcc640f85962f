package io.fluxops.deploy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's promtool (package {@code prometheus}), run as a process. */
final class Promtool {

  static final Path BINARY = Path.of(System.getProperty("fluxops.promtool", "/usr/bin/promtool"));

  /** What a run printed and how it ended. */
  record Result(int exitCode, String output) {}

  private Promtool() {}

  static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    assertThat(Files.isExecutable(BINARY))
        .as(
            "%s is missing: install Debian's prometheus package (apt-get install prometheus), as"
                + " .ci/run does, or point -Dfluxops.promtool at a promtool binary",
            BINARY)
        .isTrue();
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("promtool did not finish in 60 s:\n" + output);
    }
    return new Result(process.exitValue(), output);
  }
}
