package io.wagate.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.service.MessageService;
import io.wagate.service.command.TextRequest;

/** RyzeAPI Messages module (docs/MESSAGES.md): text is sent; the other documented sends answer 501 for now. */
@Path("/api/message")
@Produces(MediaType.APPLICATION_JSON)
public class MessageResource {
  private final MessageService messages;

  public MessageResource(MessageService messages) {
    this.messages = messages;
  }

  @POST
  @Path("/text/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<MessageBodies.Sent> text(RoutingContext rc, @PathParam("instance") String name, TextRequest body) {
    return messages.sendText(Principals.require(rc), name, body).map(MessageBodies.Sent::of);
  }

  @POST
  @Path("/{kind: media|reaction|location|contact|sticker|poll|carousel|button|list|form|pix|status}/{instance}")
  public Uni<Void> notImplemented(RoutingContext rc, @PathParam("instance") String name) {
    return messages.notImplemented(Principals.require(rc), name);
  }
}
