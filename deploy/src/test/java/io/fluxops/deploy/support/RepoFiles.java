package io.fluxops.deploy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository this module tests: the chart, the examples, the operator's sources. */
public final class RepoFiles {

  private static final Path ROOT =
      Path.of(System.getProperty("fluxops.root", "..")).toAbsolutePath().normalize();

  private RepoFiles() {}

  /** A path relative to the repository's root. */
  public static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  public static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Maven project's version, which the chart's version and appVersion follow. */
  public static String projectVersion() {
    String version = System.getProperty("fluxops.version");
    if (version == null) {
      throw new IllegalStateException("run through Maven: fluxops.version is not set");
    }
    return version;
  }
}
