package io.fluxops.tools.sandbox;

import io.fabric8.kubernetes.api.model.Secret;
import io.fluxops.common.FluxModel;
import io.fluxops.loader.standin.Content;
import io.fluxops.loader.standin.StandInFile;
import io.fluxops.loader.standin.StandInHub;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.workload.ModelLoad;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SIMULATED: the Hugging Face Hub. It is the loader's stand-in Hub (fluxops-loader's test-jar,
 * answering as the Hub documents; the tools jar carries it for the sandbox alone), holding each
 * repo a FluxDeployment's {@code modelCache.source} names, gated as FLUX [dev] repos are, with
 * files standing in for the checkpoint and autoencoder at a fraction of their size, served at a
 * capped rate so the fill can be watched. The token in each token Secret is an account that
 * accepted the repo's licence.
 */
final class SimulatedHub implements AutoCloseable {

  /** The checkpoint's stand-in: 23.8 GB in life (flux1-dev.safetensors), 48 MiB here. */
  static final long CHECKPOINT_BYTES = 48L << 20;

  /** Every other file's: the 335 MB autoencoder, say. */
  static final long OTHER_BYTES = 2L << 20;

  /** Per connection, as the Hub's CDN caps one: the fill takes about ten seconds here. */
  static final long BYTES_PER_SECOND = 5L << 20;

  private final StandInHub hub;
  private final List<String> repos = new ArrayList<>();

  private SimulatedHub(StandInHub hub) {
    this.hub = hub;
  }

  /** Starts the Hub with the repos of these FluxDeployments and the tokens of these Secrets. */
  static SimulatedHub start(List<FluxDeployment> deployments, List<Secret> secrets)
      throws IOException {
    SimulatedHub simulated = new SimulatedHub(StandInHub.start());
    simulated.hub.faults().bytesPerSecond(BYTES_PER_SECOND);
    long seed = 1;
    for (FluxDeployment fd : deployments) {
      Optional<FluxModel> model = FluxModel.fromSlug(fd.getSpec().getModel());
      Optional<ModelLoad> load = model.flatMap(m -> ModelLoad.of(fd.getSpec(), m));
      if (load.isEmpty() || simulated.repos.contains(load.get().repo())) {
        continue;
      }
      List<StandInFile> files = new ArrayList<>();
      for (String name : fileNames(load.get(), model.get())) {
        boolean checkpoint = model.get().checkpoint().filter(name::equals).isPresent();
        files.add(
            StandInFile.lfs(
                name, Content.generated(seed++, checkpoint ? CHECKPOINT_BYTES : OTHER_BYTES)));
      }
      files.add(StandInFile.git("README.md", "SIMULATED: the sandbox's stand-in of this repo\n"));
      String repo = load.get().repo();
      simulated.hub.commit(repo, load.get().revision(), files);
      simulated.hub.gate(repo);
      simulated.repos.add(repo);
      load.get()
          .token()
          .flatMap(ref -> secret(secrets, ref.getName()).flatMap(s -> secretValue(s, ref.getKey())))
          .ifPresent(token -> simulated.hub.token(token, repo));
    }
    return simulated;
  }

  /** The files a load's patterns name; a glob stands for the model's usual two. */
  private static List<String> fileNames(ModelLoad load, FluxModel model) {
    List<String> names = new ArrayList<>();
    for (String pattern : load.include()) {
      if (pattern.contains("*") || pattern.contains("?") || pattern.contains("[")) {
        model.checkpoint().ifPresent(names::add);
        names.add("ae.safetensors");
      } else {
        names.add(pattern);
      }
    }
    return names.stream().distinct().toList();
  }

  /** The Hub's base URL, for {@code FLUXOPS_HUGGINGFACE_ENDPOINT}. */
  URI endpoint() {
    return hub.endpoint();
  }

  /** The repos it holds. */
  List<String> repos() {
    return List.copyOf(repos);
  }

  private static Optional<Secret> secret(List<Secret> secrets, String name) {
    return secrets.stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst();
  }

  /** A Secret's value under {@code key}, from {@code stringData} or {@code data}. */
  static Optional<String> secretValue(Secret secret, String key) {
    if (secret == null) {
      return Optional.empty();
    }
    Map<String, String> plain = secret.getStringData();
    if (plain != null && plain.containsKey(key)) {
      return Optional.of(plain.get(key));
    }
    Map<String, String> data = secret.getData();
    if (data != null && data.containsKey(key)) {
      return Optional.of(
          new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8));
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    hub.close();
  }
}
