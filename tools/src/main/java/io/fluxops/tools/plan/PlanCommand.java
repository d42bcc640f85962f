package io.fluxops.tools.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fluxops.autoscale.ScalingPolicy;
import io.fluxops.common.FluxModel;
import io.fluxops.common.GpuType;
import io.fluxops.operator.config.OperatorOptions;
import io.fluxops.tools.simulate.Trace;
import io.fluxops.tools.simulate.TraceCsv;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar fluxops-tools.jar plan ...}: parses the options, runs {@link Planner} and prints
 * a table or JSON. A bad option is one line on stderr and exit code 2.
 */
public final class PlanCommand {

  /** Exit code for a bad argument. */
  public static final int USAGE_ERROR = 2;

  static final String USAGE =
      "usage: java -jar fluxops-tools.jar plan --model SLUG --gpu rtx-4090|blackwell"
          + " --images-per-month N\n"
          + "         [--trace FILE.csv] [--slo 60s] [--gpu-price USD_PER_HOUR]"
          + " [--api-price USD_PER_IMAGE]\n"
          + "         [--min-replicas 1] [--max-replicas 64] [--engineering-cost USD_PER_MONTH]"
          + " [--output table|json]";

  private static final List<String> OPTIONS =
      List.of(
          "--model",
          "--gpu",
          "--images-per-month",
          "--trace",
          "--slo",
          "--gpu-price",
          "--api-price",
          "--min-replicas",
          "--max-replicas",
          "--engineering-cost",
          "--output");

  private PlanCommand() {}

  /** Runs the command; returns the process exit code. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.println(USAGE);
      return 0;
    }
    PlanInputs inputs;
    boolean json;
    try {
      Map<String, String> options = parse(args);
      json = outputIsJson(options.getOrDefault("--output", "table"));
      inputs = inputs(options);
    } catch (IllegalArgumentException e) {
      err.println("fluxops plan: " + e.getMessage());
      return USAGE_ERROR;
    }
    PlanResult result = Planner.plan(inputs);
    out.print(json ? json(inputs, result) : table(inputs, result));
    return 0;
  }

  private static Map<String, String> parse(List<String> args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      String value = null;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown option '" + name + "': use " + String.join(", ", OPTIONS));
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args.get(++i);
      }
      options.put(name, value);
    }
    for (String required : List.of("--model", "--gpu", "--images-per-month")) {
      if (!options.containsKey(required)) {
        throw new IllegalArgumentException(required + " is required; --help shows every option");
      }
    }
    return options;
  }

  private static PlanInputs inputs(Map<String, String> options) {
    FluxModel model = model(options.get("--model"));
    GpuType gpu = GpuType.parse(options.get("--gpu"));
    return new PlanInputs(
        model,
        gpu,
        wholeNumber("--images-per-month", options.get("--images-per-month")),
        number("--gpu-price", options.getOrDefault("--gpu-price", defaultGpuPrice(gpu))),
        number(
            "--api-price",
            options.getOrDefault(
                "--api-price", OperatorOptions.API_PRICE_PER_IMAGE.defaultValue())),
        seconds(options.getOrDefault("--slo", "60s")),
        (int)
            wholeNumber(
                "--min-replicas",
                options.getOrDefault(
                    "--min-replicas", String.valueOf(ScalingPolicy.DEFAULT_MIN_REPLICAS))),
        (int) wholeNumber("--max-replicas", options.getOrDefault("--max-replicas", "64")),
        number("--engineering-cost", options.getOrDefault("--engineering-cost", "0")),
        trace(options.get("--trace")));
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
            "%.0f images/h per GPU (%.1f s per image, FLUX.1-dev 1024², 28 steps)",
            r.imagesPerHourPerGpu(),
            in.gpu().secondsPerImage()));
    row(t, "GPUs needed", String.valueOf(r.gpusNeeded()));
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
    plan.put("secondsPerImage", in.gpu().secondsPerImage());
    plan.put("imagesPerHourPerGpu", r.imagesPerHourPerGpu());
    plan.put("gpusNeeded", r.gpusNeeded());
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
