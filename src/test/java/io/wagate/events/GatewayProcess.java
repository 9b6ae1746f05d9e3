package io.wagate.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway (target/quarkus-app/quarkus-run.jar, built by `package` before failsafe runs) as a separate
 * process in the prod profile, so that it can be killed with SIGKILL and several can share one database.
 */
final class GatewayProcess implements AutoCloseable {
  static final String ADMIN_TOKEN = "it-admin-token";
  /** One key for every gateway of a test: they read each other's encrypted tokens and webhook secrets. */
  static final String ENCRYPTION_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  private final Process process;
  private final int port;

  private GatewayProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a gateway on {@code port} against the sidecar at {@code sidecarHost:sidecarPort}; waits until it listens. */
  static GatewayProcess start(String label, int port, String sidecarHost, String sidecarPort) {
    if (!Files.isReadable(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run `./mvnw verify` (failsafe runs after package)");
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("QUARKUS_GRPC_CLIENTS_SIDECAR_HOST", sidecarHost);
    env.put("QUARKUS_GRPC_CLIENTS_SIDECAR_PORT", sidecarPort);
    env.put("WAGATE_ENCRYPTION_KEY", ENCRYPTION_KEY);
    env.put("WAGATE_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("WAGATE_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
    env.put("WAGATE_WEBHOOKS_BACKOFF_MAX", "2s");
    env.put("WAGATE_WEBHOOKS_POLL_INTERVAL", "200ms");
    env.put("WAGATE_WEBHOOKS_LEASE", "20s");
    Path log = Path.of("target", "wagate-it", label + ".log");
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", JAR.toString()))
          .redirectErrorStream(true);
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      CompletableFuture<Void> ready = new CompletableFuture<>();
      Thread pump = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
          String line;
          while ((line = in.readLine()) != null) {
            out.println(line);
            if (line.contains("Listening on:")) {
              ready.complete(null);
            }
          }
        } catch (IOException e) {
          ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException(label + " exited before listening; see " + log));
      }, "pump-" + label);
      pump.setDaemon(true);
      pump.start();
      try {
        ready.get(90, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
        throw new IllegalStateException(label + " did not start: " + e.getMessage() + "; see " + log, e);
      }
      return new GatewayProcess(p, port);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  int port() {
    return port;
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook, no graceful stop, in-flight work is simply gone. */
  void kill9() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gateway did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  int exitCode() {
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
