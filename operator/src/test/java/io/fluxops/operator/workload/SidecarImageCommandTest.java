package io.fluxops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.common.MeteringSidecar;
import io.fluxops.operator.testing.Examples;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * With counting proxy the operator repeats the sidecar image's entrypoint to change its JVM flags,
 * so the main class it names must be the one the image is built with (metering/pom.xml).
 */
class SidecarImageCommandTest {

  @Test
  void theProxyCommandStartsTheMainClassTheImageIsBuiltWith() {
    String pom = Examples.read(Examples.ROOT.resolve("metering/pom.xml"));
    Matcher mainClass = Pattern.compile("<main.class>([^<]+)</main.class>").matcher(pom);

    assertThat(mainClass.find()).as("metering/pom.xml sets main.class").isTrue();
    assertThat(mainClass.group(1)).isEqualTo(MeteringSidecar.MAIN_CLASS);
    assertThat(pom).contains("<mainClass>${main.class}</mainClass>");
  }
}
