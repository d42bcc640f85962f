package io.fluxops.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FluxModelTest {

  @Test
  void everyDevFamilyModelIsMeteredAndSchnellIsNot() {
    assertThat(FluxModel.meteredSlugs())
        .isEqualTo("flux-1-dev, flux-1-kontext-dev, flux-tools, flux-1-krea-dev, flux-2-dev");
    assertThat(FluxModel.FLUX_1_SCHNELL.metered()).isFalse();
    assertThat(FluxModel.meteredFromSlug("flux-1-schnell")).isEmpty();
    assertThat(FluxModel.meteredFromSlug("flux-1-dev")).contains(FluxModel.FLUX_1_DEV);
  }

  @Test
  void slugsAreMatchedExactly() {
    assertThat(FluxModel.fromSlug("FLUX-1-DEV")).isEmpty();
    assertThat(FluxModel.fromSlug("flux-1-krea-dev")).contains(FluxModel.FLUX_1_KREA_DEV);
  }

  @Test
  void everyModelButFluxToolsHasOneHuggingFaceRepoWithItsCheckpoint() {
    assertThat(FluxModel.FLUX_1_DEV.huggingFaceRepo()).contains("black-forest-labs/FLUX.1-dev");
    assertThat(FluxModel.FLUX_1_DEV.checkpoint()).contains("flux1-dev.safetensors");
    assertThat(FluxModel.FLUX_TOOLS.huggingFaceRepo()).isEmpty();
    for (FluxModel model : FluxModel.values()) {
      assertThat(model.huggingFaceRepo().isPresent())
          .as(model.slug())
          .isEqualTo(model.checkpoint().isPresent())
          .isEqualTo(model != FluxModel.FLUX_TOOLS);
    }
  }
}
