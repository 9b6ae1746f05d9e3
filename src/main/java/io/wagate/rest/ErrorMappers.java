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
import io.wagate.client.SidecarUnavailableException;
import io.wagate.health.DatabaseOutage;

/** Turns every failure that reaches Quarkus REST into the error envelope; nothing else writes error bodies. */
public class ErrorMappers {
  private final DatabaseOutage database;

  public ErrorMappers(DatabaseOutage database) {
    this.database = database;
  }

  @ServerExceptionMapper
  public Response api(ApiException e) {
    return ErrorBody.response(e.status(), e.getMessage());
  }

  @ServerExceptionMapper
  public Response sidecarDown(SidecarUnavailableException e) {
    return ErrorBody.response(503, "Service temporarily unavailable: sidecar");
  }

  /** The breaker or the timeout of SidecarClient gave up: the sidecar is as good as unreachable. */
  @ServerExceptionMapper({CircuitBreakerOpenException.class, TimeoutException.class})
  public Response sidecarGaveUp(Exception e) {
    return ErrorBody.response(503, "Service temporarily unavailable: sidecar");
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
    if (cause instanceof ApiException api) {
      return api(api);
    }
    if (cause instanceof SidecarUnavailableException || cause instanceof CircuitBreakerOpenException || cause instanceof TimeoutException) {
      return ErrorBody.response(503, "Service temporarily unavailable: sidecar");
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
