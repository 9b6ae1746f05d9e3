package io.wagate;

/**
 * A lifecycle event of one instance, as the sidecar streams it. {@link #wire()} is the API's {@code data.state}
 * vocabulary (e.g. {@code qr_ready}), also stored in {@code instance.event_state} and {@code instance_event.state}.
 * {@link #UNKNOWN} stands for a kind this gateway does not know (a newer sidecar): recorded, but it changes no state.
 */
public enum LifecycleEvent {
  CONNECTING,
  QR_READY,
  PAIR_CODE_READY,
  PAIR_SUCCESS,
  PAIR_ERROR,
  QR_TIMEOUT,
  CONNECTED,
  DISCONNECTED,
  KEEPALIVE_TIMEOUT,
  KEEPALIVE_RESTORED,
  STREAM_REPLACED,
  CONNECT_FAILURE,
  TEMP_BANNED,
  CLIENT_OUTDATED,
  LOGGED_OUT,
  UNKNOWN;

  private final String wire = name().toLowerCase(java.util.Locale.ROOT);

  public String wire() {
    return wire;
  }

  /** Events after which nothing may reconnect the instance until an API call asks for it again. */
  public boolean terminal() {
    return switch (this) {
      case LOGGED_OUT, TEMP_BANNED, CLIENT_OUTDATED, STREAM_REPLACED, PAIR_ERROR, QR_TIMEOUT -> true;
      case CONNECTING, QR_READY, PAIR_CODE_READY, PAIR_SUCCESS, CONNECTED, DISCONNECTED, KEEPALIVE_TIMEOUT, KEEPALIVE_RESTORED, CONNECT_FAILURE,
          UNKNOWN -> false;
    };
  }

  public static LifecycleEvent fromWire(String value) {
    for (LifecycleEvent e : values()) {
      if (e.wire.equals(value)) {
        return e;
      }
    }
    throw new IllegalArgumentException("Unknown lifecycle event: " + value);
  }
}
