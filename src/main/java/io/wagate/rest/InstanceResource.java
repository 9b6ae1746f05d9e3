package io.wagate.rest;

import java.util.Arrays;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.service.ConfigService;
import io.wagate.service.DomainException;
import io.wagate.service.InstanceService;
import io.wagate.service.LifecycleService;
import io.wagate.service.command.CreateInstanceRequest;
import io.wagate.service.command.Patterns;

/** RyzeAPI Instance module: lifecycle routes (docs/API.md, sections 2.1 to 2.6). */
@Path("/api/instance")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "instance")
@APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
@APIResponse(responseCode = "429", ref = ApiDoc.RATE_LIMITED)
@APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
public class InstanceResource {
  private static final String TOKEN = "3f1c9e0a-5b7d-4c2e-9a8f-1d2e3f4a5b6c";

  private final InstanceService instances;
  private final LifecycleService lifecycle;
  private final ConfigService configs;

  public InstanceResource(InstanceService instances, LifecycleService lifecycle, ConfigService configs) {
    this.instances = instances;
    this.lifecycle = lifecycle;
    this.configs = configs;
  }

  @POST
  @Path("/new")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "createInstance", summary = "Create an instance (TokenAccount only; own bucket of 20/min)")
  @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CreateInstanceRequest.class),
      example = "{\"name\":\"my-instance\",\"webhookEnabled\":true,\"webhookURL\":\"https://example.com/hook\"}"))
  @APIResponse(responseCode = "201", description = "Instance created", content = @Content(schema = @Schema(implementation = InstanceBodies.Created.class),
      example = "{\"success\":true,\"message\":\"Instance created\",\"instance\":{\"name\":\"my-instance\",\"token\":\"" + TOKEN + "\","
          + "\"status\":\"disconnected\"},\"data\":{\"token\":\"" + TOKEN + "\"},\"webhook\":{\"label\":\"default\",\"enabled\":true,"
          + "\"url\":\"https://example.com/hook\",\"byEvents\":false,\"events\":[],\"mediaBase64\":false}}"))
  @APIResponse(responseCode = "400", description = "Invalid body or name", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "body", value = ApiDoc.ERR + ApiDoc.INVALID_BODY + ApiDoc.END),
      @ExampleObject(name = "nameRequired", value = ApiDoc.ERR + "Instance name is required" + ApiDoc.END),
      @ExampleObject(name = "nameInvalid", value = ApiDoc.ERR + "Invalid instance name" + ApiDoc.END),
      @ExampleObject(name = "tokenTooShort", value = ApiDoc.ERR + InstanceService.TOKEN_TOO_SHORT + ApiDoc.END)}))
  @APIResponse(responseCode = "403", description = "Quota exhausted", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "Account instance quota exceeded" + ApiDoc.END))
  @APIResponse(responseCode = "409", description = "Duplicate", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "name", value = ApiDoc.ERR + "Instance name already exists" + ApiDoc.END),
      @ExampleObject(name = "token", value = ApiDoc.ERR + "Instance token already in use" + ApiDoc.END)}))
  @APIResponse(responseCode = "413", ref = ApiDoc.TOO_LARGE)
  @APIResponse(responseCode = "415", ref = ApiDoc.UNSUPPORTED)
  public Uni<Response> create(@Context RoutingContext rc, CreateInstanceRequest body) {
    return instances.create(Principals.require(rc), body).map(c -> Response.status(201).entity(InstanceBodies.Created.of(c)).build());
  }

  @GET
  @Path("/connect/{instance}")
  @Operation(operationId = "connectInstance", summary = "Start pairing (QR, or pairing code with ?number=); waits at most 60 s for the first code")
  @APIResponse(responseCode = "200", description = "A code, or the current state", content = @Content(schema = @Schema(name = "ConnectResponse",
      type = SchemaType.OBJECT, requiredProperties = {"success", "status"}, properties = {
          @SchemaProperty(name = "success", type = SchemaType.BOOLEAN, enumeration = "true"),
          @SchemaProperty(name = "message", type = SchemaType.STRING),
          @SchemaProperty(name = "qrCode", type = SchemaType.STRING),
          @SchemaProperty(name = "qrCodeBase64", type = SchemaType.STRING, description = "data:image/png;base64,..."),
          @SchemaProperty(name = "pairingCode", type = SchemaType.STRING),
          @SchemaProperty(name = "status", type = SchemaType.STRING, enumeration = {"qr", "pairing", "connected", "connecting"})}), examples = {
              @ExampleObject(name = "qr", value = "{\"success\":true,\"message\":\"QR code generated\",\"qrCode\":\"2@AbC...,xyz...,abc...,def...\","
                  + "\"qrCodeBase64\":\"data:image/png;base64,iVBORw0KGgo=\",\"status\":\"qr\"}"),
              @ExampleObject(name = "pairingCode", value = "{\"success\":true,\"message\":\"Pairing code generated\",\"pairingCode\":\"ABCD-EFGH\","
                  + "\"status\":\"pairing\"}"),
              @ExampleObject(name = "connected", value = "{\"success\":true,\"message\":\"Instance already connected\",\"status\":\"connected\"}"),
              @ExampleObject(name = "reconnect", value = "{\"success\":true,\"message\":\"Reconnect initiated\",\"status\":\"connecting\"}")}))
  @APIResponse(responseCode = "400", description = "Invalid query", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "number", value = ApiDoc.ERR + "Invalid phone number" + ApiDoc.END),
      @ExampleObject(name = "history", value = ApiDoc.ERR + "Invalid history value" + ApiDoc.END)}))
  @APIResponse(responseCode = "403", ref = ApiDoc.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  @APIResponse(responseCode = "500", description = "The pairing could not start", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "Failed to connect: timed out waiting for QR code" + ApiDoc.END))
  public Uni<Object> connect(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      @Parameter(description = "Phone number (digits, 8-15) to get a pairing code instead of a QR code", schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9]{8,15}$"))
      @QueryParam("number") String number,
      @Parameter(description = "Days of history to sync (1-365)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "365"))
      @QueryParam("history") String history) {
    // `?number=` is a phone number that is wrong, not an absent one: REST would hand it over as null
    String given = number == null && rc.request().params().contains("number") ? "" : number;
    return lifecycle.connect(Principals.require(rc), name, given, history).map(LifecycleBodies::connected);
  }

  /** The body is accepted and ignored, whatever its type. */
  @POST
  @Path("/reconnect/{instance}")
  @Consumes(MediaType.WILDCARD)
  @Operation(operationId = "reconnectInstance", summary = "Reconnect with the saved session (no QR); the body is ignored")
  @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
      schema = @Schema(type = SchemaType.OBJECT, description = "Accepted and ignored")))
  @APIResponse(responseCode = "200", description = "Reconnect started, or already connected", content = @Content(
      schema = @Schema(implementation = LifecycleBodies.Status.class), examples = {
          @ExampleObject(name = "started", value = "{\"success\":true,\"message\":\"Reconnect initiated\",\"status\":\"connecting\"}"),
          @ExampleObject(name = "connected", value = "{\"success\":true,\"message\":\"Instance already connected\",\"status\":\"connected\"}")}))
  @APIResponse(responseCode = "400", description = "No saved session", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + DomainException.NO_SAVED_SESSION_MESSAGE + ApiDoc.END))
  @APIResponse(responseCode = "403", ref = ApiDoc.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  @APIResponse(responseCode = "500", description = "The connect call failed", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "Failed to reconnect: sidecar unavailable" + ApiDoc.END))
  public Uni<LifecycleBodies.Status> reconnect(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name) {
    return lifecycle.reconnect(Principals.require(rc), name).map(LifecycleBodies::resumed);
  }

  @GET
  @Path("/list")
  @Operation(operationId = "listInstances", summary = "List the caller's instances (a TokenInstance sees only its own)")
  @APIResponse(responseCode = "200", description = "Instances found", content = @Content(schema = @Schema(implementation = InstanceBodies.Listing.class),
      example = "{\"success\":true,\"message\":\"1 Instance found\",\"instances\":[{\"name\":\"my-instance\",\"token\":\"" + TOKEN + "\","
          + "\"createdAt\":\"2026-11-25T10:00:00Z\",\"connection\":{\"state\":\"connected\",\"numberJid\":\"5511999999999@s.whatsapp.net\","
          + "\"presenceStatus\":\"available\",\"displayStatus\":\"Connected\",\"lastError\":null,\"since\":\"2026-11-25T10:01:02Z\"},"
          + "\"profile\":{\"name\":\"Ana\",\"pictureUrl\":\"\",\"isBusiness\":false,\"businessName\":\"\"},"
          + "\"webhook\":{\"label\":\"default\",\"enabled\":false},\"websocket\":{\"enabled\":false,\"events\":[],\"mediaBase64\":false},"
          + "\"proxy\":{\"enabled\":false},\"settings\":{\"autoRejectCalls\":false,\"callRejectMessage\":\"\",\"ignoreGroupMessages\":false,"
          + "\"keepOnlineStatus\":false,\"autoReadMessages\":false,\"disableHistorySync\":true,\"ignoreStatus\":false},\"s3\":{\"enabled\":false}}]}"))
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  public Uni<InstanceBodies.Listing> list(@Context RoutingContext rc,
      @Parameter(description = "One name or a comma-separated list (TokenAccount only)") @QueryParam("instanceName") String instanceName) {
    List<String> names = instanceName == null || instanceName.isBlank() ? List.of()
        : Arrays.stream(instanceName.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    return configs.list(Principals.require(rc), names).map(InstanceBodies.Listing::of);
  }

  @DELETE
  @Path("/logout/{instance}")
  @Operation(operationId = "logoutInstance", summary = "Unlink the device; the instance and its configuration stay")
  @APIResponse(responseCode = "200", description = "Logged out (also when there was no session)", content = @Content(
      schema = @Schema(implementation = LifecycleBodies.Stopped.class),
      example = "{\"success\":true,\"message\":\"Instance logged out\",\"instance\":{\"status\":\"loggedout\"}}"))
  @APIResponse(responseCode = "403", ref = ApiDoc.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  @APIResponse(responseCode = "500", description = "Logout failed", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "Failed to logout instance" + ApiDoc.END))
  public Uni<LifecycleBodies.Stopped> logout(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name) {
    return lifecycle.logout(Principals.require(rc), name).map(v -> LifecycleBodies.loggedOut());
  }

  @DELETE
  @Path("/delete/{instance}")
  @Operation(operationId = "deleteInstance", summary = "Delete the instance and everything it owns (TokenAccount only)")
  @APIResponse(responseCode = "200", description = "Deleted", content = @Content(schema = @Schema(implementation = LifecycleBodies.Stopped.class),
      example = "{\"success\":true,\"message\":\"Instance deleted\",\"instance\":{\"status\":\"deleted\"}}"))
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  @APIResponse(responseCode = "500", description = "Delete failed", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "Failed to delete instance: sidecar unavailable" + ApiDoc.END))
  public Uni<LifecycleBodies.Stopped> delete(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name) {
    return lifecycle.delete(Principals.require(rc), name).map(v -> LifecycleBodies.deleted());
  }
}
