package io.fluxops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.operator.config.OperatorOptions;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void usageListsEverySetting() {
    String usage = Main.usage();
    for (var option : OperatorOptions.ALL) {
      assertThat(usage).contains(option.env());
    }
  }
}
