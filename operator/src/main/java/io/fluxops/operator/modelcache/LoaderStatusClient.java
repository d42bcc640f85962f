package io.fluxops.operator.modelcache;

import io.fluxops.common.ModelLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a running loader's {@code /status} on its pod's address. Short timeouts: a reconcile waits
 * for it, and a loader that does not answer only leaves the last figures in place.
 */
public final class LoaderStatusClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  /**
   * The loader's report, or empty when it does not answer.
   *
   * @param port the pod's {@code status} container port ({@link ModelLoader#PORT} as the Job
   *     declares it)
   */
  public Optional<LoaderReport> read(String podIp, int port) {
    String host = podIp.contains(":") ? "[" + podIp + "]" : podIp;
    URI uri = URI.create("http://" + host + ":" + port + "/status");
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? LoaderReport.parse(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
