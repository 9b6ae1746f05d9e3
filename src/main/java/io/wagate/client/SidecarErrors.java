package io.wagate.client;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The one place where gRPC failures become wagate exceptions, and the one "sidecar unreachable" predicate. */
public final class SidecarErrors {
  private SidecarErrors() {
  }

  /**
   * Whether {@code t} means the sidecar could not be reached: refused or dropped ({@link SidecarUnavailableException}),
   * hung past {@code SidecarClient}'s timeout, or its circuit breaker open. Everyone who asks (the services, the REST
   * error mappers) asks here.
   */
  public static boolean unreachable(Throwable t) {
    return t instanceof SidecarUnavailableException || t instanceof CircuitBreakerOpenException || t instanceof TimeoutException;
  }

  /** gRPC failures (and the fault-tolerance layer's) → {@link SidecarUnavailableException} or {@link SidecarCallException}. */
  static Throwable map(Throwable t) {
    if (t instanceof SidecarUnavailableException || t instanceof SidecarCallException) {
      return t;
    }
    if (t instanceof CircuitBreakerOpenException) {
      return new SidecarUnavailableException("circuit breaker open");
    }
    if (t instanceof TimeoutException || t instanceof java.util.concurrent.TimeoutException) {
      return new SidecarUnavailableException("sidecar did not answer in time");
    }
    Status status = Status.fromThrowable(t);
    String description = status.getDescription() == null ? status.getCode().name().toLowerCase() : status.getDescription();
    return switch (status.getCode()) {
      case UNAVAILABLE -> isTransportFailure(t, status) ? new SidecarUnavailableException(description)
          : new SidecarCallException(SidecarCallException.Kind.UNAVAILABLE, description);
      case DEADLINE_EXCEEDED -> isClientDeadline(status) ? new SidecarUnavailableException(description)
          : new SidecarCallException(SidecarCallException.Kind.DEADLINE_EXCEEDED, description);
      case INVALID_ARGUMENT -> new SidecarCallException(SidecarCallException.Kind.INVALID_ARGUMENT, description);
      case NOT_FOUND -> new SidecarCallException(SidecarCallException.Kind.NOT_FOUND, description);
      case FAILED_PRECONDITION -> new SidecarCallException(SidecarCallException.Kind.FAILED_PRECONDITION, description);
      case CANCELLED, UNKNOWN -> t instanceof StatusRuntimeException && status.getCause() != null ? new SidecarUnavailableException(description)
          : new SidecarCallException(SidecarCallException.Kind.INTERNAL, description);
      default -> new SidecarCallException(SidecarCallException.Kind.INTERNAL, description);
    };
  }

  /**
   * The sidecar reports WhatsApp-side network failures as UNAVAILABLE with its own message and no local cause; a
   * refused or dropped connection to the sidecar itself carries a transport cause or one of grpc-java's own texts.
   */
  private static boolean isTransportFailure(Throwable t, Status status) {
    if (status.getCause() != null) {
      return true;
    }
    String d = status.getDescription();
    return d == null || d.startsWith("io exception") || d.startsWith("Network closed") || d.contains("Connection refused")
        || d.startsWith("Channel shutdown") || d.contains("UNAVAILABLE: ") || d.startsWith("Connection closed");
  }

  private static boolean isClientDeadline(Status status) {
    String d = status.getDescription();
    return d != null && (d.startsWith("deadline exceeded after") || d.startsWith("ClientCall started after") || d.contains("CallOptions deadline"));
  }
}
