package io.wagate.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.service.ConfigService;
import io.wagate.service.command.ProxyRequest;
import io.wagate.service.command.S3Request;
import io.wagate.service.command.SettingsRequest;

/** RyzeAPI Instance module: settings, proxy and S3 (docs/API.md, sections 2.7 to 2.9). */
@Path("/api/instance")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "instance")
@APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = ApiDoc.FORBIDDEN)
@APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
@APIResponse(responseCode = "429", ref = ApiDoc.RATE_LIMITED)
@APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
public class InstanceConfigResource {
  private static final String SETTINGS = "\"settings\":{\"autoRejectCalls\":false,\"callRejectMessage\":\"\",\"ignoreGroupMessages\":false,"
      + "\"keepOnlineStatus\":%s,\"autoReadMessages\":false,\"disableHistorySync\":true,\"ignoreStatus\":false}}";
  private static final String PROXY = "\"proxy\":{\"enabled\":true,\"host\":\"proxy.example.com\",\"port\":\"1080\",\"protocol\":\"socks5\","
      + "\"username\":\"user1\"";
  private static final String S3 = "\"s3\":{\"enabled\":true,\"region\":\"us-east-1\",\"bucket\":\"media\",\"accessKey\":\"AKIAEXAMPLE\",";
  private static final String S3_END = "\"endpoint\":\"https://s3.example.com\",\"pathPrefix\":\"wagate/\"}";

  private final ConfigService configs;

  public InstanceConfigResource(ConfigService configs) {
    this.configs = configs;
  }

