package io.fluxops.operator.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator's jar and image hold the operator: what its runtime classpath (written by the build,
 * see operator/pom.xml) may not contain. The sandbox's mock API server lives in the tools module.
 */
class OperatorClasspathTest {

  private static final Path CLASSPATH = Path.of("target/runtime-classpath.txt");

  /** The fake API server, and the HTTP stacks that only it and vert.x's client bring. */
  private static final Pattern TEST_ONLY =
      Pattern.compile(
          "(kubernetes-server-mock|mockwebserver|kubernetes-httpclient-vertx|vertx-[a-z-]+"
              + "|netty-[a-z0-9-]+)-[0-9][^/]*\\.jar$");

  @Test
  void theRuntimeClasspathHoldsNoMockServerVertxOrNetty() throws Exception {
    List<String> jars = jars();
    assertThat(jars).as("the operator's runtime classpath").isNotEmpty();
    assertThat(jars.stream().filter(jar -> TEST_ONLY.matcher(jar).find()))
        .as("test-only libraries on the operator's runtime classpath (give them test scope)")
        .isEmpty();
  }

  @Test
  void theCheckRecognisesTheLibrariesItGuardsAgainst() {
    // The guard must bite on the names these libraries really have.
    assertThat(
            List.of(
                "/m2/io/fabric8/kubernetes-server-mock/7.5.2/kubernetes-server-mock-7.5.2.jar",
                "/m2/io/fabric8/mockwebserver/7.5.2/mockwebserver-7.5.2.jar",
                "/m2/io/vertx/vertx-core/4.5.24/vertx-core-4.5.24.jar",
                "/m2/io/netty/netty-codec-http2/4.1.130.Final/netty-codec-http2-4.1.130.Final.jar"))
        .allMatch(jar -> TEST_ONLY.matcher(jar).find());
    assertThat(
            TEST_ONLY
                .matcher("/m2/io/fabric8/kubernetes-client/7.5.2/kubernetes-client-7.5.2.jar")
                .find())
        .isFalse();
  }

  private static List<String> jars() throws Exception {
    assertThat(CLASSPATH).as("written by maven-dependency-plugin (runtime-classpath)").exists();
    String text = Files.readString(CLASSPATH).strip();
    return text.isEmpty() ? List.of() : List.of(text.split(Pattern.quote(File.pathSeparator)));
  }
}
