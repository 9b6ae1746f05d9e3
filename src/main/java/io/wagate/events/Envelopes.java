package io.wagate.events;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.json.JsonObject;
import io.wagate.config.WagateConfig;
import io.wagate.security.SecretCipher;

/** The one place the event envelope of docs/API.md (section 3.1) is built, for webhooks and WebSockets alike. */
@ApplicationScoped
public class Envelopes {
  private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final WagateConfig config;
  private final SecretCipher cipher;

  public Envelopes(WagateConfig config, SecretCipher cipher) {
    this.config = config;
    this.cipher = cipher;
  }

  /** The envelope of a stored event, encoded; {@code tokenEnc} is the instance token at rest (may be null). */
  public String encode(EventRecord r, String tokenEnc) {
    return envelope(r.event(), r.data(), r.instanceName(), tokenEnc, r.id(), r.createdAt()).encode();
  }

  public String encode(EventRecord r) {
    return encode(r, r.tokenEnc());
  }

  /**
   * The first frame of a WebSocket: the instance's current state as an {@code instance.state} envelope, marked
   * {@code "snapshot": true} (extension) and carrying the id of the event it reflects (0 when there is none).
   */
  public String snapshot(String instanceName, JsonObject data, String tokenEnc, long id, OffsetDateTime at) {
    return envelope("instance.state", data, instanceName, tokenEnc, id, at).put("snapshot", true).encode();
  }

  private JsonObject envelope(String event, JsonObject data, String instanceName, String tokenEnc, long id, OffsetDateTime at) {
    JsonObject instanceData = new JsonObject().put("baseUrl", config.baseUrl()).put("instance", instanceName);
    if (config.events().includeToken() && tokenEnc != null) {
      instanceData.put("token", cipher.decrypt(tokenEnc));
    }
    return new JsonObject().put("event", event).put("data", data).put("instanceData", instanceData).put("id", id)
        .put("timestamp", MILLIS.format(at == null ? OffsetDateTime.now(ZoneOffset.UTC) : at));
  }

  /** Where an event goes: {@code url/<event>} with byEvents (before any query string), else the url. */
  public static String target(String url, boolean byEvents, String event) {
    if (!byEvents) {
      return url;
    }
    int q = url.indexOf('?');
    String path = q < 0 ? url : url.substring(0, q);
    String query = q < 0 ? "" : url.substring(q);
    return (path.endsWith("/") ? path : path + "/") + event + query;
  }
}
