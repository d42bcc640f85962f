package io.fluxops.tools.simulate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes traces as CSV: {@code #} comment lines, a {@code # duration_seconds=<s>} line, a
 * header {@code at_second,images}, then one row per request.
 */
public final class TraceCsv {

  private static final String HEADER = "at_second,images";
  private static final String DURATION = "# duration_seconds=";

  private TraceCsv() {}

  /** Loads one of the traces committed under {@code traces/} on the classpath. */
  public static Trace load(String name) {
    String resource = "/traces/" + name + ".csv";
    try (InputStream in = TraceCsv.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no trace '" + name + "': choose one of " + String.join(", ", TraceGenerator.NAMES));
      }
      return read(name, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a trace; errors name the line that is wrong. */
  public static Trace read(String name, InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    double duration = -1;
    List<Trace.Arrival> arrivals = new ArrayList<>();
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      line = line.strip();
      if (line.startsWith(DURATION)) {
        duration = Double.parseDouble(line.substring(DURATION.length()));
      } else if (!line.isEmpty() && !line.startsWith("#") && !line.equals(HEADER)) {
        arrivals.add(parseRow(name, number, line));
      }
    }
    if (duration < 0) {
      throw new IOException("trace " + name + " has no '" + DURATION + "<seconds>' line");
    }
    return new Trace(name, duration, arrivals);
  }

  private static Trace.Arrival parseRow(String name, int number, String line) throws IOException {
    String[] cells = line.split(",", -1);
    try {
      if (cells.length != 2) {
        throw new NumberFormatException("expected 2 cells");
      }
      return new Trace.Arrival(Double.parseDouble(cells[0]), Integer.parseInt(cells[1]));
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "trace " + name + " line " + number + ": expected 'at_second,images', got '" + line + "'",
          e);
    }
  }

  /** Writes a trace, with free-text comment lines first. */
  public static void write(Trace trace, List<String> comments, Writer out) throws IOException {
    for (String comment : comments) {
      out.write("# " + comment + "\n");
    }
    out.write(String.format(Locale.ROOT, "%s%.0f\n", DURATION, trace.durationSeconds()));
    out.write(HEADER + "\n");
    for (Trace.Arrival arrival : trace.arrivals()) {
      out.write(String.format(Locale.ROOT, "%.1f,%d\n", arrival.atSecond(), arrival.images()));
    }
  }
}
