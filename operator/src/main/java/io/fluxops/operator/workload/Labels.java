package io.fluxops.operator.workload;

import io.fluxops.operator.api.FluxDeployment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The labels on everything FluxOps creates for a FluxDeployment. */
public final class Labels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MODEL = "fluxops.io/model";
  public static final String GPU = "fluxops.io/gpu";

  public static final String APP_NAME = "flux-inference";
  public static final String MANAGER = "fluxops";

  /** Limits the operator's caches to the objects it manages. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

  private Labels() {}

  /** All labels of the owned objects and their pods. */
  public static Map<String, String> of(FluxDeployment fd, ValidatedSpec spec) {
    Map<String, String> labels = new LinkedHashMap<>(selector(fd));
    labels.put(MANAGED_BY, MANAGER);
    labels.put(MODEL, spec.model().slug());
    labels.put(GPU, spec.gpuType().value());
    return labels;
  }

  /**
   * The pod selector. It uses only labels that never change for a FluxDeployment, because a
   * Deployment's selector is immutable: a model or GPU change must roll the pods, not fail.
   */
  public static Map<String, String> selector(FluxDeployment fd) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(NAME, APP_NAME);
    selector.put(INSTANCE, fd.getMetadata().getName());
    return selector;
  }

  /** The selector as a query string, for the scale subresource's {@code status.selector}. */
  public static String selectorString(FluxDeployment fd) {
    return selector(fd).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .sorted()
        .collect(Collectors.joining(","));
  }
}
