package io.fluxops.metering.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.text.MessageFormat;
import java.time.Instant;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * One line per record on standard error: UTC time, level, logger, message, then any stack trace.
 */
final class StderrLogger implements System.Logger {
  private final String name;

  StderrLogger(String name) {
    this.name = name;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public boolean isLoggable(Level level) {
    return level != Level.OFF && level.getSeverity() >= Level.INFO.getSeverity();
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
    if (isLoggable(level)) {
      write(level, message, thrown);
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    if (isLoggable(level)) {
      write(
          level,
          params == null || params.length == 0 ? format : MessageFormat.format(format, params),
          null);
    }
  }

  @Override
  public void log(Level level, Supplier<String> supplier, Throwable thrown) {
    if (isLoggable(level)) {
      write(level, supplier.get(), thrown);
    }
  }

  private void write(Level level, String message, Throwable thrown) {
    StringBuilder line =
        new StringBuilder(128)
            .append(Instant.now())
            .append(' ')
            .append(level.getName())
            .append(' ')
            .append(name)
            .append(" - ")
            .append(message);
    if (thrown != null) {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
    }
    // One println per record: lines from different threads never interleave.
    System.err.println(line);
  }
}
