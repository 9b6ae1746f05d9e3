package io.wagate;

/**
 * What the API asked of an instance (docs/ARCHITECTURE.md §3): {@code running} after connect/reconnect, {@code stopped}
 * after logout, delete or a terminal event. {@link #wire()} is the spelling in the {@code instance} table.
 */
public enum DesiredState {
  RUNNING("running"),
  STOPPED("stopped");

  private final String wire;

  DesiredState(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static DesiredState fromWire(String value) {
    for (DesiredState s : values()) {
      if (s.wire.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("Unknown desired state: " + value);
  }
}
