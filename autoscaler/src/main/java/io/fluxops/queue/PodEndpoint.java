package io.fluxops.queue;

import java.net.URI;
import java.util.Objects;

/**
 * One ready pod to read from: its address and port. The operator lists these from the pods it sees
 * ready; tests point them at loopback servers.
 *
 * @param name what to call the pod in messages, e.g. its name
 * @param host the pod IP or a host name
 * @param port the port that serves the queue metric or API
 */
public record PodEndpoint(String name, String host, int port) {

  /** Validates the endpoint. */
  public PodEndpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port + " for " + name);
    }
  }

  /** The URI of {@code path} on this pod. */
  public URI uri(String path) {
    String bracketed = host.contains(":") ? "[" + host + "]" : host;
    return URI.create(
        "http://" + bracketed + ":" + port + (path.startsWith("/") ? "" : "/") + path);
  }
}
