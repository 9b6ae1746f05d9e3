package io.wagate.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The wa-emulator's control API (the emulator page in docs/): the virtual phone and the server-side faults. */
public class EmulatorControl {
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public EmulatorControl(String controlAddr) {
    this.base = "http://" + controlAddr;
  }

  /** The phone of {@code phone} scans {@code qr}; returns the new device JID. */
  public String scan(String qr, String phone) {
    return post("/phone/scan", new JsonObject().put("qr", qr).put("phone", phone), 200).getString("jid");
  }

  /** The phone of {@code phone} enters a pairing code; returns the new device JID. */
  public String linkCode(String phone, String code) {
    return post("/phone/link-code", new JsonObject().put("phone", phone).put("code", code), 200).getString("jid");
  }

  /** The HTTP status of a link-code attempt, for negative tests. */
  public int linkCodeStatus(String phone, String code) {
    return call("POST", "/phone/link-code", new JsonObject().put("phone", phone).put("code", code).encode()).statusCode();
  }

  public void logoutFromPhone(String jid) {
    post("/devices/" + jid + "/logout", new JsonObject(), 200);
  }

  public void kick(String jid) {
    post("/devices/" + jid + "/kick", new JsonObject(), 200);
  }

  public void replace(String jid) {
    post("/devices/" + jid + "/replace", new JsonObject(), 200);
  }

  /** Someone calls the device; a session set to reject calls answers with a reject, counted as the device's {@code callsRejected}. */
  public String callDevice(String jid) {
    return post("/devices/" + jid + "/call", new JsonObject(), 200).getString("callId");
  }

  public JsonObject devices() {
    HttpResponse<String> r = call("GET", "/devices", null);
    return new JsonObject(r.body());
  }

  public void faults(JsonObject faults) {
    post("/faults", faults, 200);
  }

  /** The emulator's traffic log (metadata of the last 10,000 stanzas), oldest first. */
  public JsonArray traffic() {
    return new JsonObject(call("GET", "/traffic?limit=10000", null).body()).getJsonArray("entries");
  }

  public void clearFaults() {
    call("DELETE", "/faults", null);
  }

  /** Creates a virtual contact (a whatsmeow client inside the emulator) and waits until it is online. */
  public JsonObject createContact(String phone, String name) {
    return post("/contacts", new JsonObject().put("phone", phone).put("name", name), 201);
  }

  /** The contact sends a text; returns the WhatsApp message id. */
  public String contactSend(String phone, String to, String text) {
    return post("/contacts/" + phone + "/send", new JsonObject().put("to", to).put("text", text), 200).getString("id");
  }

  /** The contact's message log, entries after {@code after}; waits up to {@code waitMs} for a new entry or a state change. */
  public JsonArray contactMessages(String phone, long after, int waitMs) {
    HttpResponse<String> r = call("GET", "/contacts/" + phone + "/messages?after=" + after + "&waitMs=" + waitMs, null);
    if (r.statusCode() != 200) {
      throw new AssertionError("emulator contact messages answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body()).getJsonArray("messages");
  }

  /** The contact sends read receipts for messages it received. */
  public void contactRead(String phone, String... ids) {
    post("/contacts/" + phone + "/read", new JsonObject().put("ids", new JsonArray(java.util.List.of(ids))), 200);
  }

  /** The media of a message the contact received, downloaded and decrypted by the contact's client. */
  public byte[] contactMedia(String phone, String id) {
    HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/contacts/" + phone + "/messages/" + id + "/media")).timeout(Duration.ofSeconds(20)).GET().build();
    try {
      HttpResponse<byte[]> got = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
      if (got.statusCode() != 200) {
        throw new AssertionError("emulator contact media answered " + got.statusCode());
      }
      return got.body();
    } catch (IOException e) {
      throw new IllegalStateException("emulator control API unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonObject post(String path, JsonObject body, int expected) {
    HttpResponse<String> r = call("POST", path, body.encode());
    if (r.statusCode() != expected) {
      throw new AssertionError("emulator " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body() == null || r.body().isBlank() ? new JsonObject() : new JsonObject(r.body());
  }

  private HttpResponse<String> call(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("emulator control API unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
