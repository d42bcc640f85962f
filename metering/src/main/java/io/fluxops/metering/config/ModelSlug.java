package io.fluxops.metering.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The BFL licence slugs this sidecar meters. {@code flux-1-schnell} is deliberately absent: it is
 * Apache-2.0 and has nothing to report.
 */
public enum ModelSlug {
  FLUX_1_DEV("flux-1-dev"),
  FLUX_1_KONTEXT_DEV("flux-1-kontext-dev"),
  FLUX_TOOLS("flux-tools"),
  FLUX_1_KREA_DEV("flux-1-krea-dev"),
  FLUX_2_DEV("flux-2-dev");

  private final String slug;

  ModelSlug(String slug) {
    this.slug = slug;
  }

  /** The slug exactly as BFL's licences API spells it. */
  public String slug() {
    return slug;
  }

  /** The metered model with this slug, if any. */
  public static Optional<ModelSlug> fromSlug(String slug) {
    return Arrays.stream(values()).filter(m -> m.slug.equals(slug)).findFirst();
  }

  /** All slugs, comma-separated, for error messages. */
  public static String allSlugs() {
    return Arrays.stream(values()).map(ModelSlug::slug).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return slug;
  }
}
