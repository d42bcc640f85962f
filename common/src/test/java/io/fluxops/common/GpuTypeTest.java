package io.fluxops.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GpuTypeTest {

  @Test
  void anRtx4090MakesTheReferencesTwoHundredFiftyImagesAnHour() {
    assertThat(GpuType.RTX_4090.imagesPerHour()).isCloseTo(250, within(1e-9));
    assertThat(GpuType.RTX_4090.secondsPerImage()).isCloseTo(14.4, within(1e-9));
  }

  @Test
  void schnellTakesItsFourStepsNotDevsTwentyEight() {
    assertThat(GpuType.RTX_4090.secondsPerImage(FluxModel.FLUX_1_SCHNELL))
        .isCloseTo(14.4 * 4 / 28, within(1e-9));
    assertThat(GpuType.BLACKWELL.secondsPerImage(FluxModel.FLUX_1_DEV))
        .isCloseTo(1.344, within(1e-9));
  }

  @Test
  void onlyBlackwellRunsFp4() {
    assertThat(GpuType.BLACKWELL.supportsFp4()).isTrue();
    assertThat(GpuType.RTX_4090.supportsFp4()).isFalse();
  }

  @Test
  void valuesAreTheCrdsSpelling() {
    assertThat(GpuType.fromValue("rtx-4090")).contains(GpuType.RTX_4090);
    assertThat(GpuType.fromValue("RTX-4090")).isEmpty();
    assertThat(GpuType.allowed()).isEqualTo("rtx-4090, blackwell");
  }
}
