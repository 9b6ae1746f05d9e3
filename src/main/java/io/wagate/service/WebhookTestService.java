package io.wagate.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.wagate.Principal;
import io.wagate.client.WebhookClient;
import io.wagate.config.WagateConfig;
import io.wagate.events.Envelopes;
import io.wagate.events.Signatures;
import io.wagate.mapping.ConsoleViews.TestResult;
import io.wagate.repository.DeliveryLogRepository;
import io.wagate.security.SecretCipher;

/**
 * Sends a {@code webhook.test} envelope to each enabled webhook of an instance at once and answers with what each
 * target replied. It is not stored and not retried: it checks a target, it is not an event of the instance.
 */
@ApplicationScoped
public class WebhookTestService {
  static final String TEST_EVENT = "webhook.test";

  private final InstanceService instances;
  private final DeliveryLogRepository log;
  private final WebhookClient client;
  private final SecretCipher cipher;
  private final String baseUrl;

  public WebhookTestService(InstanceService instances, DeliveryLogRepository log, WebhookClient client, SecretCipher cipher, WagateConfig config) {
    this.instances = instances;
    this.log = log;
    this.client = client;
    this.cipher = cipher;
    this.baseUrl = config.baseUrl();
  }

  /** Sends the test event to each enabled webhook of the instance, one after the other; yields each answer. */
  public Uni<List<TestResult>> send(Principal principal, String name) {
    return instances.resolve(principal, name).chain(i -> log.enabledWebhooks(i.id())).chain(targets -> {
      if (targets.isEmpty()) {
        return Uni.createFrom().failure(DomainException.invalidInput("No enabled webhook for this instance"));
      }
      String now = Instant.now().toString();
      byte[] body = new JsonObject().put("event", TEST_EVENT).put("data", new JsonObject().put("instance", name).put("timestamp", now).put("test", true))
          .put("instanceData", new JsonObject().put("baseUrl", baseUrl).put("instance", name)).put("timestamp", now).encode()
          .getBytes(StandardCharsets.UTF_8);
      return Multi.createFrom().iterable(targets).onItem().transformToUniAndConcatenate(t -> post(t, body)).collect().asList();
    });
  }

  private Uni<TestResult> post(DeliveryLogRepository.Target target, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    if (target.authorizationEnc() != null) {
      headers.put("Authorization", cipher.decrypt(target.authorizationEnc()));
    }
    if (target.secretEnc() != null) {
      headers.put("X-Wagate-Signature", Signatures.header(cipher.decrypt(target.secretEnc()), System.currentTimeMillis() / 1000, body));
    }
    String url = Envelopes.target(target.url(), target.byEvents(), TEST_EVENT);
    long started = System.nanoTime();
    return client.post(url, headers, Buffer.buffer(body)).onItemOrFailure().transform((status, failure) -> new TestResult(target.label(),
        failure == null ? status : null, (System.nanoTime() - started) / 1_000_000,
        failure == null ? null : failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage()));
  }
}
