package io.fluxops.metering.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.metering.journal.Journal;
import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.RunningSidecar;
import io.fluxops.metering.support.TestConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageEndpointTest {
  private static final String USAGE = "/v1/licenses/models/flux-1-dev/usage";
  private static final String JSON = "application/json";

  @TempDir Path dir;
  private BflStandIn bfl;
  private RunningSidecar sidecar;

  @BeforeEach
  void start() throws Exception {
    bfl = BflStandIn.start(TestConfig.KEY);
    sidecar =
        RunningSidecar.start(
            TestConfig.in(dir, bfl.endpoint())
                // No report during the test: the counts stay where the requests put them.
                .with("FLUXOPS_BATCH_INTERVAL_SECONDS", "3600")
                .with("FLUXOPS_NAMESPACE", "images")
                .with("FLUXOPS_INSTANCE", "dev-4090")
                .with("FLUXOPS_GPU", "rtx-4090"));
  }

  @AfterEach
  void stop() {
    sidecar.close();
    bfl.close();
  }

  @Test
  void answersLikeBflOnceTheCountIsOnDisk() throws Exception {
    HttpResponse<String> response = sidecar.client().report(3);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"message\":\"Usage recorded successfully\"}");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
    sidecar.close();
    try (Journal journal = Journal.open(dir.resolve("journal"), Clock.systemUTC())) {
      assertThat(journal.state().accepted()).isEqualTo(3);
    }
  }

  @Test
  void acceptsARequestWithoutContentType() throws Exception {
    assertThat(sidecar.client().post(USAGE, null, "{\"number_of_generations\": 2}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void answersEachMalformedRequestWithA4xxAndRecordsNothing() throws Exception {
    sidecar.report(5);

    assertRejected(
        sidecar.client().post("/v1/licenses/models/flux-2-dev/usage", JSON, body(1)),
        400,
        "meters flux-1-dev");
    assertRejected(
        sidecar.client().post("/v1/licenses/models/flux-1-dev/usages", JSON, body(1)),
        404,
        "not found");
    assertRejected(sidecar.client().send(USAGE, "GET"), 405, "only POST");
    assertRejected(sidecar.client().post(USAGE, "text/plain", body(1)), 415, "application/json");
    assertRejected(
        sidecar.client().post(USAGE, JSON, "{\"number_of_generations\": 0}"), 400, "positive");
    assertRejected(
        sidecar.client().post(USAGE, JSON, "{\"number_of_generations\": -3}"), 400, "positive");
    assertRejected(
        sidecar.client().post(USAGE, JSON, "{\"number_of_generations\": 2.5}"), 400, "integer");
    assertRejected(
        sidecar.client().post(USAGE, JSON, "{\"number_of_generations\": \"2\"}"), 400, "string");
    assertRejected(
        sidecar.client().post(USAGE, JSON, "{\"number_of_generations\": 2"), 400, "malformed JSON");
    assertRejected(sidecar.client().post(USAGE, JSON, ""), 400, "empty");
    assertRejected(
        sidecar.client().post(USAGE, JSON, "{\"n\": \"" + "x".repeat(2000) + "\"}"),
        413,
        "larger than");

    assertThat(sidecar.statusNumber("accepted")).isEqualTo(5);
    assertThat(sidecar.metrics())
        .contains(
            "fluxops_metering_requests_rejected_total{gpu=\"rtx-4090\",model=\"flux-1-dev\",name=\"dev-4090\",namespace=\"images\",reason=\"invalid_count\"} 4.0")
        .contains("reason=\"too_large\"} 1.0")
        .contains("reason=\"unknown_model\"} 1.0");
  }

  @Test
  void acceptsOnlyTheJsonMediaType() throws Exception {
    for (String type :
        new String[] {"application/json5", "application/jsonp", "application/json-patch+json"}) {
      assertRejected(sidecar.client().post(USAGE, type, body(1)), 415, "application/json");
    }
    assertRejected(
        sidecar.client().post(USAGE, "application/json; charset=latin1", body(1)), 415, "json");
    assertThat(
            sidecar.client().post(USAGE, "Application/JSON; charset=UTF-8", body(1)).statusCode())
        .isEqualTo(200);
    assertThat(sidecar.statusNumber("accepted")).isEqualTo(1);
  }

  @Test
  void anErrorQuotesOnlyTheStartOfWhatWasSent() throws Exception {
    String slug = "x".repeat(10_000);
    HttpResponse<String> response =
        sidecar.client().post("/v1/licenses/models/" + slug + "/usage", JSON, body(1));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("x".repeat(64) + "…").hasSizeLessThan(200);
  }

  @Test
  void servesStatusWithCountsAndTheInvoicingThreshold() throws Exception {
    sidecar.report(4);
    sidecar.report(6);

    Map<String, Object> status = sidecar.status();

    assertThat(status.get("model")).isEqualTo("flux-1-dev");
    assertThat(status.get("counting")).isEqualTo("relay");
    assertThat(sidecar.statusNumber("accepted")).isEqualTo(10);
    assertThat(sidecar.statusNumber("reported")).isZero();
    assertThat(sidecar.statusNumber("pending")).isEqualTo(10);
    assertThat(sidecar.statusNumber("monthToDate")).isEqualTo(10);
    assertThat(sidecar.statusNumber("invoicingThreshold")).isEqualTo(100_000);
    assertThat(status.get("invoicingThresholdExceeded")).isEqualTo(false);
    assertThat(status.get("licenseState")).isEqualTo("unknown");
    assertThat(status)
        .containsKeys("month", "lastError", "lastSuccess", "lastReportTime", "possiblyDuplicated");
  }

  @Test
  void exposesPrometheusMetricsWithBoundedLabels() throws Exception {
    sidecar.report(7);

    String metrics = sidecar.metrics();

    String labels =
        "{gpu=\"rtx-4090\",model=\"flux-1-dev\",name=\"dev-4090\",namespace=\"images\"}";
    assertThat(metrics)
        .contains("fluxops_metering_images_accepted_total" + labels + " 7.0")
        .contains("fluxops_metering_images_reported_total" + labels + " 0.0")
        .contains("fluxops_metering_images_pending" + labels + " 7.0")
        .contains("fluxops_metering_images_month_to_date" + labels + " 7.0")
        .contains("fluxops_metering_invoicing_threshold_images" + labels + " 100000.0")
        .contains("fluxops_metering_report_duration_seconds_count")
        .contains(
            "fluxops_metering_report_failures_total{gpu=\"rtx-4090\",model=\"flux-1-dev\",name=\"dev-4090\",namespace=\"images\",reason=\"rate_limited\"} 0.0")
        .contains(
            "fluxops_metering_license_state{gpu=\"rtx-4090\",model=\"flux-1-dev\",name=\"dev-4090\",namespace=\"images\",state=\"unknown\"} 1.0")
        .contains("fluxops_metering_journal_fsync_duration_seconds_count");
  }

  @Test
  void probesAnswerOkWhileTheJournalIsHealthy() throws Exception {
    assertThat(sidecar.client().get("/healthz").statusCode()).isEqualTo(200);
    assertThat(sidecar.client().get("/readyz").statusCode()).isEqualTo(200);
    assertThat(sidecar.client().get("/readyz/extra").statusCode()).isEqualTo(404);
    assertThat(sidecar.client().send("/status", "POST").statusCode()).isEqualTo(405);
    assertThat(sidecar.client().get("/").statusCode()).isEqualTo(404);
  }

  private static String body(long images) {
    return "{\"number_of_generations\": " + images + "}";
  }

  private static void assertRejected(HttpResponse<String> response, int status, String detail) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.body()).startsWith("{\"detail\":").contains(detail);
  }
}
