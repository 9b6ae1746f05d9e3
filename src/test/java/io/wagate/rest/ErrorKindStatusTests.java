package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.wagate.service.DomainException;
import io.wagate.service.DomainException.Kind;

/** The one place a domain kind becomes an HTTP status (ErrorMappers.status), against docs/API.md's statuses. */
class ErrorKindStatusTests {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"INVALID_INPUT, 400", "NO_SAVED_SESSION, 400", "UNAUTHENTICATED, 401", "FORBIDDEN, 403", "NOT_FOUND, 404", "CONFLICT, 409",
      "RATE_LIMITED, 429", "OPERATION_FAILED, 500", "UNAVAILABLE, 503", "SIDECAR_UNREACHABLE, 503"})
  void everyKindHasItsStatus(Kind kind, int status) {
    assertThat(ErrorMappers.status(kind)).isEqualTo(status);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "NO_SAVED_SESSION | Instance has no saved session \u2014 call /connect first",
      "UNAUTHENTICATED | Invalid token",
      "NOT_FOUND | Instance not found",
      "INVALID_INPUT | Invalid request body",
      "SIDECAR_UNREACHABLE | Service temporarily unavailable: sidecar"})
  void factoriesCarryTheContractsMessages(Kind kind, String message) {
    DomainException e = switch (kind) {
      case NO_SAVED_SESSION -> DomainException.noSavedSession();
      case UNAUTHENTICATED -> DomainException.invalidToken();
      case NOT_FOUND -> DomainException.instanceNotFound();
      case INVALID_INPUT -> DomainException.invalidBody();
      case SIDECAR_UNREACHABLE -> DomainException.sidecarUnreachable();
      default -> throw new IllegalArgumentException(kind.name());
    };
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.getMessage()).isEqualTo(message);
  }
}
