package io.wagate.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

import io.wagate.DesiredState;
import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.LifecycleEvent;
import io.wagate.SessionEvent;

/**
 * Observed state after a lifecycle event (docs/API.md, section 1.6), and the rule that terminal events
 * ({@link LifecycleEvent#terminal()}) stop the instance. Every switch lists every event, so a new kind does not compile
 * until it has been given a meaning here.
 */
public final class StateMachine {
  /**
   * The reason of the {@code disconnected} the gateway records when the sidecar process went away. Nothing reconnects
   * until a sidecar is back (the reconciler then emits {@code connecting}), so the REST state is {@code disconnected}.
   */
  public static final String SIDECAR_LOST = "sidecar lost";

  private StateMachine() {
  }

  /**
   * The instance after {@code e}, or null when the event changes nothing worth recording: a repeated logout, or the end
   * of a session reported after the logout that ended it. The gateway records a logout itself once the sidecar has
   * done it, and the sidecar's own report of the aborted pairing or closed socket can reach the log after that; it
   * must not turn {@code loggedout} back into {@code disconnected}. Only a new connect ({@code connecting}) starts
   * over.
   */
  public static Instance next(Instance i, SessionEvent e) {
    LifecycleEvent kind = e.kind();
    if (i.eventState() == LifecycleEvent.LOGGED_OUT && endsASession(kind)) {
      return null;
    }
    DesiredState desired = kind.terminal() ? DesiredState.STOPPED : i.desiredState();
    // without a saved session (a pairing that dropped) nothing reconnects: treat the instance as stopped
    boolean reconnects = desired == DesiredState.RUNNING && i.jid() != null && !SIDECAR_LOST.equals(e.reason());
    InstanceState state = restState(kind, i.state(), reconnects);
    OffsetDateTime at = OffsetDateTime.ofInstant(Instant.ofEpochMilli(e.timestampMillis() > 0 ? e.timestampMillis() : System.currentTimeMillis()),
        ZoneOffset.UTC);
    String jid = switch (kind) {
      case PAIR_SUCCESS, CONNECTED -> e.jid() != null ? e.jid() : i.jid();
      case LOGGED_OUT -> null;
      case CONNECTING, QR_READY, PAIR_CODE_READY, PAIR_ERROR, QR_TIMEOUT, DISCONNECTED, KEEPALIVE_TIMEOUT, KEEPALIVE_RESTORED, STREAM_REPLACED,
          CONNECT_FAILURE, TEMP_BANNED, CLIENT_OUTDATED, UNKNOWN -> i.jid();
    };
    String lastError = switch (kind) {
      case CONNECTED -> null;
      case PAIR_ERROR, QR_TIMEOUT, CONNECT_FAILURE, TEMP_BANNED, CLIENT_OUTDATED, STREAM_REPLACED, DISCONNECTED, LOGGED_OUT ->
          e.reason() != null ? e.reason() : kind.wire();
      case CONNECTING, QR_READY, PAIR_CODE_READY, PAIR_SUCCESS, KEEPALIVE_TIMEOUT, KEEPALIVE_RESTORED, UNKNOWN -> i.lastError();
    };
    int attempts = switch (kind) {
      case CONNECTING -> i.attempts() + 1;
      case CONNECTED -> 0;
      case QR_READY, PAIR_CODE_READY, PAIR_SUCCESS, PAIR_ERROR, QR_TIMEOUT, DISCONNECTED, KEEPALIVE_TIMEOUT, KEEPALIVE_RESTORED, STREAM_REPLACED,
          CONNECT_FAILURE, TEMP_BANNED, CLIENT_OUTDATED, LOGGED_OUT, UNKNOWN -> i.attempts();
    };
    OffsetDateTime since = Objects.equals(state, i.state()) && i.since() != null ? i.since() : at;
    String pushName = e.pushName() != null ? e.pushName() : i.pushName();
    return new Instance(i.id(), i.accountId(), i.name(), i.tokenEnc(), i.createdAt(), desired, state, kind, jid, pushName, lastError, since, attempts,
        i.settings(), i.proxy(), i.s3());
  }

  private static boolean endsASession(LifecycleEvent kind) {
    return switch (kind) {
      case LOGGED_OUT, PAIR_ERROR, QR_TIMEOUT, DISCONNECTED, KEEPALIVE_TIMEOUT -> true;
      case CONNECTING, QR_READY, PAIR_CODE_READY, PAIR_SUCCESS, CONNECTED, KEEPALIVE_RESTORED, STREAM_REPLACED, CONNECT_FAILURE, TEMP_BANNED,
          CLIENT_OUTDATED, UNKNOWN -> false;
    };
  }

  /** The REST state after {@code kind}; {@code reconnects}: the sidecar will try again by itself after a drop. */
  static InstanceState restState(LifecycleEvent kind, InstanceState current, boolean reconnects) {
    return switch (kind) {
      case CONNECTING, QR_READY, PAIR_CODE_READY, PAIR_SUCCESS -> InstanceState.CONNECTING;
      case CONNECTED -> InstanceState.CONNECTED;
      case DISCONNECTED -> reconnects ? InstanceState.CONNECTING : InstanceState.DISCONNECTED;
      case PAIR_ERROR, QR_TIMEOUT, STREAM_REPLACED, CONNECT_FAILURE, TEMP_BANNED, CLIENT_OUTDATED -> InstanceState.DISCONNECTED;
      case LOGGED_OUT -> InstanceState.LOGGED_OUT;
      case KEEPALIVE_TIMEOUT, KEEPALIVE_RESTORED, UNKNOWN -> current;
    };
  }
}
