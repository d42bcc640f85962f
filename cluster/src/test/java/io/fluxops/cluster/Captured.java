package io.fluxops.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What kubectl and helm printed in a cluster test, kept under {@code target/captured/} as the
 * README shows it ({@code $ command}, then the output), so the README's blocks can be checked
 * against a real run.
 */
final class Captured {

  static final Path DIRECTORY = RealCluster.REPO_ROOT.resolve("cluster/target/captured");

  private Captured() {}

  static void write(String name, String commandLine, String output) {
    try {
      Files.createDirectories(DIRECTORY);
      Files.writeString(
          DIRECTORY.resolve(name + ".txt"),
          "$ " + commandLine + "\n" + output.stripTrailing() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the output of " + commandLine, e);
    }
  }
}
