package io.fluxops.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.testing.Examples;
import io.fluxops.operator.workload.ModelLoad;
import io.fluxops.operator.workload.ReplicaTarget;
import io.fluxops.operator.workload.ServedModel;
import io.fluxops.operator.workload.SpecValidator;
import io.fluxops.operator.workload.ValidatedSpec;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For each FluxDeployment in {@code examples/}, the objects the workflow's dependents build in
 * {@code desired()}, as the Java Operator SDK calls them with the reconciler's inputs in the
 * reconcile context, equal the committed {@code golden/<example>/out-<Kind>-<name>.yaml}. After an
 * intended change, regenerate them with {@code ./mvnw -pl operator test -Dtest=GoldenFilesTest
 * -Dgolden.update=true} and review the diff.
 */
class GoldenFilesTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final String IMAGE = "ghcr.io/fluxops/fluxops-metering:0.1.0";
  private static final String LOADER_IMAGE = "ghcr.io/fluxops/fluxops-loader:0.1.0";
  private static final String SERVED_COMMIT = "0f5ad6c5d5d4e5c3b6b0e8f1a2b3c4d5e6f7a8b9";

  static Stream<Path> examples() {
    return Examples.fluxDeploymentFiles().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void derivedObjectsEqualGoldenFiles(Path example) throws IOException {
    FluxDeployment fd = Examples.load(example, "flux");
    fd.getMetadata().setGeneration(1L);
    fd.getMetadata().setUid("6f1c2a4e-0000-4000-8000-000000000001");
    ValidatedSpec spec = ((SpecValidator.Valid) SpecValidator.validate(fd.getSpec())).spec();
    int replicas = ReplicaTarget.desired(fd, spec, Optional.empty());
    Optional<ModelLoad> load = ModelLoad.of(fd.getSpec(), spec.model());
    // With a model cache source: the objects once the revision is complete on the claim.
    Optional<ServedModel> served =
        load.map(l -> new ServedModel(l.repo(), SERVED_COMMIT, l.claimName()));
    Context<FluxDeployment> context =
        contextWith(
            new WorkflowInputs(
                spec,
                replicas,
                IMAGE,
                load,
                served,
                LOADER_IMAGE,
                "https://huggingface.co",
                spec.proxied()));
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(new DeploymentDependent().desired(fd, context));
    objects.add(new ServiceDependent().desired(fd, context));
    objects.add(new PodDisruptionBudgetDependent().desired(fd, context));
    objects.add(new ServiceAccountDependent().desired(fd, context));
    if (load.isPresent()) {
      objects.add(new LoaderJobDependent().desired(fd, context));
    }
    if (spec.proxied()) {
      objects.add(new NetworkPolicyDependent().desired(fd, context));
    }
    Path dir = GOLDEN.resolve(example.getFileName().toString().replace(".yaml", ""));
    for (HasMetadata object : objects) {
      Path file =
          dir.resolve("out-" + object.getKind() + "-" + object.getMetadata().getName() + ".yaml");
      String actual = Examples.yaml(object);
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(dir);
        Files.writeString(file, actual);
      }
      assertThat(file)
          .as("golden file %s (run with -Dgolden.update=true to create it)", file)
          .exists();
      assertThat(actual)
          .as("derived %s differs from %s", object.getKind(), file)
          .isEqualTo(Files.readString(file));
    }
  }

  /**
   * A reconcile context that holds only what the reconciler puts into it for the dependents; any
   * other use fails the test, so a dependent that starts to depend on more shows up here.
   */
  @SuppressWarnings("unchecked")
  private static Context<FluxDeployment> contextWith(WorkflowInputs inputs) {
    Map<Object, Object> values = new HashMap<>();
    ManagedWorkflowAndDependentResourceContext workflow =
        (ManagedWorkflowAndDependentResourceContext)
            Proxy.newProxyInstance(
                GoldenFilesTest.class.getClassLoader(),
                new Class<?>[] {ManagedWorkflowAndDependentResourceContext.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "put" -> values.put(args[0], args[1]);
                      case "getMandatory" -> values.get(args[0]);
                      default ->
                          throw new UnsupportedOperationException(
                              "the dependents used the workflow context's " + method.getName());
                    });
    Context<FluxDeployment> context =
        (Context<FluxDeployment>)
            Proxy.newProxyInstance(
                GoldenFilesTest.class.getClassLoader(),
                new Class<?>[] {Context.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("managedWorkflowAndDependentResourceContext")) {
                    return workflow;
                  }
                  throw new UnsupportedOperationException(
                      "the dependents used the reconcile context's " + method.getName());
                });
    inputs.putInto(context);
    return context;
  }
}
