package io.fluxops.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.common.MeteringSidecar;
import io.fluxops.metering.support.JvmFlags;
import org.junit.jupiter.api.Test;

class ImageJvmFlagsTest {

  @Test
  void theImageRunsTheSidecarWithTheSharedJvmFlags() {
    // Jib needs the flags written out in the pom; the sandbox and the process tests take them from
    // fluxops-common. One list, one checked copy.
    assertThat(JvmFlags.fromPom()).containsExactlyElementsOf(MeteringSidecar.JVM_FLAGS);
  }

  @Test
  void theImageSetsTheSharedEnvironment() {
    assertThat(JvmFlags.environmentFromPom())
        .containsExactlyInAnyOrderEntriesOf(MeteringSidecar.IMAGE_ENVIRONMENT);
  }
}
