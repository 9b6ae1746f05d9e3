package io.wagate.rest;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.vertx.core.json.JsonObject;

/** The one error envelope: {@code {"success": false, "error": {"message": "..."}}}. */
public final class ErrorBody {
  private ErrorBody() {
  }

  public static Map<String, Object> of(String message) {
    return Map.of("success", false, "error", Map.of("message", message));
  }

  public static String json(String message) {
    return new JsonObject().put("success", false).put("error", new JsonObject().put("message", message)).encode();
  }

  public static Response response(int status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(of(message)).build();
  }
}
