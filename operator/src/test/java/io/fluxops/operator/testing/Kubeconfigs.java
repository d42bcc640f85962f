package io.fluxops.operator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kubeconfig files that point an operator process at an API server, with a token and no TLS check.
 */
public final class Kubeconfigs {

  private Kubeconfigs() {}

  /** Writes a kubeconfig for {@code server} to {@code file}, and returns the file. */
  public static Path write(Path file, String server) throws IOException {
    return Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        contexts:
        - name: c
          context: {cluster: c, user: u}
        users:
        - name: u
          user: {token: t}
        current-context: c
        """
            .formatted(server));
  }
}
