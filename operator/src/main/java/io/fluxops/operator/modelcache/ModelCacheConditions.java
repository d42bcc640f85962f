package io.fluxops.operator.modelcache;

import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.status.Conditions.Status;
import io.fluxops.operator.status.StatusAggregator;
import java.util.Optional;

/**
 * The model cache's part of the status: {@code status.modelCache}, the ModelCached condition, and,
 * while no complete revision lets GPU pods start, Ready and Progressing saying so (the workload's
 * own reading of a Deployment held at zero would call it scaled to zero).
 */
public final class ModelCacheConditions {

  static final String WAITING_MESSAGE =
      "no GPU pod runs until the model cache is complete (ModelCached)";

  private ModelCacheConditions() {}

  /**
   * @param view the cache's view, empty without {@code spec.modelCache.source}
   * @param held whether the Deployment is held at zero replicas for want of a complete revision
   */
  public static void apply(StatusAggregator status, Optional<ModelCacheView> view, boolean held) {
    if (view.isEmpty()) {
      status.fields().setModelCache(null);
      status.remove(ConditionType.MODEL_CACHED);
      return;
    }
    ModelCacheView cache = view.get();
    status.fields().setModelCache(cache.status());
    status.condition(
        ConditionType.MODEL_CACHED,
        cache.cached() ? Status.TRUE : Status.FALSE,
        cache.reason(),
        cache.message());
    if (held) {
      status.condition(ConditionType.READY, Status.FALSE, "WaitingForModel", WAITING_MESSAGE);
      boolean underWay =
          cache.reason().equals(ModelCacheView.DOWNLOADING)
              || cache.reason().equals(ModelCacheView.PENDING);
      status.condition(
          ConditionType.PROGRESSING,
          underWay ? Status.TRUE : Status.FALSE,
          underWay ? "WaitingForModel" : "ModelNotCached",
          underWay ? "filling the model cache: see ModelCached" : "see ModelCached for what to do");
    }
  }
}
