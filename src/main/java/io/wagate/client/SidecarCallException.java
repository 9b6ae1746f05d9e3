package io.wagate.client;

/** The sidecar answered with an error status; {@code reason} is its message, safe to show to API clients. */
public class SidecarCallException extends RuntimeException {
  /** gRPC status codes the services branch on, mapped once here from {@code io.grpc.Status.Code}. */
  public enum Kind { INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL }

  private final Kind kind;

  public SidecarCallException(Kind kind, String reason) {
    super(reason, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public String reason() {
    return getMessage();
  }
}
