package io.fluxops.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelLoaderTest {
  @Test
  void aRevisionLivesWhereTheHubCacheLayoutPutsIt() {
    assertThat(ModelLoader.snapshotDir("/models/", "black-forest-labs/FLUX.1-dev", "abc"))
        .isEqualTo("/models/models--black-forest-labs--FLUX.1-dev/snapshots/abc");
  }

  @Test
  void onlyPermanentFailuresStopTheJob() {
    assertThat(ModelLoader.EXITS_THAT_NEED_A_PERSON)
        .containsExactly(ModelLoader.EXIT_CONFIGURATION, ModelLoader.EXIT_NEEDS_A_PERSON)
        .doesNotContain(ModelLoader.EXIT_MAY_PASS, ModelLoader.EXIT_BUG);
  }
}
