package io.wagate.mapping;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.wagate.Instance;
import io.wagate.InstanceState;

/** Instance → the RyzeAPI JSON shapes (maps keep the documented key order). */
public final class InstanceMapper {
  private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

  private InstanceMapper() {
  }

  public static Map<String, Object> settings(Instance.Settings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("autoRejectCalls", s.autoRejectCalls());
    m.put("callRejectMessage", s.callRejectMessage() == null ? "" : s.callRejectMessage());
    m.put("ignoreGroupMessages", s.ignoreGroupMessages());
    m.put("keepOnlineStatus", s.keepOnlineStatus());
    m.put("autoReadMessages", s.autoReadMessages());
    m.put("disableHistorySync", s.disableHistorySync());
    m.put("ignoreStatus", s.ignoreStatus());
    return m;
  }

  /** The proxy without its password, which is never returned. */
  public static Map<String, Object> proxy(Instance.Proxy p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", p.enabled());
    m.put("host", p.enabled() ? p.host() : null);
    m.put("port", p.enabled() ? p.port() : null);
    m.put("protocol", p.enabled() ? p.protocol() : null);
    m.put("username", p.enabled() ? p.username() : null);
    return m;
  }

  public static Map<String, Object> s3(Instance.S3 s, boolean withSecretKeyField) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", s.enabled());
    m.put("region", s.region());
    m.put("bucket", s.bucket());
    m.put("accessKey", s.accessKey());
    if (withSecretKeyField) {
      m.put("secretKey", null);
    }
    m.put("endpoint", s.endpoint());
    m.put("pathPrefix", s.pathPrefix());
    return m;
  }

  /** One item of GET /api/instance/list. */
  public static Map<String, Object> listItem(Instance i, String token, Map<String, Object> webhook, Map<String, Object> websocket) {
    Map<String, Object> connection = new LinkedHashMap<>();
    connection.put("state", i.state().wire());
    connection.put("numberJid", numberJid(i.jid()));
    connection.put("presenceStatus", i.state() == InstanceState.CONNECTED ? "available" : "unavailable");
    connection.put("displayStatus", displayStatus(i.state()));
    connection.put("lastError", i.lastError());
    connection.put("since", iso(i.since()));
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("name", i.pushName() == null ? "" : i.pushName());
    profile.put("pictureUrl", "");
    profile.put("isBusiness", false);
    profile.put("businessName", "");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", i.name());
    m.put("token", token);
    m.put("createdAt", iso(i.createdAt()));
    m.put("connection", connection);
    m.put("profile", profile);
    m.put("webhook", webhook);
    m.put("websocket", websocket);
    m.put("proxy", proxy(i.proxy()));
    m.put("settings", settings(i.settings()));
    m.put("s3", Map.of("enabled", i.s3().enabled()));
    return m;
  }

  public static Map<String, Object> websocket(boolean enabled, List<String> events, boolean mediaBase64) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", enabled);
    m.put("events", events);
    m.put("mediaBase64", mediaBase64);
    return m;
  }

  /** {@code 5511999999999:3@s.whatsapp.net} → {@code 5511999999999@s.whatsapp.net}: the user's number without the device part. */
  public static String numberJid(String jid) {
    if (jid == null || jid.isEmpty()) {
      return null;
    }
    int at = jid.indexOf('@');
    String user = at < 0 ? jid : jid.substring(0, at);
    String server = at < 0 ? "s.whatsapp.net" : jid.substring(at + 1);
    int colon = user.indexOf(':');
    int dot = user.indexOf('.');
    int cut = colon < 0 ? dot : dot < 0 ? colon : Math.min(colon, dot);
    return (cut >= 0 ? user.substring(0, cut) : user) + "@" + server;
  }

  public static String displayStatus(InstanceState state) {
    return switch (state) {
      case CONNECTED -> "Connected";
      case CONNECTING -> "Connecting";
      case LOGGED_OUT -> "Logged out";
      case DISCONNECTED -> "Disconnected";
    };
  }

  public static String iso(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(ISO_SECONDS);
  }
}
