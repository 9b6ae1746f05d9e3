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
import io.wagate.service.MessageService;
import io.wagate.service.command.MarkReadRequest;

/** RyzeAPI Chat module routes that belong to messaging (docs/MESSAGES.md): markRead, and 501 for the ones not offered yet. */
@Path("/api/chat")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "message")
public class ChatResource {
  private final MessageService messages;

  public ChatResource(MessageService messages) {
    this.messages = messages;
  }

  @POST
  @Path("/markRead/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "markRead", summary = "Send the read receipt (blue checks) for one message; an unknown messageId is not an error")
  @RequestBody(required = true, content = @Content(schema = @Schema(implementation = MarkReadRequest.class),
      example = "{\"messageId\":\"3EB0A1B2C3D4E5F6A7B8C9\",\"number\":\"5511999999999\"}"))
  @APIResponse(responseCode = "200", description = "The receipt was sent", content = @Content(schema = @Schema(implementation = MessageBodies.MarkedRead.class),
      example = "{\"success\":true,\"message\":\"Message marked as read successfully\",\"message_id\":\"3EB0A1B2C3D4E5F6A7B8C9\","
          + "\"chat_jid\":\"5511999999999@s.whatsapp.net\"}"))
  @APIResponse(responseCode = "400", description = "Invalid body", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "body", value = ApiDoc.ERR + ApiDoc.INVALID_BODY + ApiDoc.END),
      @ExampleObject(name = "id", value = ApiDoc.ERR + "messageId is required" + ApiDoc.END),
      @ExampleObject(name = "number", value = ApiDoc.ERR + "Number is required" + ApiDoc.END),
      @ExampleObject(name = "phone", value = ApiDoc.ERR + "Invalid phone number" + ApiDoc.END)}))
  @APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
  @APIResponse(responseCode = "403", ref = ApiDoc.FORBIDDEN)
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  @APIResponse(responseCode = "413", ref = ApiDoc.TOO_LARGE)
  @APIResponse(responseCode = "415", ref = ApiDoc.UNSUPPORTED)
  @APIResponse(responseCode = "429", ref = ApiDoc.RATE_LIMITED)
  @APIResponse(responseCode = "500", description = "The sidecar could not send the receipt", content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + "Failed to mark message as read: <reason>" + ApiDoc.END))
  @APIResponse(responseCode = "501", description = ApiDoc.NOT_IMPLEMENTED_CHATS, content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
      example = ApiDoc.ERR + ApiDoc.NOT_IMPLEMENTED + ApiDoc.END))
  @APIResponse(responseCode = "503", description = ApiDoc.NOT_CONNECTED_OR_DOWN, content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "notConnected", value = ApiDoc.ERR + ApiDoc.NOT_CONNECTED + ApiDoc.END),
      @ExampleObject(name = "sidecar", value = ApiDoc.ERR + ApiDoc.SIDECAR_DOWN + ApiDoc.END)}))
  public Uni<MessageBodies.MarkedRead> markRead(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      MarkReadRequest body) {
    return messages.markRead(Principals.require(rc), name, body).map(chat -> MessageBodies.MarkedRead.of(body.messageId(), chat));
  }

  @POST
  @Operation(hidden = true) // 501 until implemented, see sendText's description
  @Path("/{kind: markChatRead}/{instance}")
  public Uni<Void> notImplementedPost(@Context RoutingContext rc, @PathParam("instance") String name) {
    return messages.notImplemented(Principals.require(rc), name);
  }

  @GET
  @Operation(hidden = true) // 501 until implemented, see sendText's description
  @Path("/{kind: status|getMessage|base64}/{instance}")
  public Uni<Void> notImplementedGet(@Context RoutingContext rc, @PathParam("instance") String name) {
    return messages.notImplemented(Principals.require(rc), name);
  }
}
