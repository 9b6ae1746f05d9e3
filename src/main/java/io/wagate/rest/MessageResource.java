package io.wagate.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.Principal;
import io.wagate.service.DomainException;
import io.wagate.service.Idempotency;
import io.wagate.service.MediaService;
import io.wagate.service.MessageService;
import io.wagate.service.command.MediaRequest;
import io.wagate.service.command.ReactionRequest;
import io.wagate.service.command.TextRequest;

/** RyzeAPI Messages module (docs/MESSAGES.md): text, media and reactions are sent; the other documented sends answer 501 for now. */
@Path("/api/message")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "message")
public class MessageResource {
  private static final String ERROR = "#/components/schemas/ErrorEnvelope";

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final MessageService messages;
  private final Idempotency idempotency;
  private final MediaService media;

  public MessageResource(MessageService messages, Idempotency idempotency, MediaService media) {
    this.messages = messages;
    this.media = media;
    this.idempotency = idempotency;
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
  public Uni<Response> text(RoutingContext rc, @PathParam("instance") String name, @HeaderParam(IDEMPOTENCY_KEY) String key, TextRequest body) {
    Principal p = Principals.require(rc);
    return idempotency.run(p, name, key, "text", body, MessageResource::refusal,
        id -> messages.sendText(p, name, body, id).map(t -> MessageBodies.Sent.of("Message sent successfully", t))).map(MessageResource::answer);
  }

  @POST
  @Path("/reaction/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "sendReaction", summary = "React to a message of a one-to-one chat; \"remove\" or \"\" clears the reaction")
  public Uni<Response> reaction(RoutingContext rc, @PathParam("instance") String name, @HeaderParam(IDEMPOTENCY_KEY) String key,
      ReactionRequest body) {
    Principal p = Principals.require(rc);
    return idempotency.run(p, name, key, "reaction", body, MessageResource::refusal, id -> messages.sendReaction(p, name, body, id)
        .map(t -> MessageBodies.Sent.of(t.content().isEmpty() ? "Reaction removed successfully" : "Reaction sent successfully", t)))
        .map(MessageResource::answer);
  }

  /** A fresh answer as usual; a stored one as it was, marked {@code Idempotent-Replayed}. */
  private static Response answer(Idempotency.Outcome<MessageBodies.Sent> o) {
    if (!o.replayed()) {
      return Response.ok(o.result(), MediaType.APPLICATION_JSON_TYPE).build();
    }
    return Response.status(o.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(o.body()).header("Idempotent-Replayed", "true").build();
  }

  private static Idempotency.Answer refusal(DomainException e) {
    return new Idempotency.Answer(ErrorMappers.status(e.kind()), ErrorBody.json(e.getMessage()));
  }

  @POST
  @Path("/media/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "sendMedia", summary = "Send an image, video, audio or document by URL or base64; answers after the WhatsApp server acked it")
  public Uni<Response> media(RoutingContext rc, @PathParam("instance") String name, @HeaderParam(IDEMPOTENCY_KEY) String key, MediaRequest body) {
    Principal p = Principals.require(rc);
    return idempotency.run(p, name, key, "media", body, MessageResource::refusal,
        id -> media.sendMedia(p, name, body, id).map(t -> MessageBodies.Sent.of("Message sent successfully", t))).map(MessageResource::answer);
  }

  @POST
  @Operation(hidden = true) // documented as part of sendText: every one of them answers 501
  @Path("/{kind: location|contact|sticker|poll|carousel|button|list|form|pix|status}/{instance}")
  public Uni<Void> notImplemented(RoutingContext rc, @PathParam("instance") String name) {
    return messages.notImplemented(Principals.require(rc), name);
  }
}
