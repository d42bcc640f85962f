package io.fluxops.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteSizesTest {
  @Test
  void showsDecimalUnitsWithThreeSignificantDigits() {
    assertThat(ByteSizes.show(999)).isEqualTo("999 B");
    assertThat(ByteSizes.show(1_500)).isEqualTo("1.50 kB");
    assertThat(ByteSizes.show(23_800_000_000L)).isEqualTo("23.8 GB");
    assertThat(ByteSizes.show(335_304_388L)).isEqualTo("335.3 MB");
  }
}
