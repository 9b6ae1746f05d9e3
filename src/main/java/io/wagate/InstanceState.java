package io.wagate;

/**
 * The observed REST state of an instance (docs/API.md, section 1.6). {@link #wire()} is its spelling in the
 * {@code instance} table and in the RyzeAPI JSON; {@link #fromWire} is the way back, refusing anything else.
 */
public enum InstanceState {
  DISCONNECTED("disconnected"),
  CONNECTING("connecting"),
  CONNECTED("connected"),
  LOGGED_OUT("loggedout");

  private final String wire;

  InstanceState(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static InstanceState fromWire(String value) {
    for (InstanceState s : values()) {
      if (s.wire.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("Unknown instance state: " + value);
  }
}
