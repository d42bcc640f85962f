package io.fluxops.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TracesTest {

  @Test
  void committedTracesAreExactlyWhatTheSeededGeneratorMakes() throws IOException {
    for (String name : TraceGenerator.NAMES) {
      StringWriter generated = new StringWriter();
      TraceCsv.write(TraceGenerator.generate(name), TraceGenerator.comments(name), generated);
      try (InputStream committed = TraceCsv.class.getResourceAsStream("/traces/" + name + ".csv")) {
        assertThat(new String(committed.readAllBytes(), StandardCharsets.UTF_8))
            .as("traces/%s.csv: regenerate with TraceGenerator", name)
            .isEqualTo(generated.toString());
      }
    }
  }

  @Test
  void tracesHaveTheShapesTheirNamesPromise() {
    Trace steady = TraceCsv.load("steady");
    assertThat(steady.images() / steady.durationSeconds()).isBetween(0.48, 0.52);

    Trace idle = TraceCsv.load("spike-after-idle");
    assertThat(idle.arrivals().get(0).atSecond()).isGreaterThanOrEqualTo(3600);
    assertThat(
            idle.arrivals().stream()
                .filter(a -> a.atSecond() < 3660)
                .mapToLong(Trace.Arrival::images)
                .sum())
        .isEqualTo(120);

    Trace diurnal = TraceCsv.load("diurnal");
    long night = diurnal.arrivals().stream().filter(a -> a.atSecond() < 3600).count();
    long noon =
        diurnal.arrivals().stream().filter(a -> Math.abs(a.atSecond() - 43200) < 1800).count();
    assertThat(noon).isGreaterThan(10 * night);

    Trace heavy = TraceCsv.load("heavy-tailed");
    // On and off: whole minutes without a request, and requests of several images.
    long silentMinutes = 0;
    for (double minute = 0; minute < heavy.durationSeconds(); minute += 60) {
      double from = minute;
      if (heavy.arrivals().stream()
          .noneMatch(a -> a.atSecond() >= from && a.atSecond() < from + 60)) {
        silentMinutes++;
      }
    }
    assertThat(silentMinutes).isGreaterThan(60);
    assertThat(heavy.arrivals().stream().mapToInt(Trace.Arrival::images).max().orElseThrow())
        .isGreaterThan(1);

    Trace other = TraceGenerator.generate("ramped", 7);
    assertThat(other.name()).isEqualTo("ramped-7");
    assertThat(other.arrivals()).isNotEqualTo(TraceCsv.load("ramped").arrivals());
  }

  @Test
  void tracesFromNearbySeedsDrawDifferentRates() {
    // A steady trace's rate is its first draw, between 0.1 and 0.8 images/s: seeds next to each
    // other must not give one rate (java.util.Random's first draws from them nearly coincide).
    List<Double> rates = new ArrayList<>();
    for (long seed : List.of(101L, 202L, 303L, 1L, 2L, 3L)) {
      Trace steady = TraceGenerator.generate("steady", seed);
      rates.add(steady.arrivals().stream().mapToInt(Trace.Arrival::images).sum() / 10_800.0);
    }
    assertThat(
            rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                - rates.stream().mapToDouble(Double::doubleValue).min().orElseThrow())
        .as("steady rates from six seeds: %s", rates)
        .isGreaterThan(0.2);
  }

  @Test
  void aMalformedRowIsReportedWithItsLine() {
    String csv = "# duration_seconds=10\nat_second,images\n1.0,1\n2.0\n";
    assertThatThrownBy(
            () ->
                TraceCsv.read(
                    "bad", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line 4");
    assertThatThrownBy(() -> TraceCsv.load("nope")).hasMessageContaining("choose one of steady");
  }
}
