package io.fluxops.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fluxops.operator.api.FluxDeployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;

/**
 * An owned object named after its FluxDeployment, found in the informer's cache by that name.
 *
 * <p>The SDK's default looks secondaries up through an index that its informer event handler fills
 * after the cache itself; just after a start, the cache already holds an object the index does not
 * know yet, and the SDK would try to create it again. Looking up by name avoids that race, and
 * skips building the desired object only to learn its name.
 */
abstract class NamedAfterPrimary<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, FluxDeployment> {

  NamedAfterPrimary(Class<R> type) {
    super(type);
  }

  /**
   * Without server-side apply, the SDK's rule on a patch of plain operations ({@link
   * StoredObjectMatcher}); with it, the SDK's managed-fields matcher.
   */
  @Override
  public Result<R> match(
      R actual, R desired, FluxDeployment primary, Context<FluxDeployment> context) {
    if (useSSA(context)) {
      return super.match(actual, desired, primary, context);
    }
    addMetadata(true, actual, desired, primary, context);
    boolean matched =
        StoredObjectMatcher.matches(
            desired, actual, context.getClient().getKubernetesSerialization());
    return Result.computed(matched, desired);
  }

  @Override
  public Optional<R> getSecondaryResource(FluxDeployment primary, Context<FluxDeployment> context) {
    ResourceID id =
        new ResourceID(primary.getMetadata().getName(), primary.getMetadata().getNamespace());
    return eventSource().flatMap(source -> source.get(id));
  }
}
