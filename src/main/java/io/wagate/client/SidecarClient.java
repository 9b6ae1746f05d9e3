package io.wagate.client;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.google.protobuf.UnsafeByteOperations;

import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import grpc.health.v1.MutinyHealthGrpc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wagate.Instance;
import io.wagate.PairStart;
import io.wagate.ProxySpec;
import io.wagate.SentMessage;
import io.wagate.SessionEvent;
import io.wagate.mapping.MessageMapper;
import io.wagate.mapping.SidecarMapper;
import io.wagate.sidecar.grpc.ConfirmEventsRequest;
import io.wagate.sidecar.grpc.ConnectRequest;
import io.wagate.sidecar.grpc.DisconnectRequest;
import io.wagate.sidecar.grpc.ListSessionsRequest;
import io.wagate.sidecar.grpc.LogoutRequest;
import io.wagate.sidecar.grpc.MarkReadRequest;
import io.wagate.sidecar.grpc.PairRequest;
import io.wagate.sidecar.grpc.SendMediaRequest;
import io.wagate.sidecar.grpc.SendReactionRequest;
import io.wagate.sidecar.grpc.SendTextRequest;
import io.wagate.sidecar.grpc.SessionState;
import io.wagate.sidecar.grpc.SidecarService;
import io.wagate.sidecar.grpc.StreamEventsRequest;
import io.wagate.sidecar.grpc.UpdateSettingsRequest;

/**
 * The only user of the sidecar's Mutiny stub. Failures leave this class as {@link SidecarUnavailableException} (the
 * process cannot be reached) or {@link SidecarCallException} (it answered with an error).
 *
 * <p>Annotation order: the retry logic is applied to the result of the circuit breaker, which sees the result of the
 * timeout. Only unreachability counts as a breaker failure and is retried; an error answer is a healthy sidecar.
 */
@ApplicationScoped
public class SidecarClient {
  private final SidecarService stub;
  private final MutinyHealthGrpc.MutinyHealthStub health;
  private final RpcMetrics metrics;
  private final Channel channel;

  public SidecarClient(@GrpcClient("sidecar") SidecarService stub, @GrpcClient("sidecar") MutinyHealthGrpc.MutinyHealthStub health, RpcMetrics metrics,
      @GrpcClient("sidecar") Channel channel) {
    this.channel = channel;
    this.stub = stub;
    this.health = health;
    this.metrics = metrics;
  }

  /** The sidecar's overall status from the standard gRPC health service ({@code SERVING}, {@code NOT_SERVING}, ...). */
  public Uni<String> health() {
    return metrics.timed("Health", () -> health.check(HealthCheckRequest.getDefaultInstance()).map(r -> r.getStatus().name())
        .onFailure().transform(SidecarErrors::map));
  }

  /** A snapshot of the sidecar: its boot id and which instances it is currently working on. */
  public record Sessions(String bootId, Map<UUID, Boolean> live, long lastSeq) {
  }

