package io.wagate.service;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.wagate.Instance;
import io.wagate.MessageEvent;
import io.wagate.InstanceState;
import io.wagate.Principal;
import io.wagate.SentMessage;
import io.wagate.client.SidecarCallException;
import io.wagate.client.SidecarClient;
import io.wagate.mapping.MessageMapper;
import io.wagate.repository.EventRepository;
import io.wagate.service.command.MarkReadRequest;
import io.wagate.service.command.ReactionRequest;
import io.wagate.service.command.TextRequest;

/** The Messages module (docs/MESSAGES.md): sends through the sidecar and the echo of each send in the event log. */
@ApplicationScoped
public class MessageService {
  static final int MAX_TEXT = 65_536;
  static final int MAX_SOURCE = 100;
  static final int MAX_DELAY_SECONDS = 60;

  private final InstanceService instanceService;
  private final SidecarClient sidecar;
  private final StateRecorder recorder;
  private final EventRepository events;
  private final SendsInFlight inFlight;

  /** A send the server acked, with what the answer repeats of the request ({@code replyTo}: the quoted or reacted-to id). */
  public record Sent(SentMessage sent, String type, String content, String source, String replyTo) {
  }

  public MessageService(InstanceService instanceService, SidecarClient sidecar, StateRecorder recorder, EventRepository events, SendsInFlight inFlight) {
    this.events = events;
    this.inFlight = inFlight;
    this.instanceService = instanceService;
    this.sidecar = sidecar;
    this.recorder = recorder;
  }

  /** Sends a text under {@code messageId} (null: the sidecar picks one; an Idempotency-Key derives it). */
  public Uni<Sent> sendText(Principal principal, String name, TextRequest req, String messageId) {
    return instanceService.resolve(principal, name).chain(i -> {
      String to;
      String source;
      try {
        if (req == null) {
          throw DomainException.invalidBody();
        }
        to = Recipients.normalise(req.number(), req.to());
        source = validText(req);
      } catch (DomainException e) {
        return Uni.createFrom().failure(e);
      }
      String replyTo = req.replyTo() == null || req.replyTo().isBlank() ? null : req.replyTo();
      return quoted(i, replyTo).chain(replyFromMe -> {
        if (i.state() != InstanceState.CONNECTED) {
          return Uni.createFrom().failure(DomainException.notConnected());
        }
        return after(req.delay()).chain(() -> sendAndEcho(i, sidecar.sendText(i.id(), messageId, to, req.message(), replyTo, replyFromMe),
            sent -> MessageMapper.sentText(sent, req.message(), source, replyTo)));
      }).onFailure(SidecarCallException.class).transform(e -> sendFailure((SidecarCallException) e, "Failed to send message: "))
          .map(sent -> new Sent(sent, "text", req.message(), source, replyTo));
    });
  }

  /** Adds, replaces or (with "remove" or "") clears this account's reaction to a message of a one-to-one chat. */
  public Uni<Sent> sendReaction(Principal principal, String name, ReactionRequest req, String messageId) {
    return instanceService.resolve(principal, name).chain(i -> {
      String to;
      try {
        if (req == null) {
          throw DomainException.invalidBody();
        }
        to = Recipients.normalise(req.number(), null);
        if (req.messageId() == null || req.messageId().isBlank()) {
          throw DomainException.invalidInput("messageId is required");
        }
        if (req.reaction() == null) {
          throw DomainException.invalidInput("reaction is required");
        }
      } catch (DomainException e) {
        return Uni.createFrom().failure(e);
      }
      String emoji = "remove".equals(req.reaction()) ? "" : req.reaction();
      String source = req.source() == null || req.source().isBlank() ? "api" : req.source();
      if (i.state() != InstanceState.CONNECTED) {
        return Uni.createFrom().failure(DomainException.notConnected());
      }
      Uni<Boolean> fromMe = req.fromMe() != null ? Uni.createFrom().item(req.fromMe())
          : events.messageFromMe(i.id(), req.messageId()).map(found -> found.orElse(false));
      return fromMe.chain(targetFromMe -> sendAndEcho(i, sidecar.sendReaction(i.id(), messageId, to, req.messageId(), emoji, targetFromMe),
          sent -> MessageMapper.sentReaction(sent, req.messageId(), emoji, targetFromMe, source)))
          .onFailure(SidecarCallException.class).transform(e -> sendFailure((SidecarCallException) e, "Failed to send message: "))
          .map(sent -> new Sent(sent, "reaction", emoji, source, req.messageId()));
    });
  }

