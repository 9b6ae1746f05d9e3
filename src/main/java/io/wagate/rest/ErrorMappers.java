package io.wagate.rest;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.CompositeException;
import io.wagate.client.SidecarErrors;
import io.wagate.client.SidecarUnavailableException;
import io.wagate.health.DatabaseOutage;
import io.wagate.service.DomainException;

/** Turns every failure that reaches Quarkus REST into the error envelope; nothing else writes error bodies. */
public class ErrorMappers {
  private final DatabaseOutage database;

  public ErrorMappers(DatabaseOutage database) {
    this.database = database;
  }

  /** The one place a domain kind becomes an HTTP status (docs/API.md lists the status of every message). */
  public static int status(DomainException.Kind kind) {
    return switch (kind) {
      case INVALID_INPUT, NO_SAVED_SESSION -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case RATE_LIMITED -> 429;
      case OPERATION_FAILED -> 500;
      case NOT_IMPLEMENTED -> 501;
      case UNAVAILABLE, SIDECAR_UNREACHABLE, NOT_CONNECTED -> 503;
    };
  }

  @ServerExceptionMapper
  public Response api(DomainException e) {
    return ErrorBody.response(status(e.kind()), e.getMessage());
  }

  /** What {@link SidecarErrors#unreachable} calls unreachable (refused, timed out, breaker open) → 503. */
  @ServerExceptionMapper({SidecarUnavailableException.class, CircuitBreakerOpenException.class, TimeoutException.class})
  public Response sidecarUnreachable(Exception e) {
    return api(DomainException.sidecarUnreachable());
  }

  @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
  public Response json(Exception e) {
    return ErrorBody.response(400, "Invalid request body");
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return ErrorBody.response(404, "Not found");
  }

  /** RFC 9110 §15.5.6: a 405 names the methods the resource does support. */
  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e, UriInfo uri) {
    Response response = ErrorBody.response(405, "Method not allowed");
    String path = uri.getPath();
    String allow = Routes.allowed(path.startsWith("/") ? path : "/" + path);
    if (!allow.isEmpty()) {
      response.getHeaders().putSingle(HttpHeaders.ALLOW, allow);
    }
    return response;
  }

  @ServerExceptionMapper
  public Response unsupported(NotSupportedException e) {
    return ErrorBody.response(415, "Unsupported media type");
  }

  @ServerExceptionMapper
  public Response notAcceptable(NotAcceptableException e) {
    return ErrorBody.response(406, "Not acceptable");
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
    if (status == 400) {
      // Quarkus REST raises a bare 400 for bodies it cannot read (wrong types, malformed JSON)
      return ErrorBody.response(400, "Invalid request body");
    }
    return ErrorBody.response(status, status >= 500 ? "Internal server error" : Response.Status.fromStatusCode(status) == null
        ? "Request failed" : Response.Status.fromStatusCode(status).getReasonPhrase());
  }

  @ServerExceptionMapper
  public Response composite(CompositeException e) {
    Throwable cause = e.getCauses().isEmpty() ? e : e.getCauses().get(0);
    if (cause instanceof DomainException api) {
      return api(api);
    }
    if (SidecarErrors.unreachable(cause)) {
      return api(DomainException.sidecarUnreachable());
    }
    return other(cause);
  }

  @ServerExceptionMapper(priority = 10_000)
  public Response other(Throwable e) {
    if (database.failed("request", e)) {
      return ErrorBody.response(503, DatabaseOutage.MESSAGE);
    }
    Log.errorf(e, "Unhandled failure: %s", e.getClass().getSimpleName());
    return ErrorBody.response(500, "Internal server error");
  }
}