  @Timeout(value = 15, unit = ChronoUnit.SECONDS)
  @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS, failOn = SidecarUnavailableException.class)
  @CircuitBreakerName("sidecarConnect")
  @Retry(maxRetries = 2, delay = 200, retryOn = SidecarUnavailableException.class, abortOn = SidecarCallException.class)
  public Uni<Boolean> connect(UUID instanceId, long epoch, String jid, ProxySpec proxy, Instance.Settings settings) {
    ConnectRequest.Builder req = ConnectRequest.newBuilder().setInstanceId(instanceId.toString()).setEpoch(epoch).setJid(jid)
        .setSettings(SidecarMapper.toGrpc(settings));
    if (proxy != null) {
      req.setProxy(SidecarMapper.toGrpc(proxy));
    }
    return metrics.timed("Connect", () -> stub.connect(req.build()).map(r -> r.getState() == SessionState.SESSION_STATE_CONNECTED)
        .onFailure().transform(SidecarErrors::map));
  }

  /** The first code (or failure) of a pairing; later rotations arrive on the event stream. */
  @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS, failOn = SidecarUnavailableException.class)
  @CircuitBreakerName("sidecarPair")
  public Uni<PairStart> pair(UUID instanceId, long epoch, String phone, int historyDays, ProxySpec proxy, Instance.Settings settings, Duration wait) {
    PairRequest.Builder req = PairRequest.newBuilder().setInstanceId(instanceId.toString()).setEpoch(epoch).setHistoryDays(historyDays)
        .setSettings(SidecarMapper.toGrpc(settings));
    if (phone != null) {
      req.setPhone(phone);
    }
    if (proxy != null) {
      req.setProxy(SidecarMapper.toGrpc(proxy));
    }
    // the stream is read to its end even after the first code was answered: cancelling it would leave a gRPC call
    // whose late failure Mutiny could only drop, and later updates arrive on StreamEvents anyway
    return metrics.timed("Pair", () -> Uni.createFrom().<PairStart>emitter(em -> {
      AtomicBoolean answered = new AtomicBoolean();
      // a timed-out caller is gone: later updates and failures are only logged
      em.onTermination(() -> answered.set(true));
      stub.pair(req.build()).map(SidecarMapper::fromGrpc).subscribe().with(
          p -> {
            if ((p.qrCode() != null || p.pairingCode() != null || p.failureReason() != null) && answered.compareAndSet(false, true)) {
              em.complete(p);
            }
          },
          failure -> {
            if (answered.compareAndSet(false, true)) {
              em.fail(SidecarErrors.map(failure));
            } else {
              Log.debugf("Pair stream of instance %s ended with %s", instanceId, failure.getMessage());
            }
          },
          () -> {
            if (answered.compareAndSet(false, true)) {
              em.fail(new SidecarCallException(SidecarCallException.Kind.INTERNAL, "pairing ended without a code"));
            }
          });
    }).ifNoItem().after(wait).failWith(() -> new SidecarCallException(SidecarCallException.Kind.DEADLINE_EXCEEDED, "timed out waiting for QR code")));
  }

  @Timeout(value = 15, unit = ChronoUnit.SECONDS)
  @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS, failOn = SidecarUnavailableException.class)
  @CircuitBreakerName("sidecarLogout")
  @Retry(maxRetries = 2, delay = 200, retryOn = SidecarUnavailableException.class, abortOn = SidecarCallException.class)
  public Uni<Boolean> logout(UUID instanceId, long epoch, String jid) {
    return metrics.timed("Logout", () -> stub.logout(LogoutRequest.newBuilder().setInstanceId(instanceId.toString()).setEpoch(epoch).setJid(jid == null ? "" : jid)
        .build())
        .map(r -> r.getHadSession()).onFailure().transform(SidecarErrors::map));
  }

  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS, failOn = SidecarUnavailableException.class)
  @CircuitBreakerName("sidecarDisconnect")
  public Uni<Void> disconnect(UUID instanceId, long epoch) {
    return metrics.timed("Disconnect", () -> stub.disconnect(DisconnectRequest.newBuilder().setInstanceId(instanceId.toString()).setEpoch(epoch).build())
        .replaceWithVoid()
        .onFailure().transform(SidecarErrors::map));
  }

  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS, failOn = SidecarUnavailableException.class)
  @CircuitBreakerName("sidecarUpdateSettings")
  public Uni<Void> updateSettings(UUID instanceId, long epoch, Instance.Settings settings) {
    return metrics.timed("UpdateSettings", () -> stub.updateSettings(UpdateSettingsRequest.newBuilder().setInstanceId(instanceId.toString()).setEpoch(epoch)
        .setSettings(SidecarMapper.toGrpc(settings)).build()).replaceWithVoid().onFailure().transform(SidecarErrors::map));
  }

  /**
   * Sends a text and yields once the WhatsApp server acked it; {@code messageId} null lets the sidecar pick the id.
   * Never retried here: a send is not idempotent. The
   * sidecar gives up after 60 s without an ack, so the timeout leaves it room to say so itself.
   */
  @Timeout(value = 75, unit = ChronoUnit.SECONDS)
  @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS, failOn = SidecarUnavailableException.class)
  @CircuitBreakerName("sidecarSendText")
  public Uni<SentMessage> sendText(UUID instanceId, String messageId, String to, String text, String replyToId, boolean replyToFromMe) {
    SendTextRequest.Builder req = SendTextRequest.newBuilder().setInstanceId(instanceId.toString()).setTo(to).setText(text);
    if (messageId != null) {
      req.setMessageId(messageId);
    }
    if (replyToId != null) {
      req.setReplyToId(replyToId).setReplyToFromMe(replyToFromMe);
    }
    return metrics.timed("SendText", () -> stub.sendText(req.build()).map(MessageMapper::sent).onFailure().transform(SidecarErrors::map));
  }

  /** Media to send: {@code type} image, video, audio or document; {@code ptt} sends audio as a voice note. */
  public record OutgoingMedia(String type, String mimetype, byte[] data, String caption, String fileName, boolean ptt, int seconds) {
  }

  /** Uploads the media through whatsmeow, sends it and yields once the server acked it. Never retried here. */
  @Timeout(value = 150, unit = ChronoUnit.SECONDS)
  @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS, failOn = SidecarUnavailableException.class)
  @CircuitBreakerName("sidecarSendMedia")
  public Uni<SentMessage> sendMedia(UUID instanceId, String messageId, String to, OutgoingMedia media, String replyToId, boolean replyToFromMe) {
    // wrapped, not copied: the bytes are the caller's and stay unchanged until the call is done
    SendMediaRequest.Builder req = SendMediaRequest.newBuilder().setInstanceId(instanceId.toString()).setTo(to).setMediaType(media.type())
        .setMimetype(media.mimetype()).setData(UnsafeByteOperations.unsafeWrap(media.data())).setPtt(media.ptt()).setSeconds(media.seconds());
    if (media.caption() != null) {
      req.setCaption(media.caption());
    }
    if (media.fileName() != null) {
      req.setFileName(media.fileName());
    }
    if (messageId != null) {
      req.setMessageId(messageId);
    }
    if (replyToId != null) {
      req.setReplyToId(replyToId).setReplyToFromMe(replyToFromMe);
    }
    return metrics.timed("SendMedia", () -> stub.sendMedia(req.build()).map(MessageMapper::sent).onFailure().transform(SidecarErrors::map));
  }

  /** Reacts to a message ({@code emoji} "" removes the reaction); yields once the server acked it. Never retried here. */
  @Timeout(value = 75, unit = ChronoUnit.SECONDS)
  @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS, failOn = SidecarUnavailableException.class)
  @CircuitBreakerName("sidecarSendReaction")
  public Uni<SentMessage> sendReaction(UUID instanceId, String messageId, String to, String targetId, String emoji, boolean targetFromMe) {
    SendReactionRequest.Builder req = SendReactionRequest.newBuilder().setInstanceId(instanceId.toString()).setTo(to).setTargetId(targetId).setEmoji(emoji)
        .setTargetFromMe(targetFromMe);
    if (messageId != null) {
      req.setMessageId(messageId);
    }
    return metrics.timed("SendReaction", () -> stub.sendReaction(req.build()).map(MessageMapper::sent).onFailure().transform(SidecarErrors::map));
  }

  /** Sends read receipts (blue checks) for messages of one chat; {@code sender} null means the chat is the author. */
  @Timeout(value = 30, unit = ChronoUnit.SECONDS)
  @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS, failOn = SidecarUnavailableException.class)
  @CircuitBreakerName("sidecarMarkRead")
  public Uni<Void> markRead(UUID instanceId, String chat, String sender, List<String> messageIds) {
    MarkReadRequest.Builder req = MarkReadRequest.newBuilder().setInstanceId(instanceId.toString()).setChat(chat).addAllMessageIds(messageIds);
    if (sender != null) {
      req.setSender(sender);
    }
    return metrics.timed("MarkRead", () -> stub.markRead(req.build()).replaceWithVoid().onFailure().transform(SidecarErrors::map));
  }

  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  public Uni<Sessions> listSessions() {
    return metrics.timed("ListSessions", () -> stub.listSessions(ListSessionsRequest.getDefaultInstance()).map(r -> {
      Map<UUID, Boolean> live = new HashMap<>();
      r.getSessionsList().forEach(s -> {
        try {
          live.put(UUID.fromString(s.getInstanceId()), SidecarMapper.isLive(s.getState()));
        } catch (IllegalArgumentException ignored) {
          // a session the gateway did not create; not ours to reconcile
        }
      });
      return new Sessions(r.getBootId(), live, r.getLastSeq());
    }).onFailure().transform(SidecarErrors::map));
  }

  /**
   * Makes the channel try to connect now instead of at the end of its own backoff (up to two minutes), so that a
   * restarted sidecar is reached on the caller's schedule, not gRPC's.
   */
  public void connectNow() {
    if (channel instanceof ManagedChannel managed) {
      managed.resetConnectBackoff();
    }
  }

  /**
   * Tells the sidecar that the inbound events with these inbox ids are stored, so it stops publishing them again. Not
   * retried: an unconfirmed event is published again at the instance's next connect and stored once (dedupe key).
   */
  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  public Uni<Void> confirmEvents(List<Long> inboxIds) {
    return metrics.timed("ConfirmEvents", () -> stub.confirmEvents(ConfirmEventsRequest.newBuilder().addAllInboxIds(inboxIds).build()).replaceWithVoid()
        .onFailure().transform(SidecarErrors::map));
  }

  /** The lifecycle feed; never completes normally while the sidecar runs. The caller re-subscribes. */
  public Multi<SessionEvent> streamEvents(String bootId, long afterSeq) {
    return stub.streamEvents(StreamEventsRequest.newBuilder().setBootId(bootId == null ? "" : bootId).setAfterSeq(afterSeq).build())
        .map(SidecarMapper::fromGrpc).onFailure().transform(SidecarErrors::map);
  }
}
