package io.wagate.client;

import java.net.URI;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.wagate.config.ConsoleConfig;

/**
 * The emulator's virtual phone, for the console's "scan with the emulator's phone" in demo mode: the gateway forwards
 * the scan to the emulator's control API, so the browser never talks to the emulator. Absent outside demo mode.
 */
@ApplicationScoped
public class EmulatorPhone {
  /** What the emulator answered: its status and its JSON body ({@code jid} or {@code error}). */
  public record Answer(int status, JsonObject body) {
  }

  private final URI base;
  private final WebClient client;

  public EmulatorPhone(Vertx vertx, ConsoleConfig config) {
    this.base = config.emulatorUrl().filter(u -> !u.isBlank()).map(URI::create).orElse(null);
    this.client = base == null ? null : WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setUserAgent("wagate-console"));
  }

  public boolean enabled() {
    return base != null;
  }

  /** {@code POST /phone/scan} of the emulator (docs/EMULATOR.md). */
  public Uni<Answer> scan(String qr, String phone) {
    return client.post(port(), base.getHost(), "/phone/scan").timeout(30_000)
        .sendJsonObject(new JsonObject().put("qr", qr).put("phone", phone)).map(EmulatorPhone::answer);
  }

  /** {@code GET /contacts}: the emulator's virtual contacts, someone for a demo instance to talk to. */
  public Uni<Answer> contacts() {
    return client.get(port(), base.getHost(), "/contacts").timeout(10_000).send().map(EmulatorPhone::answer);
  }

  private int port() {
    return base.getPort() > 0 ? base.getPort() : 80;
  }

  private static Answer answer(HttpResponse<Buffer> r) {
    JsonObject body;
    try {
      body = r.bodyAsJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    return new Answer(r.statusCode(), body == null ? new JsonObject() : body);
  }

  @PreDestroy
  void close() {
    if (client != null) {
      client.close();
    }
  }
}
