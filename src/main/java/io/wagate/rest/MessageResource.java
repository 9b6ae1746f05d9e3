package io.wagate.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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
import io.wagate.Principal;
import io.wagate.health.DatabaseOutage;
import io.wagate.service.DomainException;
import io.wagate.service.Idempotency;
import io.wagate.service.MediaService;
import io.wagate.service.MessageService;
import io.wagate.service.command.MediaRequest;
import io.wagate.service.command.ReactionRequest;
import io.wagate.service.command.TextRequest;

/** RyzeAPI Messages module (docs/MESSAGES.md): text is sent; the other documented sends answer 501 for now. */
@Path("/api/message")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "message")
@APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
@APIResponse(responseCode = "409", ref = "IdempotencyConflict")
@APIResponse(responseCode = "403", ref = ApiDoc.FORBIDDEN)
@APIResponse(responseCode = "413", ref = ApiDoc.TOO_LARGE)
@APIResponse(responseCode = "415", ref = ApiDoc.UNSUPPORTED)
@APIResponse(responseCode = "429", ref = ApiDoc.RATE_LIMITED)
@APIResponse(responseCode = "501", description = ApiDoc.NOT_IMPLEMENTED_CHATS, content = @Content(schema = @Schema(ref = ApiDoc.ERROR),
    example = ApiDoc.ERR + ApiDoc.NOT_IMPLEMENTED + ApiDoc.END))
