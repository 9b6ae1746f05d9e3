package io.wagate.support;

import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The packaged gateway as a separate process in the prod profile, so that it can be killed with SIGKILL and several
 * can share one database: whatever `package` built before failsafe runs, as target/quarkus-artifact.properties names
 * it, i.e. target/quarkus-app/quarkus-run.jar on the JVM or the native runner with -Dnative.
 */
public final class GatewayProcess implements AutoCloseable {
  public static final String ADMIN_TOKEN = "it-admin-token-for-the-process-tests";
  /** One key for every gateway of a test: they read each other's encrypted tokens and webhook secrets. */
  public static final String ENCRYPTION_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final Path ARTIFACT = Path.of("target", "quarkus-artifact.properties");

  private final ChildProcess process;
  private final int port;

  private GatewayProcess(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a gateway on {@code port} against the sidecar at {@code sidecarHost:sidecarPort}; waits until it listens. */
  public static GatewayProcess start(String label, int port, String sidecarHost, String sidecarPort) {
    return start(label, port, sidecarHost, sidecarPort, Map.of());
  }

  /** As above, with settings of this test on top of the defaults. */
  public static GatewayProcess start(String label, int port, String sidecarHost, String sidecarPort, Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    // /q/* has a port of its own in production: a free one, so that gateways side by side do not collide
    env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
    env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(freePort()));
    env.put("QUARKUS_GRPC_CLIENTS_SIDECAR_HOST", sidecarHost);
    env.put("QUARKUS_GRPC_CLIENTS_SIDECAR_PORT", sidecarPort);
    env.put("WAGATE_ENCRYPTION_KEY", ENCRYPTION_KEY);
    env.put("WAGATE_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("WAGATE_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
    env.put("WAGATE_WEBHOOKS_BACKOFF_MAX", "2s");
    env.put("WAGATE_WEBHOOKS_POLL_INTERVAL", "200ms");
    env.put("WAGATE_WEBHOOKS_LEASE", "20s");
    env.putAll(settings);
    return new GatewayProcess(ChildProcess.start(label, command(), env, "Listening on:", 90), port);
  }

  /** The same heap bound for both: a native image takes -Xmx at run time as the JVM does. */
  public static List<String> command() {
    Properties artifact = new Properties();
    try (Reader in = Files.newBufferedReader(ARTIFACT)) {
      artifact.load(in);
    } catch (IOException e) {
      throw new IllegalStateException(ARTIFACT + " is missing: run `./mvnw verify` (failsafe runs after package)", e);
    }
    Path built = Path.of("target").resolve(artifact.getProperty("path"));
    if ("native".equals(artifact.getProperty("type"))) {
      return List.of(built.toString(), "-Xmx256m");
    }
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", built.toString());
  }

  public int port() {
    return port;
  }

  public String base() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook, no graceful stop, in-flight work is simply gone. */
  public void kill9() {
    process.kill9();
  }

  public int exitCode() {
    return process.exitCode();
  }

  @Override
  public void close() {
    process.close();
  }
}
