package io.fluxops.tools.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxops.common.FluxModel;
import io.fluxops.common.GpuType;
import io.fluxops.tools.simulate.Trace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlanCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return io.fluxops.tools.Commands.run(
        "plan",
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static PlanInputs inputs(FluxModel model, long images, double engineering) {
    return new PlanInputs(
        model, GpuType.RTX_4090, images, 0.69, 0.04, 60, 1, 64, engineering, Optional.empty());
  }

  @Test
  void halfAMillionDevImagesOnRtx4090sByHand() {
    // 250 images/h is 14.4 s per image. 500,000 x 14.4 s = 2,000 GPU-hours; / 730 h = 2.74 -> 3
    // GPUs; x $0.69 = $1,380; / 500,000 = $0.00276 per image; the API: 500,000 x $0.04 = $20,000.
    // Break-even: one warm GPU all month is 730 x $0.69 = $503.70 = 12,592.5 API images.
    PlanResult plan = Planner.plan(inputs(FluxModel.FLUX_1_DEV, 500_000, 0));

    assertThat(plan.method()).isEqualTo("uniform");
    assertThat(plan.imagesPerHourPerGpu()).isCloseTo(250, within(1e-9));
    assertThat(plan.gpusNeeded()).isEqualTo(3);
    assertThat(plan.gpuHoursPerMonth()).isCloseTo(2000, within(1e-9));
    assertThat(plan.gpuCostPerMonthUsd()).isCloseTo(1380, within(1e-9));
    assertThat(plan.selfHostedPerImageUsd()).isCloseTo(0.00276, within(1e-12));
    assertThat(plan.apiCostPerMonthUsd()).isCloseTo(20_000, within(1e-6));
    assertThat(plan.breakEvenImagesPerMonth()).hasValue(12_593);
    assertThat(plan.licenceInvoiced()).isTrue();
  }

  @Test
  void defaultsAgreeWithReference() {
    // REFERENCE.md: $0.69/h and "about 250 images/h" give ~$0.0028 per image against $0.04.
    PlanResult plan = Planner.plan(inputs(FluxModel.FLUX_1_DEV, 500_000, 0));

    assertThat(plan.imagesPerHourPerGpu()).isEqualTo(250);
    assertThat(plan.selfHostedPerImageUsd()).isBetween(0.00275, 0.00285);
    assertThat(plan.apiPerImageUsd()).isEqualTo(0.04);
    assertThat(plan.apiPerImageUsd() / plan.selfHostedPerImageUsd()).isGreaterThan(12);
  }

  @Test
  void aSmallVolumeStillPaysForOneWarmGpuAllMonth() {
    // 10,000 x 14.4 s = 40 h, under the 730 h of the one pod minReplicas keeps:
    // $503.70 / 10,000 = $0.05037 per image, more than the API's $0.04.
    PlanResult plan = Planner.plan(inputs(FluxModel.FLUX_1_DEV, 10_000, 0));

    assertThat(plan.gpusNeeded()).isEqualTo(1);
    assertThat(plan.gpuHoursPerMonth()).isEqualTo(730);
    assertThat(plan.selfHostedPerImageUsd()).isCloseTo(0.05037, within(1e-9));
    assertThat(plan.licenceInvoiced()).isFalse();
  }

  @Test
  void engineeringTimeMovesBreakEvenIntoReferencesRange() {
    // ($5,000 + $503.70) / $0.04 = 137,592.5 images; their 550.4 GPU-hours fit in the warm GPU's
    // 730.
    PlanResult plan = Planner.plan(inputs(FluxModel.FLUX_1_DEV, 500_000, 5_000));

    assertThat(plan.breakEvenImagesPerMonth()).hasValue(137_593);
    assertThat(plan.selfHostedCostPerMonthUsd()).isCloseTo(6380, within(1e-9));
  }

  @Test
  void noBreakEvenWhenAGpuImageCostsMoreThanTheApi() {
    PlanResult plan =
        Planner.plan(
            new PlanInputs(
                FluxModel.FLUX_1_DEV,
                GpuType.RTX_4090,
                1000,
                10.0,
                0.04,
                60,
                1,
                8,
                0,
                Optional.empty()));

    assertThat(plan.breakEvenImagesPerMonth()).isEmpty();
  }

  @Test
  void schnellIsNeverInvoiced() {
    assertThat(Planner.plan(inputs(FluxModel.FLUX_1_SCHNELL, 500_000, 0)).licenceInvoiced())
        .isFalse();
  }

  @Test
  void tablePrintsTheFiguresForTheIssuesExample() {
    int code = run("--model", "flux-1-dev", "--gpu", "rtx-4090", "--images-per-month", "500000");

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("GPUs needed              3")
        .contains("$1,380.00 (at $0.69 per GPU-hour)")
        .contains("$0.0028")
        .contains("$20,000.00 (at $0.0400 per image)")
        .contains("12,593 images/month")
        .contains("invoiced: BFL invoices a month above 100,000 images");
  }

  @Test
  void jsonCarriesTheSameFigures() throws Exception {
    int code =
        run(
            "--model=flux-1-dev",
            "--gpu=rtx-4090",
            "--images-per-month=500000",
            "--api-price",
            "0.04",
            "--output",
            "json");

    assertThat(code).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(json.get("gpusNeeded").asInt()).isEqualTo(3);
    assertThat(json.get("gpuCostPerMonthUsd").asDouble()).isCloseTo(1380, within(1e-9));
    assertThat(json.get("breakEvenImagesPerMonth").asLong()).isEqualTo(12_593);
    assertThat(json.get("licenceInvoiceThresholdImagesPerMonth").asLong()).isEqualTo(100_000);
    assertThat(json.get("inputs").get("gpuHourlyPriceUsd").asDouble()).isEqualTo(0.69);
  }

  @Test
  void aTraceIsReplayedThroughTheAutoscaler(@TempDir Path dir) throws Exception {
    // One hour: a burst of 40 images at the start, then quiet. The simulator must hold more GPUs
    // during the burst than one, and never fewer GPU-hours than the work itself.
    StringBuilder csv = new StringBuilder("# duration_seconds=3600\nat_second,images\n");
    for (int i = 0; i < 40; i++) {
      csv.append(i).append(",1\n");
    }
    Path trace = dir.resolve("burst.csv");
    Files.writeString(trace, csv);

    int code =
        run(
            "--model",
            "flux-1-dev",
            "--gpu",
            "rtx-4090",
            "--images-per-month",
            "500000",
            "--trace",
            trace.toString(),
            "--slo",
            "2m",
            "--output",
            "json");

    assertThat(code).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(json.get("method").asText()).isEqualTo("trace:burst");
    assertThat(json.get("gpusNeeded").asInt()).isGreaterThan(1);
    assertThat(json.get("gpuHoursPerMonth").asDouble()).isGreaterThanOrEqualTo(2000);
    assertThat(json.get("p95WaitSeconds").isNumber()).isTrue();
  }

  @Test
  void aTraceIsScaledToTheMonthlyVolumeKeepingItsTiming() {
    // 730 images a month is 1 an hour; a 2-hour trace of 4 single images must carry 2, at the
    // times of its arrivals, the fractions carried over (0.5, 1.0 -> 1, 0.5, 1.0 -> 1).
    Trace trace =
        new Trace(
            "t",
            7200,
            List.of(
                new Trace.Arrival(10, 1),
                new Trace.Arrival(20, 1),
                new Trace.Arrival(30, 1),
                new Trace.Arrival(40, 1)));

    Trace scaled = Planner.scaledTo(trace, 730);

    assertThat(scaled.images()).isEqualTo(2);
    assertThat(scaled.arrivals())
        .containsExactly(new Trace.Arrival(20, 1), new Trace.Arrival(40, 1));
  }

  @Test
  void aVolumeBeyondMaxReplicasIsCappedWithoutATraceAsWithOne() {
    // 50,000,000 x 14.4 s = 200,000 GPU-hours = 274 GPUs all month; the autoscaler may run 64.
    PlanResult plan = Planner.plan(inputs(FluxModel.FLUX_1_DEV, 50_000_000, 0));

    assertThat(plan.gpusNeeded()).isEqualTo(64);
    assertThat(plan.gpusForVolume()).isEqualTo(274);
    assertThat(plan.overCapacity()).isTrue();
    assertThat(plan.gpuHoursPerMonth()).isCloseTo(64 * 730, within(1e-6));
    assertThat(plan.capacityImagesPerMonth()).isEqualTo(64L * 730 * 250);

    int code = run("--model", "flux-1-dev", "--gpu", "rtx-4090", "--images-per-month", "50000000");
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("GPUs needed              64 (--max-replicas); the volume needs 274")
        .contains("at most 11,680,000 images/month fit in 64 GPUs, raise --max-replicas");
  }

  @Test
  void anEnormousVolumeDoesNotOverflowTheGpuCount() {
    PlanResult plan = Planner.plan(inputs(FluxModel.FLUX_1_DEV, 1_000_000_000_000_000L, 0));

    assertThat(plan.gpusForVolume()).isEqualTo(5_479_452_055L);
    assertThat(plan.gpusNeeded()).isEqualTo(64);
    assertThat(plan.gpuHoursPerMonth()).isCloseTo(64 * 730, within(1e-6));
  }

  @Test
  void schnellIsSizedAtItsFourStepsNotDevsTwentyEight() {
    // 14.4 s at 28 steps is 2.06 s at 4: 1,750 images/h, so 500,000 images are 286 GPU-hours.
    PlanResult plan = Planner.plan(inputs(FluxModel.FLUX_1_SCHNELL, 500_000, 0));

    assertThat(plan.imagesPerHourPerGpu()).isCloseTo(1750, within(1e-9));
    assertThat(plan.gpusNeeded()).isEqualTo(1);

    run("--model", "flux-1-schnell", "--gpu", "rtx-4090", "--images-per-month", "500000");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("1750 images/h per GPU (2.1 s per image, flux-1-schnell 1024², 4 steps)");
  }

  @Test
  void helpAndVersionExitZero() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("Usage: fluxops-tools plan")
        .contains("--max-replicas=N");
    assertThat(run("--version")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("FluxOps ");
  }

  @ParameterizedTest
  @CsvSource({
    "--images-per-month -5 --model flux-1-dev --gpu rtx-4090, --images-per-month must be 0 or more",
    "--images-per-month 5 --model flux-1-dev --gpu a100, unknown GPU type 'a100'",
    "--images-per-month 5 --model flux-3-pro --gpu rtx-4090, unknown model 'flux-3-pro'",
    "--images-per-month lots --model flux-1-dev --gpu rtx-4090, must be a whole number",
    "--model flux-1-dev --gpu rtx-4090, Missing required option: '--images-per-month=N'",
    "--images-per-month 5 --model flux-1-dev --gpu rtx-4090 --colour red, Unknown options",
    "--images-per-month 5 --model flux-1-dev --gpu rtx-4090 --max-replicas 9999999999, --max-replicas must be at most",
    "--images-per-month 5 --model flux-1-dev --gpu rtx-4090 --gpu-price -1, --gpu-price must be",
    "--images-per-month 5 --model flux-1-dev --gpu rtx-4090 --trace /nonexistent.csv, --trace",
  })
  void badArgumentsAreOneLineAndExitTwo(String args, String message) {
    int code = run(args.split(" "));

    assertThat(code).isEqualTo(2);
    String error = err.toString(StandardCharsets.UTF_8);
    assertThat(error).startsWith("fluxops plan: ").contains(message).endsWith("\n");
    assertThat(error.strip()).doesNotContain("\n");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
