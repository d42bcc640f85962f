package io.fluxops.tools.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fluxops.autoscale.ScalingPolicy;
import io.fluxops.common.FluxModel;
import io.fluxops.common.GpuType;
import io.fluxops.operator.CommandLines;
import io.fluxops.operator.config.OperatorOptions;
import io.fluxops.tools.simulate.Trace;
import io.fluxops.tools.simulate.TraceCsv;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar fluxops-tools.jar plan ...}: parses the options, runs {@link Planner} and prints
 * a table or JSON. A bad option is one line on stderr and exit code 2.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    versionProvider = CommandLines.Version.class,
    sortOptions = false,
    description =
        "Sizes a FluxDeployment before you buy GPUs: GPUs, GPU-hours and monthly cost against the"
            + " managed API, the break-even volume and BFL's licence threshold.")
public final class PlanCommand implements Callable<Integer> {

  /** Exit code for a bad argument. */
  public static final int USAGE_ERROR = CommandLines.USAGE_ERROR;

  @Spec private CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "SLUG", description = "The model.")
  private String model;

  @Option(
      names = "--gpu",
      required = true,
      paramLabel = "rtx-4090|blackwell",
      description = "The GPU type.")
  private String gpu;

  @Option(
      names = "--images-per-month",
      required = true,
      paramLabel = "N",
      description = "Images generated in a month.")
  private String imagesPerMonth;

  @Option(
      names = "--trace",
      paramLabel = "FILE.csv",
      description =
          "Replay this request trace's shape, scaled to the volume, through the autoscaler.")
  private String trace;

  @Option(
      names = "--slo",
      paramLabel = "DURATION",
      description = "Longest wait before an image starts (default ${DEFAULT-VALUE}).")
  private String slo = "60s";

  @Option(
      names = "--gpu-price",
      paramLabel = "USD_PER_HOUR",
      description = "Price of a GPU hour (default: the operator's for the GPU type).")
  private String gpuPrice;

  @Option(
      names = "--api-price",
      paramLabel = "USD_PER_IMAGE",
      description = "The managed API's price per image (default: the operator's, $0.04).")
  private String apiPrice = OperatorOptions.API_PRICE_PER_IMAGE.defaultValue();

  @Option(
      names = "--min-replicas",
      paramLabel = "N",
      description = "Pods kept at the least (default ${DEFAULT-VALUE}: one warm GPU).")
  private String minReplicas = String.valueOf(ScalingPolicy.DEFAULT_MIN_REPLICAS);

  @Option(
      names = "--max-replicas",
      paramLabel = "N",
      description = "Pods run at the most (default ${DEFAULT-VALUE}).")
  private String maxReplicas = "64";

  @Option(
      names = "--engineering-cost",
      paramLabel = "USD_PER_MONTH",
      description = "A fixed monthly cost besides GPUs, e.g. your team's time (default 0).")
  private String engineeringCost = "0";

  @Option(
      names = "--output",
      paramLabel = "table|json",
      description = "Output format (default ${DEFAULT-VALUE}).")
  private String output = "table";

  @Override
  public Integer call() {
    PlanInputs inputs;
    boolean json;
    try {
      json = outputIsJson(output);
      inputs = inputs();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PlanResult result = Planner.plan(inputs);
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? json(inputs, result) : table(inputs, result));
    out.flush();
    return 0;
  }

  private PlanInputs inputs() {
    FluxModel model = model(this.model);
    GpuType gpu = GpuType.parse(this.gpu);
    return new PlanInputs(
        model,
        gpu,
        wholeNumber("--images-per-month", imagesPerMonth),
        number("--gpu-price", gpuPrice != null ? gpuPrice : defaultGpuPrice(gpu)),
        number("--api-price", apiPrice),
        seconds(slo),
        replicas("--min-replicas", minReplicas),
        replicas("--max-replicas", maxReplicas),
        number("--engineering-cost", engineeringCost),
        trace(trace));
  }

  private static String defaultGpuPrice(GpuType gpu) {
    return gpu == GpuType.RTX_4090
        ? OperatorOptions.GPU_PRICE_RTX_4090.defaultValue()
        : OperatorOptions.GPU_PRICE_BLACKWELL.defaultValue();
  }

  static FluxModel model(String slug) {
    return FluxModel.fromSlug(slug)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown model '" + slug + "': use one of " + FluxModel.allSlugs()));
  }

  private static boolean outputIsJson(String output) {
    if (!output.equals("table") && !output.equals("json")) {
      throw new IllegalArgumentException("--output must be table or json, got '" + output + "'");
    }
    return output.equals("json");
  }

  private static long wholeNumber(String option, String value) {
    try {
      return Long.parseLong(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number, got '" + value + "'");
    }
  }

  private static int replicas(String option, String value) {
    long replicas = wholeNumber(option, value);
    if (replicas > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          option + " must be at most " + Integer.MAX_VALUE + ", got " + value);
    }
    return (int) replicas;
  }

  private static double number(String option, String value) {
    try {
      return Double.parseDouble(value.replace("$", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a number, got '" + value + "'");
    }
  }

  /** {@code 60s}, {@code 2m}, {@code 1h} or plain seconds. */
  static double seconds(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    double unit = 1;
    if (v.endsWith("ms")) {
      unit = 0.001;
      v = v.substring(0, v.length() - 2);
    } else if (v.endsWith("s")) {
      v = v.substring(0, v.length() - 1);
    } else if (v.endsWith("m")) {
      unit = 60;
      v = v.substring(0, v.length() - 1);
    } else if (v.endsWith("h")) {
      unit = 3600;
      v = v.substring(0, v.length() - 1);
    }
    try {
      return Double.parseDouble(v) * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--slo must be a duration such as 60s or 2m, got '" + value + "'");
    }
  }

  private static Optional<Trace> trace(String file) {
    if (file == null) {
      return Optional.empty();
    }
    Path path = Path.of(file);
    try (InputStream in = Files.newInputStream(path)) {
      String name = path.getFileName().toString().replaceFirst("\\.csv$", "");
      return Optional.of(TraceCsv.read(name, in));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "--trace " + file + ": " + (e.getMessage() == null ? e : e.getMessage()));
    }
  }

  static String table(PlanInputs in, PlanResult r) {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "Plan: %s on %s, %,d images/month (%s)%n",
            in.model().slug(),
            in.gpu().value(),
            in.imagesPerMonth(),
            r.method().equals("uniform")
                ? "load spread evenly over the month; give --trace for bursts"
                : "the trace's bursts at this volume, replayed through FluxOps' autoscaler: "
                    + r.method()));
    row(
        t,
        "GPU throughput",
        String.format(
            Locale.ROOT,
            "%.0f images/h per GPU (%.1f s per image, %s 1024², %d steps)",
            r.imagesPerHourPerGpu(),
            in.gpu().secondsPerImage(in.model()),
            in.model().slug(),
            in.model().steps()));
    row(t, "GPUs needed", gpus(in, r));
    row(t, "GPU-hours per month", String.format(Locale.ROOT, "%,.1f", r.gpuHoursPerMonth()));
    row(
        t,
        "GPU cost per month",
        String.format(
            Locale.ROOT,
            "$%,.2f (at $%.2f per GPU-hour)",
            r.gpuCostPerMonthUsd(),
            in.gpuHourlyPriceUsd()));
    if (in.engineeringUsdPerMonth() > 0) {
      row(
          t,
          "self-hosted per month",
          String.format(
              Locale.ROOT,
              "$%,.2f (with $%,.2f engineering)",
              r.selfHostedCostPerMonthUsd(),
              in.engineeringUsdPerMonth()));
    }
    row(t, "self-hosted per image", usd(r.selfHostedPerImageUsd()));
    row(
        t,
        "managed API per month",
        String.format(
            Locale.ROOT,
            "$%,.2f (at %s per image)",
            r.apiCostPerMonthUsd(),
            usd(r.apiPerImageUsd())));
    row(
        t,
        "break-even volume",
        r.breakEvenImagesPerMonth().isPresent()
            ? String.format(
                Locale.ROOT, "%,d images/month", r.breakEvenImagesPerMonth().getAsLong())
            : "none: self-hosting never costs less than the API at these prices");
    row(t, "BFL licence", licence(in, r));
    if (!Double.isNaN(r.p95WaitSeconds())) {
      row(
          t,
          "queue wait (simulated)",
          String.format(
              Locale.ROOT,
              "p95 %.1f s; %.1f %% of images start within the %.0f s SLO",
              r.p95WaitSeconds(),
              r.shareWithinSlo() * 100,
              in.sloSeconds()));
    }
    return t.toString();
  }

  private static String gpus(PlanInputs in, PlanResult r) {
    if (r.overCapacity() && r.method().equals("uniform")) {
      return String.format(
          Locale.ROOT,
          "%d (--max-replicas); the volume needs %,d: at most %,d images/month fit in %d GPUs,"
              + " raise --max-replicas",
          r.gpusNeeded(),
          r.gpusForVolume(),
          r.capacityImagesPerMonth(),
          r.gpusNeeded());
    }
    if (r.overCapacity()) {
      return String.format(
          Locale.ROOT,
          "%d (--max-replicas: the autoscaler stayed at its maximum; see the queue wait)",
          r.gpusNeeded());
    }
    return String.valueOf(r.gpusNeeded());
  }

  private static String licence(PlanInputs in, PlanResult r) {
    if (!in.model().metered()) {
      return in.model().slug() + " is Apache-2.0: not metered, not invoiced";
    }
    return String.format(
        Locale.ROOT,
        "%s: BFL invoices a month above %,d images",
        r.licenceInvoiced() ? "invoiced" : "not invoiced",
        Planner.LICENCE_INVOICE_THRESHOLD);
  }

  private static void row(StringBuilder t, String name, String value) {
    t.append(String.format(Locale.ROOT, "  %-24s %s%n", name, value));
  }

  private static String usd(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "$%.4f", value);
  }

  static String json(PlanInputs in, PlanResult r) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("model", in.model().slug());
    inputs.put("gpu", in.gpu().value());
    inputs.put("imagesPerMonth", in.imagesPerMonth());
    inputs.put("gpuHourlyPriceUsd", in.gpuHourlyPriceUsd());
    inputs.put("apiPricePerImageUsd", in.apiPricePerImageUsd());
    inputs.put("sloSeconds", in.sloSeconds());
    inputs.put("minReplicas", in.minReplicas());
    inputs.put("maxReplicas", in.maxReplicas());
    inputs.put("engineeringUsdPerMonth", in.engineeringUsdPerMonth());
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("inputs", inputs);
    plan.put("method", r.method());
    plan.put("secondsPerImage", in.gpu().secondsPerImage(in.model()));
    plan.put("steps", in.model().steps());
    plan.put("imagesPerHourPerGpu", r.imagesPerHourPerGpu());
    plan.put("gpusNeeded", r.gpusNeeded());
    plan.put("gpusForVolume", r.gpusForVolume());
    plan.put("overCapacity", r.overCapacity());
    plan.put("capacityImagesPerMonth", r.capacityImagesPerMonth());
    plan.put("gpuHoursPerMonth", r.gpuHoursPerMonth());
    plan.put("gpuCostPerMonthUsd", r.gpuCostPerMonthUsd());
    plan.put("selfHostedCostPerMonthUsd", r.selfHostedCostPerMonthUsd());
    plan.put("selfHostedPerImageUsd", nullIfNaN(r.selfHostedPerImageUsd()));
    plan.put("apiCostPerMonthUsd", r.apiCostPerMonthUsd());
    plan.put("apiPerImageUsd", r.apiPerImageUsd());
    plan.put(
        "breakEvenImagesPerMonth",
        r.breakEvenImagesPerMonth().isPresent() ? r.breakEvenImagesPerMonth().getAsLong() : null);
    plan.put("licenceMetered", in.model().metered());
    plan.put("licenceInvoiceThresholdImagesPerMonth", Planner.LICENCE_INVOICE_THRESHOLD);
    plan.put("licenceInvoiced", r.licenceInvoiced());
    plan.put("p95WaitSeconds", nullIfNaN(r.p95WaitSeconds()));
    plan.put("shareWithinSlo", nullIfNaN(r.shareWithinSlo()));
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(plan)
          + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Double nullIfNaN(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
