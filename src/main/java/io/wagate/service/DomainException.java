package io.wagate.service;

/**
 * A refusal or failure in the domain's words: what went wrong ({@link Kind}) and the literal {@code error.message} of the
 * contract (docs/API.md). Services throw only these; {@code rest/ErrorMappers} alone turns a kind into an HTTP status.
 */
public class DomainException extends RuntimeException {
  public static final String NO_SAVED_SESSION_MESSAGE = "Instance has no saved session \u2014 call /connect first";
  public static final String INSTANCE_NOT_FOUND_MESSAGE = "Instance not found";
  public static final String INVALID_BODY_MESSAGE = "Invalid request body";
  public static final String NOT_CONNECTED_MESSAGE = "Instance is not connected to WhatsApp";
  public static final String NOT_IMPLEMENTED_MESSAGE = "Not implemented in wagate yet";
  public static final String UNAVAILABLE_PREFIX = "Service temporarily unavailable: ";
  public static final String SIDECAR_UNREACHABLE_MESSAGE = UNAVAILABLE_PREFIX + "sidecar";

  /** Why a request cannot be served. */
  public enum Kind {
    /** the request is malformed or a value is out of bounds */
    INVALID_INPUT,
    /** reconnect (or connect's resume) of an instance without a saved WhatsApp session */
    NO_SAVED_SESSION,
    /** no valid token, or a token of the wrong kind for this operation */
    UNAUTHENTICATED,
    /** a valid token that may not act on this resource, or a quota reached */
    FORBIDDEN,
    NOT_FOUND,
    /** the resource exists already, or a limit on enabled resources is reached */
    CONFLICT,
    RATE_LIMITED,
    /** the operation was attempted and failed; the message names the operation and the reason */
    OPERATION_FAILED,
    /** a dependency the request needs (the database) does not serve */
    UNAVAILABLE,
    /** the sidecar cannot be reached (down, timed out, breaker open) */
    SIDECAR_UNREACHABLE,
    /** the instance's WhatsApp session is not connected, so nothing can be sent */
    NOT_CONNECTED,
    /** a documented RyzeAPI operation that wagate does not offer yet */
    NOT_IMPLEMENTED
  }

  private final Kind kind;

  public DomainException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static DomainException invalidInput(String message) {
    return new DomainException(Kind.INVALID_INPUT, message);
  }

  public static DomainException invalidBody() {
    return invalidInput(INVALID_BODY_MESSAGE);
  }

  public static DomainException noSavedSession() {
    return new DomainException(Kind.NO_SAVED_SESSION, NO_SAVED_SESSION_MESSAGE);
  }

  public static DomainException invalidToken() {
    return new DomainException(Kind.UNAUTHENTICATED, "Invalid token");
  }

  public static DomainException forbidden(String message) {
    return new DomainException(Kind.FORBIDDEN, message);
  }

  public static DomainException notFound(String message) {
    return new DomainException(Kind.NOT_FOUND, message);
  }

  public static DomainException instanceNotFound() {
    return notFound(INSTANCE_NOT_FOUND_MESSAGE);
  }

  public static DomainException conflict(String message) {
    return new DomainException(Kind.CONFLICT, message);
  }

  public static DomainException rateLimited(String message) {
    return new DomainException(Kind.RATE_LIMITED, message);
  }

  public static DomainException failed(String message) {
    return new DomainException(Kind.OPERATION_FAILED, message);
  }

  public static DomainException unavailable(String dependency) {
    return new DomainException(Kind.UNAVAILABLE, UNAVAILABLE_PREFIX + dependency);
  }

  public static DomainException notConnected() {
    return new DomainException(Kind.NOT_CONNECTED, NOT_CONNECTED_MESSAGE);
  }

  public static DomainException notImplemented() {
    return new DomainException(Kind.NOT_IMPLEMENTED, NOT_IMPLEMENTED_MESSAGE);
  }

  public static DomainException sidecarUnreachable() {
    return new DomainException(Kind.SIDECAR_UNREACHABLE, SIDECAR_UNREACHABLE_MESSAGE);
  }
}
