package io.fluxops.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a command-line program (kwokctl, kubectl, helm) with a deadline: its output is
 * captured through files, so a chatty program never blocks on a full pipe, and a program that hangs
 * is killed at the deadline with a message that says which one it was.
 */
public final class Command {

  private final List<String> argv;
  private final Map<String, String> env = new HashMap<>();
  private Duration timeout = Duration.ofMinutes(2);
  private String stdin;

  private Command(List<String> argv) {
    this.argv = List.copyOf(argv);
  }

  /** A command: the program, then its arguments. */
  public static Command of(String program, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(program);
    argv.addAll(List.of(args));
    return new Command(argv);
  }

  /** A command with the arguments given as a list. */
  public static Command of(String program, List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add(program);
    argv.addAll(args);
    return new Command(argv);
  }

  /** Sets an environment variable for this run (the rest is inherited). */
  public Command env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Sets several environment variables for this run. */
  public Command env(Map<String, String> variables) {
    env.putAll(variables);
    return this;
  }

  /** The deadline for the whole run (default 2 minutes). */
  public Command timeout(Duration value) {
    this.timeout = value;
    return this;
  }

  /** Text fed to the program's standard input. */
  public Command stdin(String text) {
    this.stdin = text;
    return this;
  }

  /** The command line, for messages. */
  public String describe() {
    return String.join(" ", argv);
  }

  /** Runs it and returns what it printed and its exit code, whatever the code. */
  public Result run() {
    Path out = null;
    Path err = null;
    Path in = null;
    try {
      out = Files.createTempFile("fluxops-cmd", ".out");
      err = Files.createTempFile("fluxops-cmd", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(env);
      if (stdin != null) {
        in = Files.createTempFile("fluxops-cmd", ".in");
        Files.writeString(in, stdin);
        builder.redirectInput(in.toFile());
      } else {
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      }
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new CommandException(
            "`"
                + describe()
                + "` did not finish within "
                + timeout.toSeconds()
                + " s; it printed: "
                + tail(Files.readString(err, StandardCharsets.UTF_8)));
      }
      return new Result(
          describe(),
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run `" + describe() + "`", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandException("interrupted while running `" + describe() + "`");
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
      deleteQuietly(in);
    }
  }

  /** Runs it and returns its standard output; a non-zero exit throws with what it printed. */
  public String runOrThrow() {
    Result result = run();
    if (result.exitCode() != 0) {
      throw new CommandException(result.failure());
    }
    return result.stdout();
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file left behind is not worth failing a test over
      }
    }
  }

  static String tail(String text) {
    String trimmed = text.strip();
    return trimmed.length() <= 2000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 2000);
  }

  /** What a finished run printed, and how it ended. */
  public record Result(String command, int exitCode, String stdout, String stderr) {

    /** Standard output and standard error together, in that order. */
    public String output() {
      return stdout + stderr;
    }

    /** A one-paragraph description of a failed run. */
    public String failure() {
      return "`" + command + "` exited with " + exitCode + ": " + tail(stderr + "\n" + stdout);
    }
  }

  /** A command that could not be run to its end, or that failed where it had to succeed. */
  public static final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandException(String message) {
      super(message);
    }
  }
}
