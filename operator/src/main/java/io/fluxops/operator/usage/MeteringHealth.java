package io.fluxops.operator.usage;

import io.fluxops.operator.status.Conditions.Status;
import io.fluxops.operator.workload.PodLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a FluxDeployment's metering sidecars fare, as its {@code Metering} condition shows it. The
 * worst finding wins: a refused key, then a journal that cannot be written, then reports BFL
 * rejects, then reports that keep failing. Messages name one pod and carry no counts (of pods or
 * images), so the condition changes only when the finding does.
 */
public record MeteringHealth(Status status, String reason, String message) {

  /** Polls in a row without an answer from any sidecar before the condition says so. */
  static final int UNANSWERED_POLLS = 3;

  /** Longest part of a message a sidecar's error contributes; BFL's error bodies can be long. */
  static final int MAX_DETAIL = 240;

  /** What a FluxDeployment without pods shows: nothing runs that could count or report. */
  static final MeteringHealth NO_PODS =
      new MeteringHealth(Status.UNKNOWN, "NoPods", "no pod runs, so no metering sidecar either");

  /** One check of one sidecar, in the order of {@link #CHECKS}. */
  private interface Check {
    Optional<MeteringHealth> find(String pod, SidecarStatus sidecar);
  }

  private static final List<Check> CHECKS =
      List.of(
          MeteringHealth::keyRefused,
          MeteringHealth::journalUnwritable,
          MeteringHealth::reportRejected,
          MeteringHealth::reportsFailing);

  /**
   * The finding for one poll.
   *
   * @param read the sidecars that answered, by pod name
   * @return empty when no sidecar answered
   */
  static Optional<MeteringHealth> of(Map<String, SidecarStatus> read) {
    Map<String, SidecarStatus> pods = new TreeMap<>(read);
    for (Check check : CHECKS) {
      for (var pod : pods.entrySet()) {
        Optional<MeteringHealth> found = check.find(pod.getKey(), pod.getValue());
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return pods.isEmpty()
        ? Optional.empty()
        : Optional.of(
            new MeteringHealth(
                Status.TRUE,
                "Reporting",
                "the metering sidecars count images and report them to BFL"));
  }

  /** What shows when sidecars stopped answering: the operator cannot tell how metering fares. */
  static MeteringHealth unreachable() {
    return new MeteringHealth(
        Status.UNKNOWN,
        "SidecarsUnreachable",
        "no metering sidecar answered on port "
            + PodLayout.METERING_PORT
            + " in the last "
            + UNANSWERED_POLLS
            + " polls");
  }

  private static Optional<MeteringHealth> keyRefused(String pod, SidecarStatus sidecar) {
    if (!sidecar.keyRefused()) {
      return Optional.empty();
    }
    return problem(
        "KeyRefused",
        "BFL refused the licence key (pod "
            + pod
            + errorOf(sidecar)
            + "); the sidecars keep counting and hold the reports until the licence Secret's"
            + " key changes");
  }

  private static Optional<MeteringHealth> journalUnwritable(String pod, SidecarStatus sidecar) {
    return sidecar
        .journalError()
        .flatMap(
            error ->
                problem(
                    "JournalUnwritable",
                    "the metering sidecar of pod "
                        + pod
                        + " cannot write its journal and refuses new counts: "
                        + detail(error)));
  }

  private static Optional<MeteringHealth> reportRejected(String pod, SidecarStatus sidecar) {
    if (!"rejected".equals(sidecar.licenseState())) {
      return Optional.empty();
    }
    return problem(
        "ReportRejected",
        "BFL rejects the reports of pod "
            + pod
            + errorOf(sidecar)
            + "; check spec.model and spec.license.usageEndpoint");
  }

  private static Optional<MeteringHealth> reportsFailing(String pod, SidecarStatus sidecar) {
    return sidecar
        .standingError()
        .flatMap(
            error ->
                problem(
                    "ReportsFailing",
                    "reports from pod "
                        + pod
                        + " are failing ("
                        + error.reason()
                        + ": "
                        + detail(error.message())
                        + "); the sidecar keeps the images and retries with backoff"));
  }

  private static Optional<MeteringHealth> problem(String reason, String message) {
    return Optional.of(new MeteringHealth(Status.FALSE, reason, message));
  }

  private static String errorOf(SidecarStatus sidecar) {
    return sidecar
        .reportError()
        .map(SidecarStatus.Failure::message)
        .filter(message -> !message.isBlank())
        .map(message -> ": " + detail(message))
        .orElse("");
  }

  private static String detail(String text) {
    return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
  }
}
