package io.fluxops.loader.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The loader's validated configuration; {@link ConfigLoader} is the only way to make one from the
 * environment.
 *
 * @param endpoint the Hub's base URL, without a trailing slash
 * @param include file patterns; empty selects every file of the revision
 * @param claimName the claim's name for messages, empty when unknown
 * @param terminationLog where the outcome goes at exit, if anywhere
 */
public record LoaderConfig(
    URI endpoint,
    String repo,
    String revision,
    List<String> include,
    Optional<Token> token,
    Path cacheDir,
    String claimName,
    int connections,
    long segmentBytes,
    Duration requestTimeout,
    int attempts,
    Duration maxBackoff,
    String listenAddress,
    int listenPort,
    Optional<Path> terminationLog) {

  public LoaderConfig {
    include = List.copyOf(include);
  }

  /** "claim flux-weights" or the directory, for messages about space. */
  public String describeVolume() {
    return claimName.isEmpty() ? cacheDir.toString() : "claim " + claimName;
  }
}
