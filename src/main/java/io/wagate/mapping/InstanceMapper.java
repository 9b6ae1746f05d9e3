package io.wagate.mapping;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.mapping.Views.Connection;
import io.wagate.mapping.Views.ListItem;
import io.wagate.mapping.Views.Profile;
import io.wagate.mapping.Views.ProxyView;
import io.wagate.mapping.Views.S3Flag;
import io.wagate.mapping.Views.S3Stored;
import io.wagate.mapping.Views.S3View;
import io.wagate.mapping.Views.SettingsView;
import io.wagate.mapping.Views.WebhookFlag;
import io.wagate.mapping.Views.WebsocketView;

/** Instance → the RyzeAPI JSON shapes ({@link Views}). */
public final class InstanceMapper {
  private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

  private InstanceMapper() {
  }

  public static SettingsView settings(Instance.Settings s) {
    return new SettingsView(s.autoRejectCalls(), s.callRejectMessage() == null ? "" : s.callRejectMessage(), s.ignoreGroupMessages(),
        s.keepOnlineStatus(), s.autoReadMessages(), s.disableHistorySync(), s.ignoreStatus());
  }

  /** The proxy without its password, which is never returned. */
  public static ProxyView proxy(Instance.Proxy p) {
    return p.enabled() ? new ProxyView(true, p.host(), p.port(), p.protocol(), p.username()) : new ProxyView(false, null, null, null, null);
  }

  public static S3View s3(Instance.S3 s) {
    return new S3View(s.enabled(), s.region(), s.bucket(), s.accessKey(), s.endpoint(), s.pathPrefix());
  }

  /** S3 as read back: the secret key field is there and never filled. */
  public static S3Stored s3Stored(Instance.S3 s) {
    return new S3Stored(s.enabled(), s.region(), s.bucket(), s.accessKey(), null, s.endpoint(), s.pathPrefix());
  }

  /** One item of GET /api/instance/list. */
  public static ListItem listItem(Instance i, String token, WebhookFlag webhook, WebsocketView websocket) {
    Connection connection = new Connection(i.state().wire(), numberJid(i.jid()), i.state() == InstanceState.CONNECTED ? "available" : "unavailable",
        displayStatus(i.state()), i.lastError(), iso(i.since()));
    Profile profile = new Profile(i.pushName() == null ? "" : i.pushName(), "", false, "");
    return new ListItem(i.name(), token, iso(i.createdAt()), connection, profile, webhook, websocket, proxy(i.proxy()), settings(i.settings()),
        new S3Flag(i.s3().enabled()));
  }

  public static WebsocketView websocket(boolean enabled, List<String> events, boolean mediaBase64) {
    return new WebsocketView(enabled, events, mediaBase64);
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
