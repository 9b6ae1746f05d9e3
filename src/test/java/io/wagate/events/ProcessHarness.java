package io.wagate.events;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.SidecarEmulatorResource;

/** The real emulator and sidecar for tests that run packaged gateways as processes (no Quarkus test runtime). */
final class ProcessHarness implements AutoCloseable {
  final SidecarEmulatorResource resource = new SidecarEmulatorResource();
  final String sidecarHost;
  final String sidecarPort;
  final EmulatorControl emulator;

  ProcessHarness() {
    Map<String, String> config = resource.start();
    sidecarHost = config.get("quarkus.grpc.clients.sidecar.host");
    sidecarPort = config.get("quarkus.grpc.clients.sidecar.port");
    AtomicReference<EmulatorControl> control = new AtomicReference<>();
    resource.inject(new io.quarkus.test.common.QuarkusTestResourceLifecycleManager.TestInjector() {
      @Override
      public void injectIntoFields(Object fieldValue, java.util.function.Predicate<java.lang.reflect.Field> predicate) {
        control.set((EmulatorControl) fieldValue);
      }
    });
    emulator = control.get();
  }

  static RequestSpecification on(GatewayProcess g, String token) {
    return given().baseUri("http://127.0.0.1").port(g.port()).header("token", token);
  }

  static String newAccount(GatewayProcess g) {
    return given().baseUri("http://127.0.0.1").port(g.port()).header("token", GatewayProcess.ADMIN_TOKEN).contentType(ContentType.JSON)
        .body(new JsonObject().put("name", Api.unique("it")).put("instanceQuota", 10).put("rateLimitPerMinute", 100_000).encode())
        .post("/api/admin/accounts").then().statusCode(201).extract().path("account.token");
  }

  static String newInstance(GatewayProcess g, String account, String name) {
    return on(g, account).contentType(ContentType.JSON).body(new JsonObject().put("name", name).encode()).post("/api/instance/new").then()
        .statusCode(201).extract().path("instance.token");
  }

  static String state(GatewayProcess g, String token, String name) {
    return on(g, token).queryParam("instanceName", name).get("/api/instance/list").then().statusCode(200).extract().path("instances[0].connection.state");
  }

  @Override
  public void close() {
    resource.stop();
  }
}
