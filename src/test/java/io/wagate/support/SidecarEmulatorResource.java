package io.wagate.support;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the real wa-emulator and wagate-sidecar (built by `go build` into bin/) on free loopback ports, the sidecar's
 * whatsmeow store in the same PostgreSQL as the gateway, and points the gateway's gRPC client at it. Tests reach the
 * processes through the static controls below (kill, restart, pause) to produce faults for real.
 */
public class SidecarEmulatorResource implements QuarkusTestResourceLifecycleManager {
  private static final Path LOGS = Path.of("target", "wagate-test");
  private static volatile ManagedProcess emulator;
  private static volatile ManagedProcess sidecar;
  private static volatile String sidecarAddr;
  private static volatile EmulatorControl control;

  @Override
  public Map<String, String> start() {
    // virtual contacts keep their whatsmeow state in a database of their own: the sidecar's store tables live in PG_DB
    String contactsDb = env("PG_DB", "app") + "_contacts";
    ContactsDatabase.ensure(env("PG_HOST", "127.0.0.1"), Integer.parseInt(env("PG_PORT", "55432")), env("PG_USER", "app"), env("PG_PASSWORD", "app"),
        env("PG_DB", "app"), contactsDb);
    emulator = ManagedProcess.start(List.of(bin("wagate.test.emulator-bin", "wa-emulator"), "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0",
        "--qr-refs", "3", "--log-level", "warn", "--contacts-db", dsn(contactsDb), "--media", "127.0.0.1:0"), "wa-emulator listening", LOGS.resolve("wa-emulator.log"), 30);
    control = new EmulatorControl(emulator.field("control"));
    startSidecar("127.0.0.1:0");
    String[] hostPort = sidecarAddr.split(":");
    // the packaged app (integration tests) serves /q/* on its management port: a free one, which Api.ops() reads back
    String management = Integer.toString(freePort());
    System.setProperty(Api.MANAGEMENT_PORT, management);
    // in test mode the gRPC client dials test-port (default 9001), not port
    return Map.of("quarkus.grpc.clients.sidecar.host", hostPort[0], "quarkus.grpc.clients.sidecar.port", hostPort[1],
        "quarkus.grpc.clients.sidecar.test-port", hostPort[1], "quarkus.management.port", management, "quarkus.management.test-port", management);
  }

  @Override
  public void stop() {
    if (sidecar != null) {
      sidecar.signal("CONT");
      sidecar.stop();
    }
    if (emulator != null) {
      emulator.stop();
    }
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(control, new TestInjector.AnnotatedAndMatchesType(InjectEmulator.class, EmulatorControl.class));
  }

  /** Kills the sidecar (SIGKILL): calls fail with UNAVAILABLE until {@link #restartSidecar()}. */
  public static void killSidecar() {
    sidecar.kill();
  }

  /** Freezes the sidecar (SIGSTOP): calls hang until a timeout fires. */
  public static void pauseSidecar() {
    sidecar.signal("STOP");
  }

  public static void resumeSidecar() {
    sidecar.signal("CONT");
  }

  /** Starts a new sidecar process (a new boot_id) on the same address. */
  public static void restartSidecar() {
    startSidecar(sidecarAddr);
  }

  /** The boot id printed by the current sidecar process. */
  public static String sidecarBootId() {
    return sidecar.field("boot_id");
  }

  private static synchronized void startSidecar(String listen) {
    sidecar = ManagedProcess.start(List.of(bin("wagate.test.sidecar-bin", "wagate-sidecar"), "--listen", listen, "--db", dsn(env("PG_DB", "app")),
        "--wa-emulator", emulator.field("ws"), "--wa-emulator-root-key", emulator.field("rootPublicKey"),
        "--wa-emulator-media", emulator.field("media"), "--keepalive-min", "2s",
        "--keepalive-max", "4s", "--reconnect-max-backoff", "2s"), "wagate-sidecar listening", LOGS.resolve("wagate-sidecar.log"), 60);
    sidecarAddr = sidecar.field("addr");
  }

  private static String dsn(String database) {
    return "postgres://" + env("PG_USER", "app") + ":" + env("PG_PASSWORD", "app") + "@" + env("PG_HOST", "127.0.0.1") + ":" + env("PG_PORT", "55432")
        + "/" + database + "?sslmode=disable";
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String bin(String property, String name) {
    return System.getProperty(property, Path.of("bin", name).toAbsolutePath().toString());
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
