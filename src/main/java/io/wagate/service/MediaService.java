package io.wagate.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.Principal;
import io.wagate.client.MediaFetcher;
import io.wagate.client.SidecarCallException;
import io.wagate.client.SidecarClient;
import io.wagate.config.WagateConfig;
import io.wagate.mapping.MessageMapper;
import io.wagate.service.command.MediaRequest;

/** {@code POST /api/message/media} (docs/MESSAGES.md): image, video, audio or document, by URL or base64. */
@ApplicationScoped
public class MediaService {
  private final InstanceService instances;
  private final MessageService messages;
  private final SidecarClient sidecar;
  private final MediaFetcher fetcher;
  private final long maxBytes;

  /** A checked request: where the bytes come from (a URL to download, or already decoded) and the card's fields. */
  private record Plan(String to, String type, String url, MediaSources.Inline inline, String caption, String source, String replyTo) {
  }

  public MediaService(InstanceService instances, MessageService messages, SidecarClient sidecar, MediaFetcher fetcher, WagateConfig config) {
    this.instances = instances;
    this.messages = messages;
    this.sidecar = sidecar;
    this.fetcher = fetcher;
    this.maxBytes = config.media().maxBytes();
  }

  /** Sends under {@code messageId} (null: the sidecar picks one); yields once the server acked it. */
  public Uni<MessageService.Sent> sendMedia(Principal principal, String name, MediaRequest req, String messageId) {
    return instances.resolve(principal, name).chain(i -> {
      Plan plan;
      try {
        plan = plan(req);
      } catch (DomainException e) {
        return Uni.createFrom().failure(e);
      }
      return messages.quoted(i, plan.replyTo()).chain(replyFromMe -> {
        if (i.state() != InstanceState.CONNECTED) {
          return Uni.createFrom().failure(DomainException.notConnected());
        }
        return bytes(plan).chain(media -> MessageService.after(req.delay())
            .chain(() -> messages.sendAndEcho(i, sidecar.sendMedia(i.id(), messageId, plan.to(), outgoing(req, plan, media), plan.replyTo(), replyFromMe),
                sent -> MessageMapper.sentMedia(sent, plan.source(), plan.replyTo()))));
      }).onFailure(SidecarCallException.class).transform(e -> MessageService.sendFailure((SidecarCallException) e, "Failed to send message: "))
          .map(sent -> new MessageService.Sent(sent, plan.type(), plan.caption() == null ? "" : plan.caption(), plan.source(), plan.replyTo()));
    });
  }

  private Plan plan(MediaRequest req) {
    if (req == null) {
      throw DomainException.invalidBody();
    }
    String to = Recipients.normalise(req.number(), req.to());
    if (req.mediaType() == null || req.mediaType().isBlank()) {
      throw DomainException.invalidInput("mediaType is required");
    }
    if (!MediaSources.TYPES.contains(req.mediaType())) {
      throw DomainException.invalidInput("Invalid mediaType");
    }
    boolean hasUrl = req.mediaUrl() != null && !req.mediaUrl().isBlank();
    boolean hasBase64 = req.mediaBase64() != null && !req.mediaBase64().isBlank();
    if (!hasUrl && !hasBase64) {
      throw DomainException.invalidInput("mediaUrl or mediaBase64 is required");
    }
    if (hasUrl && hasBase64) {
      throw DomainException.invalidInput("Send either mediaUrl or mediaBase64, not both");
    }
    String source = MessageService.commonFields(req.delay(), req.source());
    String value = (hasUrl ? req.mediaUrl() : req.mediaBase64()).trim();
    boolean download = hasUrl && MediaSources.isUrl(value);
    MediaSources.Inline inline = download ? null : MediaSources.decode(value, maxBytes);
    String caption = "audio".equals(req.mediaType()) || req.message() == null || req.message().isEmpty() ? null : req.message();
    String replyTo = req.replyTo() == null || req.replyTo().isBlank() ? null : req.replyTo();
    return new Plan(to, req.mediaType(), download ? value : null, inline, caption, source, replyTo);
  }

  /** The bytes, downloaded only now that the instance is known to be connected. */
  private Uni<MediaFetcher.Fetched> bytes(Plan plan) {
    if (plan.url() == null) {
      return Uni.createFrom().item(new MediaFetcher.Fetched(plan.inline().bytes(), plan.inline().mimetype(), null));
    }
    return fetcher.fetch(plan.url(), maxBytes)
        .onFailure(MediaFetcher.TooLarge.class).transform(e -> DomainException.invalidInput("Media too large"))
        .onFailure(MediaFetcher.FetchFailed.class).transform(e -> DomainException.invalidInput("Failed to download media: " + e.getMessage()));
  }

  /** mimeType as given, else the {@code data:} prefix or the download's Content-Type, else the magic bytes. */
  private static SidecarClient.OutgoingMedia outgoing(MediaRequest req, Plan plan, MediaFetcher.Fetched media) {
    String mimetype = req.mimeType() != null && !req.mimeType().isBlank() ? req.mimeType().trim()
        : media.contentType() != null && !"application/octet-stream".equals(media.contentType()) ? media.contentType()
        : MediaSources.sniff(media.bytes());
    String fileName = !"document".equals(plan.type()) ? null
        : req.fileName() != null && !req.fileName().isBlank() ? req.fileName() : media.fileName() != null ? media.fileName() : "file";
    boolean ptt = "audio".equals(plan.type()) && (req.isVoice() == null || req.isVoice());
    int seconds = req.duration() == null || req.duration() < 0 ? 0 : req.duration();
    return new SidecarClient.OutgoingMedia(plan.type(), mimetype, media.bytes(), plan.caption(), fileName, ptt, seconds);
  }
}
