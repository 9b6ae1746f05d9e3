package io.wagate.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A child process whose ready line is awaited with a deadline; the rest of its output goes to a log file. */
final class ManagedProcess {
  private final Process process;
  private final String readyLine;

  private ManagedProcess(Process process, String readyLine) {
    this.process = process;
    this.readyLine = readyLine;
  }

  static ManagedProcess start(List<String> command, String readyPrefix, Path log, long timeoutSeconds) {
    Path bin = Path.of(command.get(0));
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException(bin + " is missing: build it with `cd sidecar && go build -o ../bin/ ./cmd/wagate-sidecar ./cmd/wa-emulator`");
    }
    try {
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      // a resource whose stop() is never called (e.g. a test JVM that ends first) must not leave orphans holding the database
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "reap-" + bin.getFileName()));
      CompletableFuture<String> ready = new CompletableFuture<>();
      Thread pump = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND), true)) {
          String line;
          while ((line = in.readLine()) != null) {
            out.println(line);
            if (!ready.isDone() && line.startsWith(readyPrefix)) {
              ready.complete(line);
            }
          }
        } catch (IOException e) {
          ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException(bin.getFileName() + " exited before it was ready; see " + log));
      }, "pump-" + bin.getFileName());
      pump.setDaemon(true);
      pump.start();
      try {
        return new ManagedProcess(p, ready.get(timeoutSeconds, TimeUnit.SECONDS));
      } catch (TimeoutException | ExecutionException e) {
        p.destroyForcibly();
        throw new IllegalStateException(bin.getFileName() + " not ready: " + e.getMessage() + "; see " + log, e);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + bin + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String readyLine() {
    return readyLine;
  }

  /** The value of {@code key=} in the ready line. */
  String field(String key) {
    for (String part : readyLine.split(" ")) {
      if (part.startsWith(key + "=")) {
        return part.substring(key.length() + 1);
      }
    }
    throw new IllegalStateException("no " + key + " in: " + readyLine);
  }

  long pid() {
    return process.pid();
  }

  void signal(String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
