package io.fluxops.metering.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.NodeList;

/**
 * The container's JVM flags, read from the jib configuration in {@code metering/pom.xml}, so that
 * child-process tests and the benchmark run the sidecar exactly as the image does.
 */
public final class JvmFlags {
  private JvmFlags() {}

  /**
   * The flags of the pom at {@code fluxops.pom}, or found from the working directory. The system
   * property {@code fluxops.jvmFlags} (space-separated) replaces them, to try other flags in the
   * benchmark without editing the pom.
   */
  public static List<String> fromPom() {
    String override = System.getProperty("fluxops.jvmFlags");
    if (override != null && !override.isBlank()) {
      return List.of(override.strip().split("\\s+"));
    }
    NodeList nodes = jibContainer("jvmFlags/jvmFlag");
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      flags.add(nodes.item(i).getTextContent().strip());
    }
    if (flags.isEmpty()) {
      throw new IllegalStateException("no jib jvmFlags in " + pomPath());
    }
    return flags;
  }

  /** The environment the image sets: the jib configuration's {@code <environment>} in the pom. */
  public static Map<String, String> environmentFromPom() {
    NodeList nodes = jibContainer("environment/*");
    Map<String, String> environment = new LinkedHashMap<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      environment.put(nodes.item(i).getNodeName(), nodes.item(i).getTextContent().strip());
    }
    return environment;
  }

  /** The nodes at {@code path} under the jib plugin's {@code <container>} in the pom. */
  private static NodeList jibContainer(String path) {
    Path pom = pomPath();
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      var document = factory.newDocumentBuilder().parse(pom.toFile());
      return (NodeList)
          XPathFactory.newInstance()
              .newXPath()
              .evaluate(
                  "//plugin[artifactId='jib-maven-plugin']/configuration/container/" + path,
                  document,
                  XPathConstants.NODESET);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the jib " + path + " from " + pom, e);
    }
  }

  private static Path pomPath() {
    String configured = System.getProperty("fluxops.pom");
    if (configured != null) {
      return Path.of(configured);
    }
    Path module = Path.of("metering/pom.xml");
    return Files.exists(module) ? module : Path.of("pom.xml");
  }
}
