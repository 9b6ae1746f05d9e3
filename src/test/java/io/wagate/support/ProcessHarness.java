package io.wagate.support;

import static io.restassured.RestAssured.given;

import java.nio.file.Path;
import java.util.List;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/** The real emulator and sidecar, owned by one test that runs packaged gateways as processes (no Quarkus test runtime). */
public final class ProcessHarness implements AutoCloseable {
  public final ChildProcess emulatorProcess;
  public final ChildProcess sidecarProcess;
  public final String sidecarHost;
  public final String sidecarPort;
  public final EmulatorControl emulator;

  public ProcessHarness() {
    emulatorProcess = ChildProcess.start("wa-emulator", List.of(bin("wagate.test.emulator-bin", "wa-emulator"), "--listen", "127.0.0.1:0", "--control",
        "127.0.0.1:0", "--qr-refs", "3", "--log-level", "warn"), null, "wa-emulator listening", 30);
    try {
      sidecarProcess = sidecar("wagate-sidecar");
    } catch (RuntimeException e) {
      emulatorProcess.close();
      throw e;
    }
    String[] addr = sidecarProcess.field("addr").split(":");
    sidecarHost = addr[0];
    sidecarPort = addr[1];
    emulator = new EmulatorControl(emulatorProcess.field("control"));
  }

  /** Another sidecar on the same database and emulator, e.g. one per gateway of a cluster (a pod is a gateway and its sidecar). */
  public ChildProcess sidecar(String label) {
    String dsn = "postgres://" + env("PG_USER", "app") + ":" + env("PG_PASSWORD", "app") + "@" + env("PG_HOST", "127.0.0.1") + ":" + env("PG_PORT", "55432")
        + "/" + env("PG_DB", "app") + "?sslmode=disable";
    return ChildProcess.start(label, List.of(bin("wagate.test.sidecar-bin", "wagate-sidecar"), "--listen", "127.0.0.1:0", "--db", dsn,
        "--wa-emulator", emulatorProcess.field("ws"), "--wa-emulator-root-key", emulatorProcess.field("rootPublicKey")), null, "wagate-sidecar listening", 60);
  }

  private static String bin(String property, String name) {
    return System.getProperty(property, Path.of("bin", name).toAbsolutePath().toString());
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  public static RequestSpecification on(GatewayProcess g, String token) {
    return given().baseUri("http://127.0.0.1").port(g.port()).header("token", token);
  }

  public static String newAccount(GatewayProcess g) {
    return given().baseUri("http://127.0.0.1").port(g.port()).header("token", GatewayProcess.ADMIN_TOKEN).contentType(ContentType.JSON)
        .body(new JsonObject().put("name", Api.unique("it")).put("instanceQuota", 10).put("rateLimitPerMinute", 100_000).encode())
        .post("/api/admin/accounts").then().statusCode(201).extract().path("account.token");
  }

  public static String newInstance(GatewayProcess g, String account, String name) {
    return on(g, account).contentType(ContentType.JSON).body(new JsonObject().put("name", name).encode()).post("/api/instance/new").then()
        .statusCode(201).extract().path("instance.token");
  }

  public static String state(GatewayProcess g, String token, String name) {
    return on(g, token).queryParam("instanceName", name).get("/api/instance/list").then().statusCode(200).extract().path("instances[0].connection.state");
  }

  @Override
  public void close() {
    sidecarProcess.close();
    emulatorProcess.close();
  }
}
