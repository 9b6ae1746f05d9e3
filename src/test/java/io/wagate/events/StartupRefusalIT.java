package io.wagate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.wagate.support.GatewayProcess;

/** The packaged gateway in the prod profile refuses to start with a guessable admin token, or without the TLS PG_SSLMODE asks for. */
class StartupRefusalIT {

  @ParameterizedTest
  @CsvSource({
      "placeholder, REPLACE_ME-admin-token, still the REPLACE_ME placeholder",
      "short, 0123456789abcdef0123456789abcde, must be at least 32 characters"})
  void guessableAdminTokenStopsStartUp(String label, String adminToken, String expected) throws IOException, InterruptedException {
    String output = runToExit("refusal-" + label, Map.of("WAGATE_ADMIN_TOKEN", adminToken));
    assertThat(output).contains("wagate cannot start: wagate.admin.token").contains(expected).doesNotContain(adminToken);
  }

  /** The test PostgreSQL speaks no TLS: with PG_SSLMODE=require the gateway's JDBC (Flyway) and reactive pools must refuse it. */
  @Test
  void pgSslModeRequireIsHonoured() throws IOException, InterruptedException {
    String output = runToExit("refusal-sslmode", Map.of("WAGATE_ADMIN_TOKEN", GatewayProcess.ADMIN_TOKEN, "PG_SSLMODE", "require"));
    assertThat(output).containsIgnoringCase("SSL");
  }

  /** Runs the packaged gateway with {@code overrides}, expects it to exit 1 by itself; returns its output. */
  private static String runToExit(String label, Map<String, String> overrides) throws IOException, InterruptedException {
    Path log = Path.of("target", "wagate-it", label + ".log");
    Files.createDirectories(log.getParent());
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("QUARKUS_HTTP_PORT", Integer.toString(GatewayProcess.freePort()));
    env.put("QUARKUS_GRPC_CLIENTS_SIDECAR_PORT", Integer.toString(GatewayProcess.freePort()));
    env.put("WAGATE_ENCRYPTION_KEY", GatewayProcess.ENCRYPTION_KEY);
    env.putAll(overrides);
    ProcessBuilder pb = new ProcessBuilder(GatewayProcess.command()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the gateway exits by itself").isTrue();
      assertThat(p.exitValue()).isEqualTo(1);
      return Files.readString(log, StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
  }
}
