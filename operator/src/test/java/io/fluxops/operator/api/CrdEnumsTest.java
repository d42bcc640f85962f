package io.fluxops.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.common.FluxModel;
import io.fluxops.common.GpuType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CrdEnumsTest {

  @Test
  void theCrdListsEveryModelOnceWithItsSlug() {
    assertThat(Arrays.stream(ModelName.values()).map(ModelName::model))
        .containsExactly(FluxModel.values());
    assertThat(Arrays.stream(ModelName.values()).map(ModelName::value))
        .containsExactly(
            Arrays.stream(FluxModel.values()).map(FluxModel::slug).toArray(String[]::new));
  }

  @Test
  void theCrdListsEveryGpuTypeOnceWithItsValue() {
    assertThat(Arrays.stream(GpuTypeName.values()).map(GpuTypeName::type))
        .containsExactly(GpuType.values());
    assertThat(Arrays.stream(GpuTypeName.values()).map(GpuTypeName::value))
        .containsExactly(
            Arrays.stream(GpuType.values()).map(GpuType::value).toArray(String[]::new));
  }
}
