package io.fluxops.operator.modelcache;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fluxops.common.ByteSizes;
import io.fluxops.common.ModelLoader;
import io.fluxops.operator.api.ModelCacheStatus;
import io.fluxops.operator.status.PodDiagnosis;
import io.fluxops.operator.workload.LoaderJob;
import io.fluxops.operator.workload.ModelLoad;
import io.fluxops.operator.workload.ServedModel;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where the model cache stands, from what the cluster shows of the loader Job: its conditions, its
 * pods' states and termination messages, the events of a pod stuck before it starts, and the
 * running loader's own report. Pure: the reconciler gathers the inputs.
 *
 * <p>A revision once Ready for a Job stays Ready: deleting the Job (which the operator then
 * recreates, and which finishes in seconds) does not stop the pods.
 *
 * @param status what {@code status.modelCache} says
 * @param cached whether the spec's revision is complete (ModelCached=True)
 * @param reason the ModelCached condition's reason
 * @param message the ModelCached condition's message, which says what to do
 * @param served the complete revision the inference pods may run on, if any
 * @param watching whether the load is under way, so that the operator looks again soon
 */
public record ModelCacheView(
    ModelCacheStatus status,
    boolean cached,
    String reason,
    String message,
    Optional<ServedModel> served,
    boolean watching) {

  public static final String PENDING = "Pending";
  public static final String DOWNLOADING = "Downloading";
  public static final String READY = "Ready";
  public static final String FAILED = "Failed";

  /** A complete revision on a claim: where the inference pods read their weights. */
  public record Served(String repo, String commit, String claimName) {
    /** The revision's directory in a pod that mounts the claim at {@code mountPath}. */
    public String snapshotDir(String mountPath) {
      return ModelLoader.snapshotDir(mountPath, repo, commit);
    }
  }

  /** Everything the view is computed from. */
  public record Inputs(
      ModelLoad load,
      String jobName,
      Optional<Job> job,
      List<Pod> pods,
      Optional<LoaderReport> live,
      Collection<Event> events,
      Optional<ModelCacheStatus> previous) {}

  public static ModelCacheView of(Inputs in) {
    Optional<ServedModel> served = previouslyServed(in);
    Optional<ModelCacheStatus> sticky =
        in.previous()
            .filter(p -> READY.equals(p.getPhase()) && in.jobName().equals(p.getJob()))
            .filter(p -> p.getCommit() != null && !p.getCommit().isEmpty());
    if (sticky.isPresent()) {
      return complete(in, sticky.get().getCommit(), value(sticky.get().getBytesTotal()));
    }
    if (in.job().isEmpty()) {
      return waiting(in, served, PENDING, "creating the loader Job " + in.jobName(), 0, 0);
    }
    Job job = in.job().get();
    if (succeeded(job)) {
      Optional<LoaderReport> report =
          lastTerminated(in.pods(), t -> t.getExitCode() == 0).flatMap(LoaderReport::parse);
      if (report.isPresent() && !report.get().commit().isEmpty()) {
        return complete(in, report.get().commit(), report.get().bytesTotal());
      }
      String why =
          in.pods().stream().anyMatch(p -> "Succeeded".equals(phase(p)))
              ? " succeeded but its pod left no termination message naming the commit it verified"
                  + " (is the loader image fluxops-loader?)"
              : " succeeded but its pod, which names the commit, is gone";
      return failed(
          in,
          served,
          "LoaderError",
          "Job "
              + in.jobName()
              + why
              + ": delete the Job to load again (the files stay on the claim: it takes seconds)");
    }
    Optional<JobCondition> failure = condition(job, "Failed");
    if (failure.isPresent()) {
      Optional<LoaderReport> report =
          lastTerminated(in.pods(), t -> t.getExitCode() != 0).flatMap(LoaderReport::parse);
      String reason =
          report.map(LoaderReport::reason).filter(r -> !r.isEmpty()).orElse("LoaderFailed");
      String why =
          report
              .map(LoaderReport::message)
              .filter(m -> !m.isEmpty())
              .orElse(
                  "Job "
                      + in.jobName()
                      + " failed ("
                      + failure.get().getReason()
                      + ": "
                      + failure.get().getMessage()
                      + ")");
      return failed(
          in, served, reason, why + "; then delete Job " + in.jobName() + " to load again");
    }
    return active(in, served);
  }

  private static ModelCacheView active(Inputs in, Optional<ServedModel> served) {
    Optional<Pod> running = in.pods().stream().filter(p -> "Running".equals(phase(p))).findFirst();
    long done = in.previous().map(p -> value(p.getBytesDone())).orElse(0L);
    long total = in.previous().map(p -> value(p.getBytesTotal())).orElse(0L);
    String retry = retryNote(in.pods());
    if (running.isPresent()) {
      Optional<LoaderReport> live = in.live();
      String commit = live.map(LoaderReport::commit).orElse(previousCommit(in));
      long liveDone = live.map(LoaderReport::bytesDone).orElse(done);
      long liveTotal = live.map(LoaderReport::bytesTotal).orElse(total);
      String progress =
          liveTotal > 0
              ? ByteSizes.show(liveDone)
                  + " of "
                  + ByteSizes.show(liveTotal)
                  + " ("
                  + liveDone * 100 / liveTotal
                  + " %)"
                  + live.filter(r -> r.bytesPerSecond() > 0)
                      .map(r -> ", " + ByteSizes.show(r.bytesPerSecond()) + "/s")
                      .orElse("")
              : "resolving the revision";
      ModelCacheView view =
          waiting(
              in,
              served,
              DOWNLOADING,
              describe(in.load(), commit) + ": " + progress + retry,
              liveDone,
              liveTotal);
      view.status().setCommit(commit.isEmpty() ? null : commit);
      return view;
    }
    Optional<Pod> pending =
        in.pods().stream()
            .filter(
                p -> "Pending".equals(phase(p)) && p.getMetadata().getDeletionTimestamp() == null)
            .findFirst();
    if (pending.isPresent()) {
      Optional<ModelCacheView> stuck = stuck(in, served, pending.get(), done, total);
      if (stuck.isPresent()) {
        return stuck.get();
      }
    }
    return waiting(
        in,
        served,
        PENDING,
        "waiting for the loader pod of Job " + in.jobName() + " to start" + retry,
        done,
        total);
  }

  /** A loader pod that cannot start until a person acts: the Secret, the claim, the image. */
  private static Optional<ModelCacheView> stuck(
      Inputs in, Optional<ServedModel> served, Pod pod, long done, long total) {
    ModelLoad load = in.load();
    String podName = pod.getMetadata().getName();
    Optional<String> mount =
        in.events().stream()
            .filter(
                e ->
                    e.getInvolvedObject() != null
                        && podName.equals(e.getInvolvedObject().getName()))
            .filter(e -> "FailedMount".equals(e.getReason()))
            .map(Event::getMessage)
            .filter(m -> m != null)
            .findFirst();
    if (mount.isPresent()
        && load.token().isPresent()
        && mount.get().contains("\"" + LoaderJob.TOKEN_VOLUME + "\"")) {
      var token = load.token().get();
      return Optional.of(
          waiting(
              in,
              served,
              PENDING,
              "TokenSecretMissing",
              "the loader cannot get the Hugging Face token: create Secret "
                  + token.getName()
                  + " with key "
                  + token.getKey()
                  + " in this namespace (kubelet: "
                  + mount.get()
                  + ")",
              done,
              total));
    }
    Optional<String> unschedulable = PodDiagnosis.unschedulableMessage(pod);
    if (unschedulable.isPresent()) {
      boolean claim = unschedulable.get().contains("persistentvolumeclaim");
      return Optional.of(
          waiting(
              in,
              served,
              PENDING,
              claim ? "ClaimMissing" : "LoaderUnschedulable",
              claim
                  ? "the loader cannot mount the cache: create PersistentVolumeClaim "
                      + load.claimName()
                      + " in this namespace, big enough for the files (scheduler: "
                      + unschedulable.get()
                      + ")"
                  : "no node can take the loader pod (scheduler: " + unschedulable.get() + ")",
              done,
              total));
    }
    Optional<String> image =
        statuses(pod)
            .filter(s -> s.getState() != null && s.getState().getWaiting() != null)
            .filter(
                s ->
                    List.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName")
                        .contains(s.getState().getWaiting().getReason()))
            .map(s -> s.getState().getWaiting().getMessage())
            .findFirst();
    if (image.isPresent()) {
      return Optional.of(
          waiting(
              in,
              served,
              PENDING,
              "LoaderImageUnavailable",
              "the loader image cannot be pulled: set the chart's loaderImage to an image the"
                  + " nodes can pull (kubelet: "
                  + image.get()
                  + ")",
              done,
              total));
    }
    return Optional.empty();
  }

  private static ModelCacheView complete(Inputs in, String commit, long bytes) {
    ModelCacheStatus status = base(in, READY, bytes, bytes);
    status.setCommit(commit);
    ServedModel served = new ServedModel(in.load().repo(), commit, in.load().claimName());
    setServed(status, Optional.of(served));
    return new ModelCacheView(
        status,
        true,
        "Cached",
        describe(in.load(), commit)
            + " is on claim "
            + in.load().claimName()
            + (bytes > 0 ? ": " + ByteSizes.show(bytes) : ""),
        Optional.of(served),
        false);
  }

  private static ModelCacheView waiting(
      Inputs in,
      Optional<ServedModel> served,
      String phase,
      String message,
      long done,
      long total) {
    return waiting(in, served, phase, phase, message, done, total);
  }

  private static ModelCacheView waiting(
      Inputs in,
      Optional<ServedModel> served,
      String phase,
      String reason,
      String message,
      long done,
      long total) {
    ModelCacheStatus status = base(in, phase, done, total);
    status.setCommit(previousCommit(in).isEmpty() ? null : previousCommit(in));
    setServed(status, served);
    return new ModelCacheView(status, false, reason, message + untilComplete(served), served, true);
  }

  private static ModelCacheView failed(
      Inputs in, Optional<ServedModel> served, String reason, String message) {
    ModelCacheStatus status =
        base(in, FAILED, 0, in.previous().map(p -> value(p.getBytesTotal())).orElse(0L));
    status.setCommit(previousCommit(in).isEmpty() ? null : previousCommit(in));
    setServed(status, served);
    return new ModelCacheView(status, false, reason, message, served, false);
  }

  private static String untilComplete(Optional<ServedModel> served) {
    return served
        .map(s -> "; the pods stay on commit " + shortCommit(s.commit()) + " until it is complete")
        .orElse("; no GPU pod runs until it is complete");
  }

  private static ModelCacheStatus base(Inputs in, String phase, long done, long total) {
    ModelCacheStatus status = new ModelCacheStatus();
    status.setPhase(phase);
    status.setRepo(in.load().repo());
    status.setRevision(in.load().revision());
    status.setBytesDone(done);
    status.setBytesTotal(total);
    status.setJob(in.jobName());
    return status;
  }

  private static void setServed(ModelCacheStatus status, Optional<ServedModel> served) {
    served.ifPresent(
        s -> {
          status.setServedRepo(s.repo());
          status.setServedCommit(s.commit());
          status.setServedClaim(s.claimName());
        });
  }

  /** The revision the pods ran on, if it is on the same claim and repo as the spec's. */
  private static Optional<ServedModel> previouslyServed(Inputs in) {
    return in.previous()
        .filter(p -> p.getServedCommit() != null)
        .filter(p -> in.load().repo().equals(p.getServedRepo()))
        .filter(p -> in.load().claimName().equals(p.getServedClaim()))
        .map(p -> new ServedModel(p.getServedRepo(), p.getServedCommit(), p.getServedClaim()));
  }

  private static String previousCommit(Inputs in) {
    return in.previous()
        .filter(p -> in.jobName().equals(p.getJob()))
        .map(ModelCacheStatus::getCommit)
        .orElse("");
  }

  private static String describe(ModelLoad load, String commit) {
    return load.repo()
        + " at "
        + load.revision()
        + (commit == null || commit.isEmpty() || commit.equals(load.revision())
            ? ""
            : " (commit " + shortCommit(commit) + ")");
  }

  private static String shortCommit(String commit) {
    return commit.length() > 7 ? commit.substring(0, 7) : commit;
  }

  /** A failed earlier pod of a Job still trying: what went wrong, for the message. */
  private static String retryNote(List<Pod> pods) {
    long failedPods = pods.stream().filter(p -> "Failed".equals(phase(p))).count();
    if (failedPods == 0) {
      return "";
    }
    return lastTerminated(pods, t -> t.getExitCode() != 0)
        .flatMap(LoaderReport::parse)
        .map(
            r ->
                " (pod "
                    + (failedPods + 1)
                    + " of the Job, after "
                    + r.reason()
                    + ": "
                    + r.message()
                    + ")")
        .orElse(" (pod " + (failedPods + 1) + " of the Job)");
  }

  /** The termination message of the most recently finished loader container that matches. */
  private static Optional<String> lastTerminated(
      List<Pod> pods, Predicate<ContainerStateTerminated> which) {
    return pods.stream()
        .flatMap(ModelCacheView::statuses)
        .filter(s -> ModelLoader.CONTAINER.equals(s.getName()))
        .map(s -> s.getState() == null ? null : s.getState().getTerminated())
        .filter(t -> t != null && t.getExitCode() != null && which.test(t))
        .max(Comparator.comparing(t -> t.getFinishedAt() == null ? "" : t.getFinishedAt()))
        .map(ContainerStateTerminated::getMessage);
  }

  private static boolean succeeded(Job job) {
    return condition(job, "Complete").isPresent()
        || (job.getStatus() != null && value(job.getStatus().getSucceeded()) > 0);
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static java.util.stream.Stream<ContainerStatus> statuses(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        ? java.util.stream.Stream.empty()
        : pod.getStatus().getContainerStatuses().stream();
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? "" : String.valueOf(pod.getStatus().getPhase());
  }

  private static long value(Number n) {
    return n == null ? 0 : n.longValue();
  }
}
