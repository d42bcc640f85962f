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
}
