package io.wagate.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.wagate.Principal;
import io.wagate.repository.IdempotencyRepository;

/**
 * The {@code Idempotency-Key} extension of the send routes (docs/MESSAGES.md): the key is committed before anything
 * goes to WhatsApp, the WhatsApp id is derived from it, so a retry after a timeout or a crash sends under the same id
 * (the recipient drops the second copy), and a finished answer is replayed instead of sending again.
 */
@ApplicationScoped
public class Idempotency {
  static final Duration KEPT = Duration.ofHours(24);
  /** Longer than the longest send (delay, media download, ack timeout): a running key older than this was abandoned by a crash. */
  static final Duration STALE = Duration.ofMinutes(5);
  private static final int MAX_KEY = 200;

  /** What a keyed send answers: the fresh result, or a stored answer to replay ({@code result} null). */
  public record Outcome<T>(T result, int status, String body) {
    public boolean replayed() {
      return result == null;
    }
  }

  /** An error answer as the client sees it, for storing a 4xx (the HTTP mapping belongs to rest). */
  public record Answer(int status, String body) {
  }

  private final IdempotencyRepository keys;
  private final InstanceService instances;
  private final ObjectMapper json;

  public Idempotency(IdempotencyRepository keys, InstanceService instances, ObjectMapper json) {
    this.keys = keys;
    this.instances = instances;
    this.json = json;
  }

  /**
   * Runs {@code send} with the WhatsApp id to use ({@code null} without a key: the sidecar picks one). With a key, 2xx
   * and 4xx answers ({@code errors} renders a refusal) are stored and replayed; a 5xx or any other failure frees the
   * key for a retry of the same request.
   */
  public <T> Uni<Outcome<T>> run(Principal principal, String name, String key, String route, Object request, Function<DomainException, Answer> errors,
      Function<String, Uni<T>> send) {
    if (key == null) {
      return send.apply(null).map(t -> new Outcome<>(t, 200, null));
    }
    if (!validKey(key)) {
      return Uni.createFrom().failure(DomainException.invalidInput("Invalid Idempotency-Key"));
    }
    return instances.resolve(principal, name).chain(i -> {
      String fingerprint = fingerprint(route, request);
      String messageId = messageId(i.name(), key);
      return keys.claim(i.id(), key, fingerprint, messageId, KEPT, STALE).chain(owned -> {
        if (!owned) {
          return keys.find(i.id(), key).map(found -> found.map(s -> this.<T>existing(s, fingerprint)).orElseThrow(Idempotency::inProgress));
        }
        return send.apply(messageId).call(t -> store(i.id(), key, 200, encode(t)))
            .map(t -> new Outcome<>(t, 200, null))
            .onFailure().call(e -> {
              Answer refused = e instanceof DomainException d ? errors.apply(d) : null;
              if (refused != null && refused.status() < 500) {
                return store(i.id(), key, refused.status(), refused.body());
              }
              return keys.release(i.id(), key).onFailure().recoverWithNull();
            });
      });
    });
  }

  private <T> Outcome<T> existing(IdempotencyRepository.Stored s, String fingerprint) {
    if (!s.fingerprint().equals(fingerprint)) {
      throw DomainException.conflict("Idempotency-Key already used with a different request");
    }
    if (!"done".equals(s.state())) {
      throw inProgress();
    }
    return new Outcome<>(null, s.status(), s.body());
  }

  private static DomainException inProgress() {
    return DomainException.conflict("Request with this Idempotency-Key is still in progress");
  }

  /** The answer is what counts for the client; a failure to store it only means a retry sends again under the same id. */
  private Uni<Void> store(java.util.UUID instanceId, String key, int status, String body) {
    return keys.finish(instanceId, key, status, body, KEPT).onFailure().recoverWithUni(e -> {
      Log.warnf("Instance %s: the answer for an Idempotency-Key was not stored: %s", instanceId, e.getMessage());
      return keys.release(instanceId, key).onFailure().recoverWithNull();
    });
  }

  private String encode(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("answer not serialisable", e);
    }
  }

  /** SHA-256 of the route and the parsed body: whitespace and unknown fields do not make a request different. */
  String fingerprint(String route, Object request) {
    return HexFormat.of().formatHex(sha256(route + "\n" + encode(request)));
  }

  /** {@code 3EB0} and 18 upper-case hex digits of SHA-256(instance name, newline, key): the shape of whatsmeow's own ids. */
  public static String messageId(String instanceName, String key) {
    return "3EB0" + HexFormat.of().withUpperCase().formatHex(sha256(instanceName + "\n" + key)).substring(0, 18);
  }

  /** 1 to 200 visible ASCII characters. */
  static boolean validKey(String key) {
    return !key.isEmpty() && key.length() <= MAX_KEY && key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
