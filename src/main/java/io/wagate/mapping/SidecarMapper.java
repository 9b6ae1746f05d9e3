package io.wagate.mapping;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.wagate.Instance;
import io.wagate.PairStart;
import io.wagate.ProxySpec;
import io.wagate.SessionEvent;
import io.wagate.sidecar.grpc.Event;
import io.wagate.sidecar.grpc.EventKind;
import io.wagate.sidecar.grpc.PairResponse;
import io.wagate.sidecar.grpc.Proxy;
import io.wagate.sidecar.grpc.ProxyProtocol;
import io.wagate.sidecar.grpc.SessionState;
import io.wagate.sidecar.grpc.Settings;
import io.wagate.sidecar.grpc.StreamEventsResponse;

/** proto ↔ domain; generated types stop here and in the client. */
public final class SidecarMapper {
  private SidecarMapper() {
  }

  public static Settings toGrpc(Instance.Settings s) {
    return Settings.newBuilder().setAutoRejectCalls(s.autoRejectCalls()).setCallRejectMessage(nullToEmpty(s.callRejectMessage()))
        .setIgnoreGroupMessages(s.ignoreGroupMessages()).setKeepOnlineStatus(s.keepOnlineStatus()).setAutoReadMessages(s.autoReadMessages())
        .setDisableHistorySync(s.disableHistorySync()).setIgnoreStatus(s.ignoreStatus()).build();
  }

  /** Null when there is no proxy: the field stays unset in the request. */
  public static Proxy toGrpc(ProxySpec p) {
    if (p == null) {
      return null;
    }
    ProxyProtocol protocol = switch (p.protocol()) {
      case "http" -> ProxyProtocol.PROXY_PROTOCOL_HTTP;
      case "https" -> ProxyProtocol.PROXY_PROTOCOL_HTTPS;
      case "socks5" -> ProxyProtocol.PROXY_PROTOCOL_SOCKS5;
      default -> ProxyProtocol.PROXY_PROTOCOL_UNSPECIFIED;
    };
    return Proxy.newBuilder().setProtocol(protocol).setHost(p.host()).setPort(p.port()).setUsername(nullToEmpty(p.username()))
        .setPassword(nullToEmpty(p.password())).build();
  }

  public static PairStart fromGrpc(PairResponse r) {
    return switch (r.getUpdateCase()) {
      case QR -> new PairStart(r.getQr().getCode(), null, null);
      case PAIRING_CODE -> new PairStart(null, r.getPairingCode().getCode(), null);
      case FAILURE -> new PairStart(null, null, r.getFailure().getKind() == EventKind.EVENT_KIND_QR_TIMEOUT ? "QR code expired"
          : emptyTo(r.getFailure().getReason(), "pairing failed"));
      case SUCCESS -> new PairStart(null, null, null);
      default -> new PairStart(null, null, "unexpected answer from sidecar");
    };
  }

  public static SessionEvent fromGrpc(StreamEventsResponse response) {
    if (response.hasBoot()) {
      return SessionEvent.boot(response.getBoot().getBootId(), response.getBoot().getStartedAtUnixMs());
    }
    Event e = response.getEvent();
    return new SessionEvent(e.getBootId(), e.getSeq(), parseUuid(e.getInstanceId()), kindName(e.getKind()), e.getTimestampUnixMs(),
        emptyToNull(e.getJid()), emptyToNull(e.getReason()), e.getCode(), List.copyOf(e.getCodesList()), emptyToNull(e.getPairingCode()),
        e.getExpiresAtUnix(), emptyToNull(e.getPushName()), response.getReplayTruncated());
  }

  /** {@code EVENT_KIND_QR_READY} → {@code qr_ready}: the API's {@code data.state} vocabulary. */
  public static String kindName(EventKind kind) {
    if (kind == null || kind == EventKind.EVENT_KIND_UNSPECIFIED || kind == EventKind.UNRECOGNIZED) {
      return "unknown";
    }
    return kind.name().substring("EVENT_KIND_".length()).toLowerCase(Locale.ROOT);
  }

  /** Live sidecar states that mean "someone is already working on this instance". */
  public static boolean isLive(SessionState state) {
    return state == SessionState.SESSION_STATE_CONNECTING || state == SessionState.SESSION_STATE_CONNECTED || state == SessionState.SESSION_STATE_PAIRING;
  }

  private static UUID parseUuid(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String emptyTo(String s, String fallback) {
    return s == null || s.isEmpty() ? fallback : s;
  }
}
