package io.wagate.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child process owned by one test (never shared through static state): started, its output copied to a log
 * file, its ready line awaited with a deadline, and stopped by the same test.
 */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final String readyLine;

  private ChildProcess(Process process, String readyLine) {
    this.process = process;
    this.readyLine = readyLine;
  }

  /** Starts {@code command}; {@code env} replaces the environment when not null; waits for a line containing {@code ready}. */
  public static ChildProcess start(String label, List<String> command, Map<String, String> env, String ready, long timeoutSeconds) {
    Path log = Path.of("target", "wagate-it", label + ".log");
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      if (env != null) {
        pb.environment().clear();
        pb.environment().putAll(env);
      }
      Process p = pb.start();
      CompletableFuture<String> readyLine = new CompletableFuture<>();
      Thread pump = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
          String line;
          while ((line = in.readLine()) != null) {
            out.println(line);
            if (!readyLine.isDone() && line.contains(ready)) {
              readyLine.complete(line);
            }
          }
        } catch (IOException e) {
          readyLine.completeExceptionally(e);
        }
        readyLine.completeExceptionally(new IllegalStateException(label + " exited before it was ready; see " + log));
      }, "pump-" + label);
      pump.setDaemon(true);
      pump.start();
      try {
        return new ChildProcess(p, readyLine.get(timeoutSeconds, TimeUnit.SECONDS));
      } catch (Exception e) {
        p.destroyForcibly();
        throw new IllegalStateException(label + " did not start: " + e.getMessage() + "; see " + log, e);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + label + ": " + e.getMessage(), e);
    }
  }

  /** The value of {@code key=} in the ready line. */
  public String field(String key) {
    for (String part : readyLine.split(" ")) {
      if (part.startsWith(key + "=")) {
        return part.substring(key.length() + 1);
      }
    }
    throw new IllegalStateException("no " + key + " in: " + readyLine);
  }

  /** SIGKILL, and wait for the exit. */
  public void kill9() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("process did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public int exitCode() {
    return process.exitValue();
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
