package io.fluxops.operator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts the build stamps into the jar, so images and tags name the same version. */
public final class BuildInfo {

  private static final String VERSION = load().getProperty("version");

  private BuildInfo() {}

  /** The FluxOps version, which is also the tag of the operator and sidecar images. */
  public static String version() {
    return VERSION;
  }

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in =
        BuildInfo.class.getResourceAsStream("/io/fluxops/operator/build.properties")) {
      if (in == null) {
        throw new IllegalStateException("build.properties is missing from the operator jar");
      }
      properties.load(in);
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