public class MessageResource {
  private static final String IDEMPOTENCY_PARAM = "idempotencyKey";
  private static final String REFUSED = ApiDoc.ERR + "Failed to send message: server returned error 479" + ApiDoc.END;

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
  @Operation(operationId = "sendText", summary = "Send a text to a one-to-one chat; answers after the WhatsApp server acked it (docs/MESSAGES.md)",
      description = "The outgoing message.exchange and message.status \"sent\" are in the event log before the answer. With the "
          + "Idempotency-Key header (extension) a retry never sends a second message. The other documented routes of the Messages "
          + "module (location, contact, sticker, poll, carousel, button, list, form, pix, status) and of the chat routes (markChatRead, status, "
          + "getMessage, base64) answer 501 \"" + ApiDoc.NOT_IMPLEMENTED + "\" after the usual authentication.")
  @RequestBody(required = true, content = @Content(schema = @Schema(implementation = TextRequest.class),
      example = "{\"number\":\"5511999999999\",\"message\":\"Hello from wagate\"}"))
  @APIResponse(responseCode = "200", description = "The WhatsApp server acked the message (one grey check)", content = @Content(
      schema = @Schema(implementation = MessageBodies.Sent.class), example = "{\"success\":true,\"message\":\"Message sent successfully\","
          + "\"status\":\"sent\",\"data\":{\"messageId\":\"3EB0A1B2C3D4E5F6A7B8C9\",\"messageType\":\"text\",\"content\":\"Hello from wagate\","
          + "\"direction\":\"outgoing\",\"timestamp\":\"2026-11-25T10:05:00Z\",\"source\":\"api\",\"chat\":{\"jid\":\"5511999999999\","
          + "\"lid\":\"123456789012345@lid\",\"type\":\"private\"},\"sender\":{\"jid\":\"5511888888888\",\"lid\":\"987654321098765@lid\"}}}"))
  @APIResponse(responseCode = "400", description = "Invalid body or recipient", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "body", value = ApiDoc.ERR + ApiDoc.INVALID_BODY + ApiDoc.END),
      @ExampleObject(name = "number", value = ApiDoc.ERR + "Number is required" + ApiDoc.END),
      @ExampleObject(name = "phone", value = ApiDoc.ERR + "Invalid phone number" + ApiDoc.END),
      @ExampleObject(name = "unknown", value = ApiDoc.ERR + "Number not registered on WhatsApp" + ApiDoc.END),
      @ExampleObject(name = "text", value = ApiDoc.ERR + "Message is required" + ApiDoc.END),
      @ExampleObject(name = "delay", value = ApiDoc.ERR + "Invalid delay" + ApiDoc.END)}))
  @APIResponse(responseCode = "404", description = "No such instance, or replyTo names a message this instance never saw", content = @Content(
      schema = @Schema(ref = ApiDoc.ERROR), examples = {@ExampleObject(name = "instance", value = ApiDoc.ERR + ApiDoc.INSTANCE_NOT_FOUND + ApiDoc.END),
          @ExampleObject(name = "reply", value = ApiDoc.ERR + "Message not found" + ApiDoc.END)}))
  @APIResponse(responseCode = "500", description = "WhatsApp refused the message, or no server ack in time (delivery uncertain)",
      content = @Content(schema = @Schema(ref = ApiDoc.ERROR), example = REFUSED))
  @APIResponse(responseCode = "503", description = ApiDoc.NOT_CONNECTED_OR_DOWN, content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "notConnected", value = ApiDoc.ERR + ApiDoc.NOT_CONNECTED + ApiDoc.END),
      @ExampleObject(name = "database", value = ApiDoc.ERR + DatabaseOutage.MESSAGE + ApiDoc.END),
      @ExampleObject(name = "sidecar", value = ApiDoc.ERR + ApiDoc.SIDECAR_DOWN + ApiDoc.END)}))
  public Uni<Response> text(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      @Parameter(ref = IDEMPOTENCY_PARAM) @HeaderParam(IDEMPOTENCY_KEY) String key, TextRequest body) {
    Principal p = Principals.require(rc);
    return idempotency.run(p, name, key, "text", body, MessageResource::refusal,
        id -> messages.sendText(p, name, body, id).map(t -> MessageBodies.Sent.of("Message sent successfully", t))).map(MessageResource::answer);
  }

  @POST
  @Path("/reaction/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "sendReaction", summary = "React to a message of a one-to-one chat; \"remove\" (or \"\") clears this account's reaction")
  @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ReactionRequest.class),
      example = "{\"number\":\"5511999999999\",\"messageId\":\"3EB0A1B2C3D4E5F6A7B8C9\",\"reaction\":\"\uD83D\uDC4D\"}"))
  @APIResponse(responseCode = "200", description = "The server acked the reaction; data.messageId is the reaction's own id, data.replyTo.messageId the target",
      content = @Content(schema = @Schema(implementation = MessageBodies.Sent.class), example = "{\"success\":true,\"message\":\"Reaction sent successfully\","
          + "\"status\":\"sent\",\"data\":{\"messageId\":\"3EB0B1B2C3D4E5F6A7B8C9\",\"messageType\":\"reaction\",\"content\":\"\uD83D\uDC4D\","
          + "\"direction\":\"outgoing\",\"timestamp\":\"2026-11-25T10:05:00Z\",\"source\":\"api\",\"chat\":{\"jid\":\"5511999999999\","
          + "\"type\":\"private\"},\"sender\":{\"jid\":\"5511888888888\"},\"replyTo\":{\"messageId\":\"3EB0A1B2C3D4E5F6A7B8C9\"}}}"))
  @APIResponse(responseCode = "400", description = "Invalid body", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "body", value = ApiDoc.ERR + ApiDoc.INVALID_BODY + ApiDoc.END),
      @ExampleObject(name = "number", value = ApiDoc.ERR + "Number is required" + ApiDoc.END),
      @ExampleObject(name = "id", value = ApiDoc.ERR + "messageId is required" + ApiDoc.END),
      @ExampleObject(name = "reaction", value = ApiDoc.ERR + "reaction is required" + ApiDoc.END),
      @ExampleObject(name = "unknown", value = ApiDoc.ERR + "Number not registered on WhatsApp" + ApiDoc.END)}))
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  @APIResponse(responseCode = "500", description = "WhatsApp refused the reaction, or no server ack in time",
      content = @Content(schema = @Schema(ref = ApiDoc.ERROR), example = REFUSED))
  @APIResponse(responseCode = "503", description = ApiDoc.NOT_CONNECTED_OR_DOWN, content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "notConnected", value = ApiDoc.ERR + ApiDoc.NOT_CONNECTED + ApiDoc.END),
      @ExampleObject(name = "sidecar", value = ApiDoc.ERR + ApiDoc.SIDECAR_DOWN + ApiDoc.END)}))
  public Uni<Response> reaction(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      @Parameter(ref = IDEMPOTENCY_PARAM) @HeaderParam(IDEMPOTENCY_KEY) String key, ReactionRequest body) {
    Principal p = Principals.require(rc);
    return idempotency.run(p, name, key, "reaction", body, MessageResource::refusal, id -> messages.sendReaction(p, name, body, id)
        .map(t -> MessageBodies.Sent.of(t.content().isEmpty() ? "Reaction removed successfully" : "Reaction sent successfully", t)))
        .map(MessageResource::answer);
  }

  @POST
  @Path("/media/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "sendMedia", summary = "Send an image, video, audio or document by URL or base64; answers after the WhatsApp server acked it",
      description = "A URL is downloaded (http or https, at most 3 redirects, 60 s, the webhooks' address policy: no loopback, private or link-local "
          + "targets unless wagate.webhooks.allow-private-targets) and streamed up to wagate.media.max-bytes (64 MiB); inline base64 is bounded by "
          + "the 1 MiB request body. The media is encrypted and uploaded to WhatsApp before the message is sent.")
  @RequestBody(required = true, content = @Content(schema = @Schema(implementation = MediaRequest.class),
      example = "{\"number\":\"5511999999999\",\"mediaType\":\"image\",\"mediaUrl\":\"https://example.com/photo.jpg\",\"message\":\"The view\"}"))
  @APIResponse(responseCode = "200", description = "The media was uploaded and the WhatsApp server acked the message",
      content = @Content(schema = @Schema(implementation = MessageBodies.Sent.class)))
  @APIResponse(responseCode = "400", description = "Invalid body, recipient or media", content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "body", value = ApiDoc.ERR + ApiDoc.INVALID_BODY + ApiDoc.END),
      @ExampleObject(name = "number", value = ApiDoc.ERR + "Number is required" + ApiDoc.END),
      @ExampleObject(name = "type", value = ApiDoc.ERR + "mediaType is required" + ApiDoc.END),
      @ExampleObject(name = "badType", value = ApiDoc.ERR + "Invalid mediaType" + ApiDoc.END),
      @ExampleObject(name = "source", value = ApiDoc.ERR + "mediaUrl or mediaBase64 is required" + ApiDoc.END),
      @ExampleObject(name = "both", value = ApiDoc.ERR + "Send either mediaUrl or mediaBase64, not both" + ApiDoc.END),
      @ExampleObject(name = "base64", value = ApiDoc.ERR + "Invalid base64 media" + ApiDoc.END),
      @ExampleObject(name = "size", value = ApiDoc.ERR + "Media too large" + ApiDoc.END),
      @ExampleObject(name = "download", value = ApiDoc.ERR + "Failed to download media: HTTP 404" + ApiDoc.END)}))
  @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
  @APIResponse(responseCode = "500", description = "The upload failed, WhatsApp refused the message, or no server ack in time",
      content = @Content(schema = @Schema(ref = ApiDoc.ERROR), example = REFUSED))
  @APIResponse(responseCode = "503", description = ApiDoc.NOT_CONNECTED_OR_DOWN, content = @Content(schema = @Schema(ref = ApiDoc.ERROR), examples = {
      @ExampleObject(name = "notConnected", value = ApiDoc.ERR + ApiDoc.NOT_CONNECTED + ApiDoc.END),
      @ExampleObject(name = "sidecar", value = ApiDoc.ERR + ApiDoc.SIDECAR_DOWN + ApiDoc.END)}))
  public Uni<Response> media(@Context RoutingContext rc, @Parameter(ref = ApiDoc.INSTANCE) @PathParam("instance") String name,
      @Parameter(ref = IDEMPOTENCY_PARAM) @HeaderParam(IDEMPOTENCY_KEY) String key, MediaRequest body) {
    Principal p = Principals.require(rc);
    return idempotency.run(p, name, key, "media", body, MessageResource::refusal,
        id -> media.sendMedia(p, name, body, id).map(t -> MessageBodies.Sent.of("Message sent successfully", t))).map(MessageResource::answer);
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
  @Operation(hidden = true) // documented as part of sendText: every one of them answers 501
  @Path("/{kind: location|contact|sticker|poll|carousel|button|list|form|pix|status}/{instance}")
  public Uni<Void> notImplemented(@Context RoutingContext rc, @PathParam("instance") String name) {
    return messages.notImplemented(Principals.require(rc), name);
  }
}
