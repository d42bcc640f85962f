package io.fluxops.operator.api;

import io.fluxops.common.FluxModel;

/**
 * The values of {@code spec.model} as the CRD lists them: one per {@link FluxModel}, which holds
 * the facts (slug, whether it is metered). This enum exists because the CRD generator reads enum
 * values through Jackson, and the shared module carries no Jackson.
 */
public enum ModelName implements ApiEnum {
  FLUX_1_DEV(FluxModel.FLUX_1_DEV),
  FLUX_1_KONTEXT_DEV(FluxModel.FLUX_1_KONTEXT_DEV),
  FLUX_TOOLS(FluxModel.FLUX_TOOLS),
  FLUX_1_KREA_DEV(FluxModel.FLUX_1_KREA_DEV),
  FLUX_2_DEV(FluxModel.FLUX_2_DEV),
  FLUX_1_SCHNELL(FluxModel.FLUX_1_SCHNELL);

  private final FluxModel model;

  ModelName(FluxModel model) {
    this.model = model;
  }

  /** The licence slug, as written in {@code spec.model} and in BFL's usage URL. */
  @Override
  public String value() {
    return model.slug();
  }

  /** The model this value names. */
  public FluxModel model() {
    return model;
  }

  @Override
  public String toString() {
    return value();
  }
}
