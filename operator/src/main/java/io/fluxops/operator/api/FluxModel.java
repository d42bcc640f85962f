package io.fluxops.operator.api;

/**
 * The FLUX models FluxOps runs, named by their slug in BFL's licensing API. Every model but {@code
 * flux-1-schnell} (Apache-2.0) is licensed per generated image and gets a metering sidecar.
 */
public enum FluxModel implements ApiEnum {
  FLUX_1_DEV("flux-1-dev", true),
  FLUX_1_KONTEXT_DEV("flux-1-kontext-dev", true),
  FLUX_TOOLS("flux-tools", true),
  FLUX_1_KREA_DEV("flux-1-krea-dev", true),
  FLUX_2_DEV("flux-2-dev", true),
  FLUX_1_SCHNELL("flux-1-schnell", false);

  private final String slug;
  private final boolean metered;

  FluxModel(String slug, boolean metered) {
    this.slug = slug;
    this.metered = metered;
  }

  /** The licence slug, as written in {@code spec.model} and in BFL's usage URL. */
  @Override
  public String value() {
    return slug;
  }

  /** Whether every generated image must be reported to BFL's licensing API. */
  public boolean metered() {
    return metered;
  }

  @Override
  public String toString() {
    return slug;
  }
}
