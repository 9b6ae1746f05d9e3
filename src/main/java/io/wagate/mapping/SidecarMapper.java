package io.wagate.mapping;

import java.util.List;
import java.util.UUID;

import io.wagate.Instance;
import io.wagate.LifecycleEvent;
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
    if (e.hasMessage() || e.hasReceipt()) {
      return SessionEvent.messaging(e.getBootId(), e.getSeq(), parseUuid(e.getInstanceId()), e.getTimestampUnixMs(), response.getReplayTruncated(),
          (e.hasMessage() ? MessageMapper.exchange(e.getMessage()) : MessageMapper.status(e.getReceipt())).inbound(e.getDedupeKey(), e.getInboxId()));
    }
    return new SessionEvent(e.getBootId(), e.getSeq(), parseUuid(e.getInstanceId()), kind(e.getKind()), e.getTimestampUnixMs(),
        emptyToNull(e.getJid()), emptyToNull(e.getReason()), e.getCode(), List.copyOf(e.getCodesList()), emptyToNull(e.getPairingCode()),
        e.getExpiresAtUnix(), emptyToNull(e.getPushName()), response.getReplayTruncated());
  }

  /** The gRPC boundary of {@link LifecycleEvent}: every proto kind by name, a kind this build does not know as {@code UNKNOWN}. */
  public static LifecycleEvent kind(EventKind kind) {
    if (kind == null) {
      return LifecycleEvent.UNKNOWN;
    }
    return switch (kind) {
      case EVENT_KIND_CONNECTING -> LifecycleEvent.CONNECTING;
      case EVENT_KIND_QR_READY -> LifecycleEvent.QR_READY;
      case EVENT_KIND_PAIR_CODE_READY -> LifecycleEvent.PAIR_CODE_READY;
      case EVENT_KIND_PAIR_SUCCESS -> LifecycleEvent.PAIR_SUCCESS;
      case EVENT_KIND_PAIR_ERROR -> LifecycleEvent.PAIR_ERROR;
      case EVENT_KIND_QR_TIMEOUT -> LifecycleEvent.QR_TIMEOUT;
      case EVENT_KIND_CONNECTED -> LifecycleEvent.CONNECTED;
      case EVENT_KIND_DISCONNECTED -> LifecycleEvent.DISCONNECTED;
      case EVENT_KIND_KEEPALIVE_TIMEOUT -> LifecycleEvent.KEEPALIVE_TIMEOUT;
      case EVENT_KIND_KEEPALIVE_RESTORED -> LifecycleEvent.KEEPALIVE_RESTORED;
      case EVENT_KIND_STREAM_REPLACED -> LifecycleEvent.STREAM_REPLACED;
      case EVENT_KIND_CONNECT_FAILURE -> LifecycleEvent.CONNECT_FAILURE;
      case EVENT_KIND_TEMP_BANNED -> LifecycleEvent.TEMP_BANNED;
      case EVENT_KIND_CLIENT_OUTDATED -> LifecycleEvent.CLIENT_OUTDATED;
      case EVENT_KIND_LOGGED_OUT -> LifecycleEvent.LOGGED_OUT;
      case EVENT_KIND_UNSPECIFIED, UNRECOGNIZED -> LifecycleEvent.UNKNOWN;
    };
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
