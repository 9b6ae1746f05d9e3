package io.wagate.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.wagate.service.MessageService;
import io.wagate.service.command.MarkReadRequest;

/** RyzeAPI Chat module routes that belong to messaging (docs/MESSAGES.md): markRead, and 501 for the ones not offered yet. */
@Path("/api/chat")
@Produces(MediaType.APPLICATION_JSON)
public class ChatResource {
  private final MessageService messages;

  public ChatResource(MessageService messages) {
    this.messages = messages;
  }

  @POST
  @Path("/markRead/{instance}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(operationId = "markRead", summary = "Send the read receipt (blue checks) for one message")
  public Uni<MessageBodies.MarkedRead> markRead(RoutingContext rc, @PathParam("instance") String name, MarkReadRequest body) {
    return messages.markRead(Principals.require(rc), name, body).map(chat -> MessageBodies.MarkedRead.of(body.messageId(), chat));
  }

  @POST
  @Operation(hidden = true) // 501 until implemented, see sendText's description
  @Path("/{kind: markChatRead}/{instance}")
  public Uni<Void> notImplementedPost(RoutingContext rc, @PathParam("instance") String name) {
    return messages.notImplemented(Principals.require(rc), name);
  }

  @GET
  @Operation(hidden = true) // 501 until implemented, see sendText's description
  @Path("/{kind: status|getMessage|base64}/{instance}")
  public Uni<Void> notImplementedGet(RoutingContext rc, @PathParam("instance") String name) {
    return messages.notImplemented(Principals.require(rc), name);
  }
}
