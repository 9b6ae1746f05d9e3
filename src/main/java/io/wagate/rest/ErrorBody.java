package io.wagate.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.json.JsonObject;

/** The one error envelope: {@code {"success": false, "error": {"message": "..."}}}. */
public final class ErrorBody {
  private ErrorBody() {
  }

  @RegisterForReflection
  @Schema(name = ApiDoc.ERROR, additionalProperties = Schema.False.class)
  public record Envelope(@Schema(required = true, enumeration = "false") boolean success, @Schema(required = true) Message error) {
  }

  @RegisterForReflection
  @Schema(name = "ErrorMessage", additionalProperties = Schema.False.class)
  public record Message(@Schema(required = true) String message) {
  }

  public static Envelope of(String message) {
    return new Envelope(false, new Message(message));
  }

  public static String json(String message) {
    return new JsonObject().put("success", false).put("error", new JsonObject().put("message", message)).encode();
  }

  public static Response response(int status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(of(message)).build();
  }
}
