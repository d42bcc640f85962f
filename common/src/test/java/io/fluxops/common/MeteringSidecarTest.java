package io.fluxops.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeteringSidecarTest {

  @Test
  void proxyFlagsAreTheImageFlagsWithC1InPlaceOfTheInterpreterAndAHeapThatShrinks() {
    List<String> expected = new ArrayList<>(MeteringSidecar.JVM_FLAGS);
    int interpreter = expected.indexOf("-Xint");
    expected.remove(interpreter);
    expected.addAll(interpreter, MeteringSidecar.PROXY_JIT_FLAGS);
    expected.addAll(MeteringSidecar.PROXY_HEAP_FLAGS);

    assertThat(MeteringSidecar.PROXY_JVM_FLAGS)
        .containsExactlyElementsOf(expected)
        .doesNotContain("-Xint")
        .contains("-XX:TieredStopAtLevel=1", "-Xmx24m", "-XX:MaxHeapFreeRatio=20");
  }

  @Test
  void imageCommandIsJavaTheFlagsTheClasspathFileAndTheMainClass() {
    assertThat(MeteringSidecar.imageCommand(List.of("-Xint", "-Xmx24m")))
        .containsExactly(
            "java",
            "-Xint",
            "-Xmx24m",
            "-cp",
            "@/app/jib-classpath-file",
            "io.fluxops.metering.Main");
  }
}
