package io.fluxops.operator.build;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fluxops.operator.api.FluxDeployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Build step: reorders the generated CRD's printer columns to the order of the {@code
 * AdditionalPrinterColumn} annotations on {@link FluxDeployment} (the generator sorts them by JSON
 * path, which would show Age first).
 */
public final class CrdPrinterColumnOrder {

  private CrdPrinterColumnOrder() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]).resolve("fluxdeployments.fluxops.io-v1.yml");
    KubernetesSerialization serialization = new KubernetesSerialization();
    String original = Files.readString(file);
    CustomResourceDefinition crd =
        serialization.unmarshal(original, CustomResourceDefinition.class);
    List<String> order =
        Arrays.stream(FluxDeployment.class.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    for (var version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns =
          new ArrayList<>(version.getAdditionalPrinterColumns());
      columns.sort(Comparator.comparingInt(c -> order.indexOf(c.getName())));
      version.setAdditionalPrinterColumns(columns);
    }
    String header = original.lines().findFirst().filter(l -> l.startsWith("#")).orElse("");
    Files.writeString(file, header + "\n" + serialization.asYaml(crd).replaceFirst("^---\n", ""));
  }
}
