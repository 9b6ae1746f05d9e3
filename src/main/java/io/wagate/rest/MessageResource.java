package io.wagate.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.service.MessageService;
import io.wagate.service.command.ReactionRequest;
import io.wagate.service.command.TextRequest;

/** RyzeAPI Messages module (docs/MESSAGES.md): text is sent; the other documented sends answer 501 for now. */
@Path("/api/message")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "message")
public class MessageResource {
  private static final String ERROR = "#/components/schemas/ErrorEnvelope";

  private final MessageService messages;

  public MessageResource(MessageService messages) {
    this.messages = messages;
  }

  @POST
  @Path("/text/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "sendText", summary = "Send a text to a one-to-one chat; answers after the WhatsApp server acked it")
  @APIResponse(responseCode = "200", description = "The WhatsApp server acked the message",
      content = @Content(schema = @Schema(implementation = MessageBodies.Sent.class)))
  @APIResponse(responseCode = "400", description = "Invalid body or recipient", content = @Content(schema = @Schema(ref = ERROR), examples = {
      @ExampleObject(name = "number", value = "{\"success\":false,\"error\":{\"message\":\"Number is required\"}}"),
      @ExampleObject(name = "phone", value = "{\"success\":false,\"error\":{\"message\":\"Invalid phone number\"}}"),
      @ExampleObject(name = "unknown", value = "{\"success\":false,\"error\":{\"message\":\"Number not registered on WhatsApp\"}}"),
      @ExampleObject(name = "text", value = "{\"success\":false,\"error\":{\"message\":\"Message is required\"}}"),
      @ExampleObject(name = "delay", value = "{\"success\":false,\"error\":{\"message\":\"Invalid delay\"}}")}))
  @APIResponse(responseCode = "404", description = "No such instance, or replyTo names a message it never saw",
      content = @Content(schema = @Schema(ref = ERROR), examples = @ExampleObject(name = "reply", value = "{\"success\":false,\"error\":{\"message\":\"Message not found\"}}")))
  @APIResponse(responseCode = "500", description = "WhatsApp refused the message or never acked it", content = @Content(schema = @Schema(ref = ERROR),
      examples = @ExampleObject(name = "refused", value = "{\"success\":false,\"error\":{\"message\":\"Failed to send message: server returned error 479\"}}")))
  @APIResponse(responseCode = "501", description = "Groups, newsletters and status broadcast", content = @Content(schema = @Schema(ref = ERROR),
      examples = @ExampleObject(name = "group", value = "{\"success\":false,\"error\":{\"message\":\"Not implemented in wagate yet\"}}")))
  @APIResponse(responseCode = "503", description = "The instance is not connected, or the sidecar is down", content = @Content(schema = @Schema(ref = ERROR),
      examples = @ExampleObject(name = "notConnected", value = "{\"success\":false,\"error\":{\"message\":\"Instance is not connected to WhatsApp\"}}")))
  public Uni<MessageBodies.Sent> text(RoutingContext rc, @PathParam("instance") String name, TextRequest body) {
    return messages.sendText(Principals.require(rc), name, body).map(t -> MessageBodies.Sent.of("Message sent successfully", t));
  }

  @POST
  @Path("/reaction/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "sendReaction", summary = "React to a message of a one-to-one chat; \"remove\" or \"\" clears the reaction")
  public Uni<MessageBodies.Sent> reaction(RoutingContext rc, @PathParam("instance") String name, ReactionRequest body) {
    return messages.sendReaction(Principals.require(rc), name, body)
        .map(t -> MessageBodies.Sent.of(t.content().isEmpty() ? "Reaction removed successfully" : "Reaction sent successfully", t));
  }

  @POST
  @Operation(hidden = true) // documented as part of sendText: every one of them answers 501
  @Path("/{kind: media|location|contact|sticker|poll|carousel|button|list|form|pix|status}/{instance}")
  public Uni<Void> notImplemented(RoutingContext rc, @PathParam("instance") String name) {
    return messages.notImplemented(Principals.require(rc), name);
  }
}
