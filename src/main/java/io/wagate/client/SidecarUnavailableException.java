package io.wagate.client;

/** The sidecar process cannot be reached (connection refused, hung, or the circuit breaker is open). */
public class SidecarUnavailableException extends RuntimeException {
  public SidecarUnavailableException(String message) {
    super(message, null, false, false);
  }
}
