package io.wagate.rest;

import io.wagate.service.DomainException;

/**
 * What the resources' OpenAPI annotations share: the error envelope's schema and literal examples, and the names of the
 * responses every route can give, which META-INF/openapi.yaml keeps once under components/responses.
 */
final class ApiDoc {
  static final String ERROR = "ErrorEnvelope";
  /** An envelope example is {@code ERR + message + END}: annotation values must be constants, so no method builds it. */
  static final String ERR = "{\"success\":false,\"error\":{\"message\":\"";
  static final String END = "\"}}";
  static final String INVALID_BODY = DomainException.INVALID_BODY_MESSAGE;

  static final String INSTANCE_NOT_FOUND = DomainException.INSTANCE_NOT_FOUND_MESSAGE;
  static final String NOT_CONNECTED = DomainException.NOT_CONNECTED_MESSAGE;
  static final String SIDECAR_DOWN = DomainException.SIDECAR_UNREACHABLE_MESSAGE;
  static final String NOT_IMPLEMENTED = DomainException.NOT_IMPLEMENTED_MESSAGE;
  static final String NOT_IMPLEMENTED_CHATS = "Groups, newsletters and status broadcast are not in the first messaging slice";
  static final String NOT_CONNECTED_OR_DOWN = "The instance is not connected, or a dependency is down";

  /** Parameters under components/parameters. */
  static final String INSTANCE = "instance";
  static final String LIMIT = "limit";

  static final String UNAUTHORIZED = "Unauthorized";
  static final String FORBIDDEN = "Forbidden";
  static final String NOT_FOUND = "NotFound";
  static final String RATE_LIMITED = "RateLimited";
  static final String TOO_LARGE = "TooLarge";
  static final String UNSUPPORTED = "UnsupportedMediaType";
  static final String UNAVAILABLE = "Unavailable";
  static final String ADMIN_DISABLED = "AdminDisabled";
  static final String INVALID_BODY_RESPONSE = "InvalidBody";
  static final String INVALID_LIMIT = "InvalidLimit";

  private ApiDoc() {
  }
}