  @GET
  @Path("/getSettings/{instance}")
  @Operation(operationId = "getSettings")
  @APIResponse(responseCode = "200", description = "The seven settings", content = @Content(schema = @Schema(implementation = ConfigBodies.Settings.class),
      example = "{\"success\":true,\"message\":\"Settings retrieved successfully\"," + "\"settings\":{\"autoRejectCalls\":false,\"callRejectMessage\":\"\","
          + "\"ignoreGroupMessages\":false,\"keepOnlineStatus\":false,\"autoReadMessages\":false,\"disableHistorySync\":true,\"ignoreStatus\":false}}"))
  @APIResponse(responseCode = "500", description = "Read failed", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "Failed to get settings configuration" + ApiDoc.END))
  public Uni<ConfigBodies.Settings> getSettings(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name) {
    return configs.getSettings(Principals.require(rc), name).map(s -> ConfigBodies.Settings.of("Settings retrieved successfully", s));
  }

  @POST
  @Path("/settings/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "updateSettings", summary = "Partial update; absent fields keep their value")
  @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SettingsRequest.class), example = "{\"keepOnlineStatus\":true}"))
  @APIResponse(responseCode = "200", description = "All seven settings after the update", content = @Content(
      schema = @Schema(implementation = ConfigBodies.Settings.class), example = "{\"success\":true,\"message\":\"Settings updated successfully\","
          + "\"settings\":{\"autoRejectCalls\":false,\"callRejectMessage\":\"\",\"ignoreGroupMessages\":false,\"keepOnlineStatus\":true,"
          + "\"autoReadMessages\":false,\"disableHistorySync\":true,\"ignoreStatus\":false}}"))
  @APIResponse(responseCode = "400", description = "Invalid body", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "body", value = ApiDoc.ERR + ApiDoc.INVALID_BODY + ApiDoc.END),
      @ExampleObject(name = "empty", value = ApiDoc.ERR + "At least one setting must be provided" + ApiDoc.END)}))
  @APIResponse(responseCode = "413", ref = ApiDoc.TOO_LARGE)
  @APIResponse(responseCode = "415", ref = ApiDoc.UNSUPPORTED)
  @APIResponse(responseCode = "500", description = "Update failed", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "Failed to update settings configuration" + ApiDoc.END))
  public Uni<ConfigBodies.Settings> settings(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      SettingsRequest body) {
    return configs.updateSettings(Principals.require(rc), name, body).map(s -> ConfigBodies.Settings.of("Settings updated successfully", s));
  }

  @GET
  @Path("/getProxy/{instance}")
  @Operation(operationId = "getProxy")
  @APIResponse(responseCode = "200", description = "The proxy (never its password)", content = @Content(
      schema = @Schema(implementation = ConfigBodies.Proxy.class), examples = {
          @ExampleObject(name = "set", value = "{\"success\":true,\"message\":\"Proxy configuration retrieved successfully\"," + PROXY + "}}"),
          @ExampleObject(name = "none", value = "{\"success\":true,\"message\":\"Proxy configuration retrieved successfully\","
              + "\"proxy\":{\"enabled\":false,\"host\":null,\"port\":null,\"protocol\":null,\"username\":null}}")}))
  public Uni<ConfigBodies.Proxy> getProxy(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name) {
    return configs.getProxy(Principals.require(rc), name).map(p -> ConfigBodies.Proxy.of("Proxy configuration retrieved successfully", p));
  }

  @POST
  @Path("/proxy/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "updateProxy", summary = "Replace the proxy; applies at the next connect or reconnect")
  @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ProxyRequest.class),
      example = "{\"enabled\":true,\"host\":\"proxy.example.com\",\"port\":\"1080\",\"protocol\":\"socks5\",\"username\":\"user1\",\"password\":\"secret\"}"))
  @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = ConfigBodies.Proxy.class),
      example = "{\"success\":true,\"message\":\"Proxy configuration updated\"," + PROXY + "}}"))
  @APIResponse(responseCode = "400", description = "Invalid body or proxy", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "body", value = ApiDoc.ERR + ApiDoc.INVALID_BODY + ApiDoc.END),
      @ExampleObject(name = "port", value = ApiDoc.ERR + "Invalid proxy configuration: port" + ApiDoc.END)}))
  @APIResponse(responseCode = "413", ref = ApiDoc.TOO_LARGE)
  @APIResponse(responseCode = "415", ref = ApiDoc.UNSUPPORTED)
  @APIResponse(responseCode = "500", description = "Update failed", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "Failed to update proxy configuration" + ApiDoc.END))
  public Uni<ConfigBodies.Proxy> proxy(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      ProxyRequest body) {
    return configs.updateProxy(Principals.require(rc), name, body).map(p -> ConfigBodies.Proxy.of("Proxy configuration updated", p));
  }

  @GET
  @Path("/getS3/{instance}")
  @Operation(operationId = "getS3")
  @APIResponse(responseCode = "200", description = "The S3 configuration (secretKey always null)", content = @Content(
      schema = @Schema(implementation = ConfigBodies.S3Read.class), example = "{\"success\":true," + S3 + "\"secretKey\":null," + S3_END + "}"))
  @APIResponse(responseCode = "500", description = "Read failed", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "Failed to get S3 configuration" + ApiDoc.END))
  public Uni<ConfigBodies.S3Read> getS3(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name) {
    return configs.getS3(Principals.require(rc), name).map(ConfigBodies.S3Read::of);
  }

  @POST
  @Path("/s3/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "updateS3", summary = "Replace the S3 configuration; enabled false deletes the stored credentials")
  @RequestBody(required = true, content = @Content(schema = @Schema(implementation = S3Request.class),
      example = "{" + S3 + "\"secretKey\":\"secret\"," + S3_END + "}"))
  @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = ConfigBodies.S3Updated.class),
      example = "{\"success\":true,\"message\":\"S3 configuration updated\"," + S3 + S3_END + "}"))
  @APIResponse(responseCode = "400", ref = ApiDoc.INVALID_BODY_RESPONSE)
  @APIResponse(responseCode = "413", ref = ApiDoc.TOO_LARGE)
  @APIResponse(responseCode = "415", ref = ApiDoc.UNSUPPORTED)
  @APIResponse(responseCode = "500", description = "Update failed", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "Failed to update S3 configuration" + ApiDoc.END))
  public Uni<ConfigBodies.S3Updated> s3(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      S3Request body) {
    return configs.updateS3(Principals.require(rc), name, body).map(ConfigBodies.S3Updated::of);
  }
}