  /** Whether the quoted message was sent by this account; 404 when the instance never saw it. */
  Uni<Boolean> quoted(Instance i, String replyTo) {
    if (replyTo == null) {
      return Uni.createFrom().item(false);
    }
    return events.messageFromMe(i.id(), replyTo).map(found -> found.orElseThrow(() -> DomainException.notFound("Message not found")));
  }

  /** The read receipt for one message; yields the chat JID it went to. No event: the instance's own receipts emit none. */
  public Uni<String> markRead(Principal principal, String name, MarkReadRequest req) {
    return instanceService.resolve(principal, name).chain(i -> {
      String chat;
      try {
        if (req == null) {
          throw DomainException.invalidBody();
        }
        if (req.messageId() == null || req.messageId().isBlank()) {
          throw DomainException.invalidInput("messageId is required");
        }
        chat = Recipients.normalise(req.number(), null);
      } catch (DomainException e) {
        return Uni.createFrom().failure(e);
      }
      if (i.state() != InstanceState.CONNECTED) {
        return Uni.createFrom().failure(DomainException.notConnected());
      }
      String sender = req.sender() == null || req.sender().isBlank() ? null : req.sender().trim();
      return sidecar.markRead(i.id(), chat, sender, List.of(req.messageId()))
          .onFailure(SidecarCallException.class).transform(e -> sendFailure((SidecarCallException) e, "Failed to mark message as read: "))
          .map(v -> Recipients.chatJid(chat));
    });
  }

  /** A documented route of the module that wagate does not offer yet: the caller still has to own the instance. */
  public Uni<Void> notImplemented(Principal principal, String name) {
    return instanceService.resolve(principal, name).chain(i -> Uni.createFrom().failure(DomainException.notImplemented()));
  }

  /** Checks the text's own fields; yields the {@code source} label to store. */
  private static String validText(TextRequest req) {
    if (req.message() == null || req.message().isBlank()) {
      throw DomainException.invalidInput("Message is required");
    }
    if (req.message().length() > MAX_TEXT) {
      throw DomainException.invalidInput("Invalid request body: message is longer than " + MAX_TEXT + " characters");
    }
    return commonFields(req.delay(), req.source());
  }

  /** Checks {@code delay} and {@code source}, the fields every send shares; yields the {@code source} label to store. */
  static String commonFields(Integer delay, String source) {
    if (delay != null && (delay < 0 || delay > MAX_DELAY_SECONDS)) {
      throw DomainException.invalidInput("Invalid delay");
    }
    if (source != null && source.length() > MAX_SOURCE) {
      throw DomainException.invalidInput("Invalid request body: source is longer than " + MAX_SOURCE + " characters");
    }
    return source == null || source.isBlank() ? "api" : source;
  }

  /** Waits {@code delay} seconds (null or 0: not at all) without holding a thread. */
  static Uni<Void> after(Integer delay) {
    return delay == null || delay == 0 ? Uni.createFrom().voidItem() : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofSeconds(delay));
  }

  static DomainException sendFailure(SidecarCallException e, String failedPrefix) {
    return switch (e.kind()) {
      case FAILED_PRECONDITION -> DomainException.notConnected();
      case NOT_FOUND -> DomainException.invalidInput("Number not registered on WhatsApp");
      case INVALID_ARGUMENT -> DomainException.invalidInput("Invalid phone number");
      case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL -> DomainException.failed(failedPrefix + e.reason());
    };
  }

  /** The sidecar call and then its echo, tracked as one send in flight (see {@link SendsInFlight}). */
  Uni<SentMessage> sendAndEcho(Instance i, Uni<SentMessage> send, java.util.function.Function<SentMessage, MessageEvent> exchange) {
    return inFlight.track(i.id(), send.call(sent -> echo(i, sent, exchange.apply(sent))));
  }

  /**
   * The outgoing {@code message.exchange} and {@code message.status sent}, before the answer. WhatsApp has the message
   * by now: a failure to log it must not turn into an error that makes the client send it again.
   */
  Uni<Void> echo(Instance i, SentMessage sent, MessageEvent exchange) {
    return recorder.echo(i, exchange, MessageMapper.sentStatus(sent)).replaceWithVoid()
        .onFailure().recoverWithItem(e -> {
          Log.warnf("Instance %s: message %s sent but its events were not stored: %s", i.id(), sent.id(), e.getMessage());
          return null;
        });
  }
}
