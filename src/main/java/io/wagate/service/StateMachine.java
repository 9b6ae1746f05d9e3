package io.wagate.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Set;

import io.wagate.Instance;
import io.wagate.SessionEvent;

/** Observed state after a lifecycle event (docs/API.md, section 1.6), and the rule that terminal events stop the instance. */
public final class StateMachine {
  /** Events after which nothing may reconnect the instance until an API call asks for it again. */
  static final Set<String> TERMINAL = Set.of("logged_out", "temp_banned", "client_outdated", "stream_replaced", "pair_error", "qr_timeout");
  private static final Set<String> WITH_ERROR = Set.of("pair_error", "qr_timeout", "connect_failure", "temp_banned", "client_outdated",
      "stream_replaced", "disconnected", "logged_out");

  /**
   * The reason of the {@code disconnected} the gateway records when the sidecar process went away. Nothing reconnects
   * until a sidecar is back (the reconciler then emits {@code connecting}), so the REST state is {@code disconnected}.
   */
  public static final String SIDECAR_LOST = "sidecar lost";

  private StateMachine() {
  }

  /** The instance after {@code e}, or null when the event changes nothing worth recording (a repeated logout). */
  public static Instance next(Instance i, SessionEvent e) {
    String kind = e.kind();
    if ("logged_out".equals(kind) && "logged_out".equals(i.eventState())) {
      return null;
    }
    String desired = TERMINAL.contains(kind) ? Instance.DESIRED_STOPPED : i.desiredState();
    // without a saved session (a pairing that dropped) nothing reconnects: treat the instance as stopped
    boolean reconnects = Instance.DESIRED_RUNNING.equals(desired) && i.jid() != null;
    String state = restState(kind, i.state(), reconnects && !SIDECAR_LOST.equals(e.reason()) ? Instance.DESIRED_RUNNING : Instance.DESIRED_STOPPED);
    OffsetDateTime at = OffsetDateTime.ofInstant(Instant.ofEpochMilli(e.timestampMillis() > 0 ? e.timestampMillis() : System.currentTimeMillis()),
        ZoneOffset.UTC);
    String jid = i.jid();
    if (("pair_success".equals(kind) || "connected".equals(kind)) && e.jid() != null) {
      jid = e.jid();
    }
    if ("logged_out".equals(kind)) {
      jid = null;
    }
    String lastError = i.lastError();
    if ("connected".equals(kind)) {
      lastError = null;
    } else if (WITH_ERROR.contains(kind)) {
      lastError = e.reason() != null ? e.reason() : kind;
    }
    int attempts = switch (kind) {
      case "connecting" -> i.attempts() + 1;
      case "connected" -> 0;
      default -> i.attempts();
    };
    OffsetDateTime since = Objects.equals(state, i.state()) && i.since() != null ? i.since() : at;
    String pushName = e.pushName() != null ? e.pushName() : i.pushName();
    return new Instance(i.id(), i.accountId(), i.name(), i.tokenEnc(), i.createdAt(), desired, state, kind, jid, pushName, lastError, since, attempts,
        i.settings(), i.proxy(), i.s3());
  }

  static String restState(String kind, String current, String desired) {
    return switch (kind) {
      case "connecting", "qr_ready", "pair_code_ready", "pair_success" -> "connecting";
      case "connected" -> "connected";
      case "disconnected" -> Instance.DESIRED_RUNNING.equals(desired) ? "connecting" : "disconnected";
      case "pair_error", "qr_timeout", "stream_replaced", "connect_failure", "temp_banned", "client_outdated" -> "disconnected";
      case "logged_out" -> "loggedout";
      default -> current;
    };
  }
}
