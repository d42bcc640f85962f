package io.fluxops.tools.sandbox;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * SIMULATED: BFL's usage endpoint, one stand-in per counting mode. BFL counts images per model, and
 * several of the examples license one model (flux-1-dev) counted in different ways; with an
 * endpoint of its own per mode the summary checks each mode by itself as well as each model.
 */
final class LicenceEndpoints implements AutoCloseable {

  private final Map<String, BflUsageStandIn> byMode = new TreeMap<>();

  /** One stand-in for each of {@code modes}, each accepting {@code key}. */
  LicenceEndpoints(Collection<String> modes, String key) throws IOException {
    try {
      for (String mode : modes) {
        byMode.put(mode, new BflUsageStandIn(key));
      }
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** The base URL the sandbox's copy of a FluxDeployment counted that way reports to. */
  String baseUrl(String mode) {
    BflUsageStandIn bfl = byMode.get(mode);
    if (bfl == null) {
      throw new IllegalArgumentException("no licence endpoint for counting " + mode);
    }
    return bfl.baseUrl();
  }

  /** The counting modes, each with its endpoint's base URL. */
  Map<String, String> baseUrls() {
    Map<String, String> urls = new TreeMap<>();
    byMode.forEach((mode, bfl) -> urls.put(mode, bfl.baseUrl()));
    return urls;
  }

  /** Images reported for the model, over every mode. */
  long reported(String slug) {
    return byMode.values().stream().mapToLong(bfl -> bfl.reported(slug)).sum();
  }

  /** Images reported per model, over every mode. */
  Map<String, Long> reportedBySlug() {
    Map<String, Long> sums = new TreeMap<>();
    for (BflUsageStandIn bfl : byMode.values()) {
      bfl.reportedBySlug().forEach((slug, count) -> sums.merge(slug, count, Long::sum));
    }
    return sums;
  }

  /** Images reported per counting mode, over every model. */
  Map<String, Long> reportedByMode() {
    Map<String, Long> sums = new TreeMap<>();
    byMode.forEach(
        (mode, bfl) ->
            sums.put(
                mode, bfl.reportedBySlug().values().stream().mapToLong(Long::longValue).sum()));
    return sums;
  }

  @Override
  public void close() {
    byMode.values().forEach(BflUsageStandIn::close);
  }
}
