package io.wagate.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.wagate.client.WebhookClient;
import io.wagate.config.WagateConfig;
import io.wagate.health.DatabaseOutage;
import io.wagate.security.SecretCipher;

/**
 * Works the webhook outbox: claims webhooks (see {@link OutboxRepository}), then delivers each webhook's rows one after
 * the other. A 2xx ends a delivery; a 4xx other than 408/429 (or a refused target) rejects it for good; anything else
 * schedules a retry with backoff and stops that webhook until then, which keeps the order. A delivery still failing
 * {@code max-age} after its event is marked dead. Everything is in the database, so a kill -9 loses nothing: the
 * replica's next process takes its leases over at once (another replica, once they run out) and the work continues
 * from the oldest pending row.
 */
@ApplicationScoped
public class WebhookDispatcher {
  static final int ACK_BATCH = 50;
  private final OutboxRepository outbox;
  private final WebhookClient client;
  private final Envelopes envelopes;
  private final SecretCipher cipher;
  private final Vertx vertx;
  private final WagateConfig.Webhooks config;
  private final Backoff backoff;
  private final MeterRegistry metrics;
  private final DatabaseOutage database;
  private final LeaseTakeover takeover;
  private final String owner;
  private final AtomicInteger active = new AtomicInteger();
  private final Set<Long> working = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;
  private boolean claiming;
  private boolean again;
  private long timer = -1;

  @SuppressWarnings("java:S107") // one collaborator per concern
  public WebhookDispatcher(OutboxRepository outbox, WebhookClient client, Envelopes envelopes, SecretCipher cipher, Vertx vertx, WagateConfig config,
      MeterRegistry metrics, DatabaseOutage database, LeaseTakeover takeover) {
    this.database = database;
    this.takeover = takeover;
    this.owner = takeover.owner();
    this.outbox = outbox;
    this.client = client;
    this.envelopes = envelopes;
    this.cipher = cipher;
    this.vertx = vertx;
    this.config = config.webhooks();
    this.backoff = new Backoff(this.config.backoffInitial(), this.config.backoffMax());
    this.metrics = metrics;
  }

  void onStart(@Observes StartupEvent event) {
    metrics.gauge("wagate.webhook.active", active);
    timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> poke());
    // the leases of this replica's previous process (killed) are worked at once, not when they run out
    takeover.run(this::poke);
  }

  /** New work may exist (a new event, a retry coming due, a webhook finished its batch). */
  public void poke() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      if (claiming) {
        again = true;
        return;
      }
      claiming = true;
      again = false;
    }
    claim();
  }

  private void claim() {
    int room = config.concurrency() - active.get();
    if (room <= 0) {
      claimed(false);
      return;
    }
    // the database starts the lease when the claim runs, which is after this instant: the end counted from here is never late
    long leaseEnd = System.currentTimeMillis() + config.lease().toMillis();
    outbox.claim(owner, room, config.batch(), config.lease().toMillis(), working.toArray(Long[]::new)).subscribe().with(rows -> {
      Map<Long, List<Delivery>> byWebhook = new LinkedHashMap<>();
      rows.forEach(d -> byWebhook.computeIfAbsent(d.webhookId(), k -> new ArrayList<>()).add(d));
      byWebhook.forEach((webhookId, list) -> {
        active.incrementAndGet();
        working.add(webhookId);
        work(webhookId, list, 0, leaseEnd);
      });
      claimed(byWebhook.size() == room);
    }, failure -> {
      if (!database.failed("webhook outbox claim", failure)) {
        Log.warnf("Webhook outbox claim failed: %s", failure.getMessage());
      }
      claimed(false);
    });
  }

  private void claimed(boolean more) {
    synchronized (this) {
      if (stopped || (!more && !again)) {
        claiming = false;
        return;
      }
      again = false;
    }
    claim();
  }

  private void work(long webhookId, List<Delivery> rows, int index, long leaseEnd) {
    work(webhookId, rows, index, leaseEnd, new Acks());
  }

  /**
   * Successful deliveries are acknowledged in batches (one UPDATE for many rows) while this replica holds the
   * webhook's lease; they are always written before the lease is given up or another outcome is recorded, so the
   * cost of a crash in between is only a re-send of those rows (at-least-once), never a gap or a reordering.
   */
  private static final class Acks {
    final List<Long> ids = new ArrayList<>();
    final List<Integer> statuses = new ArrayList<>();
    final List<OutboxRepository.Attempt> attempts = new ArrayList<>();
  }

  private void work(long webhookId, List<Delivery> rows, int index, long leaseEnd, Acks acks) {
    // stop early enough that the lease cannot run out during an attempt (another replica could then send it too)
    if (stopped || index >= rows.size() || System.currentTimeMillis() + config.timeout().toMillis() + 5_000 > leaseEnd) {
      Uni<Void> release = index >= rows.size() ? Uni.createFrom().voidItem() : outbox.release(webhookId, owner);
      flush(acks).chain(() -> release).subscribe().with(v -> finished(webhookId), e -> bookkeepingFailed(webhookId, e));
      return;
    }
    Delivery d = rows.get(index);
    Uni.createFrom().deferred(() -> attempt(d, acks)).subscribe().with(next -> {
      if (next) {
        if (acks.ids.size() >= ACK_BATCH) {
          flush(acks).subscribe().with(v -> work(webhookId, rows, index + 1, leaseEnd, acks), e -> bookkeepingFailed(webhookId, e));
        } else {
          work(webhookId, rows, index + 1, leaseEnd, acks);
        }
      } else {
        finished(webhookId);
      }
    }, failure -> bookkeepingFailed(webhookId, failure));
  }

  private Uni<Void> flush(Acks acks) {
    if (acks.ids.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Long> ids = List.copyOf(acks.ids);
    List<Integer> statuses = List.copyOf(acks.statuses);
    List<OutboxRepository.Attempt> attempts = List.copyOf(acks.attempts);
    acks.ids.clear();
    acks.statuses.clear();
    acks.attempts.clear();
    return outbox.delivered(ids, statuses, attempts, owner);
  }

  private void bookkeepingFailed(long webhookId, Throwable failure) {
    if (!database.failed("webhook outbox bookkeeping", failure)) {
      Log.warnf("Webhook %d: outbox bookkeeping failed: %s", webhookId, failure.getMessage());
    }
    // no immediate poke: the poll timer retries, so a row that keeps failing cannot make the loop spin
    outbox.release(webhookId, owner).subscribe().with(v -> done(webhookId), e -> done(webhookId));
  }

  private void finished(long webhookId) {
    done(webhookId);
    poke();
  }

  private void done(long webhookId) {
    working.remove(webhookId);
    active.decrementAndGet();
  }

  /** One attempt and its bookkeeping; yields whether the webhook may go on with its next row. */
  private Uni<Boolean> attempt(Delivery d, Acks acks) {
    if (d.event() == null) {
      return flush(acks).chain(() -> outbox.finish(d.id(), owner, "dead", 0, "event no longer stored", OutboxRepository.Attempt.NONE)).invoke(() -> count("dead")).replaceWith(true);
    }
    byte[] body;
    Map<String, String> headers = new LinkedHashMap<>();
    try {
      body = envelopes.encode(d.event()).getBytes(StandardCharsets.UTF_8);
      headers.put("Content-Type", "application/json");
      headers.put("X-Wagate-Event-Id", Long.toString(d.event().id()));
      if (d.authorizationEnc() != null) {
        headers.put("Authorization", cipher.decrypt(d.authorizationEnc()));
      }
      if (d.secretEnc() != null) {
        headers.put("X-Wagate-Signature", Signatures.header(cipher.decrypt(d.secretEnc()), System.currentTimeMillis() / 1000, body));
      }
    } catch (RuntimeException e) {
      // e.g. secrets sealed under another encryption key: back off like a failed attempt instead of spinning on the row
      return flush(acks).chain(() -> failed(d, 0, "cannot prepare the request: " + e.getMessage(), OutboxRepository.Attempt.NONE));
    }
    long started = System.nanoTime();
    long startedMillis = System.currentTimeMillis();
    return client.post(d.target(), headers, Buffer.buffer(body))
        .onItemOrFailure().transformToUni((status, failure) -> {
          attempted(started, status, failure);
          OutboxRepository.Attempt timing = new OutboxRepository.Attempt(startedMillis, (int) ((System.nanoTime() - started) / 1_000_000));
          if (failure == null && status >= 200 && status < 300) {
            count("delivered");
            acks.ids.add(d.id());
            acks.statuses.add(status);
            acks.attempts.add(timing);
            return Uni.createFrom().item(true);
          }
          if (failure instanceof WebhookClient.TargetRefusedException || (failure == null && status >= 400 && status < 500 && status != 408 && status != 429)) {
            count("rejected");
            return flush(acks).chain(() -> outbox.finish(d.id(), owner, "rejected", failure == null ? status : 0,
                failure == null ? "HTTP " + status : failure.getMessage(), timing)).replaceWith(true);
          }
          return flush(acks).chain(() -> failed(d, failure == null ? status : 0, failure == null ? "HTTP " + status : describe(failure), timing));
        });
  }

  /** A failed attempt: retried after a backoff, or dead once past {@code max-age}; yields whether the webhook may go on. */
  private Uni<Boolean> failed(Delivery d, int code, String error, OutboxRepository.Attempt timing) {
    long delay = backoff.delayMillis(d.attempts() + 1);
    long deadline = d.createdAt().toInstant().toEpochMilli() + config.maxAge().toMillis();
    if (System.currentTimeMillis() + delay > deadline) {
      count("dead");
      Log.warnf("Webhook %d: delivery %d of event %d is dead after %d attempts (%s)", d.webhookId(), d.id(), d.event().id(), d.attempts() + 1, error);
      return outbox.finish(d.id(), owner, "dead", code, error, timing).replaceWith(true);
    }
    count("retry");
    Log.debugf("Webhook %d: event %d failed (%s), retry in %d ms", d.webhookId(), d.event().id(), error, delay);
    return outbox.retry(d.id(), d.webhookId(), owner, delay, code, error, timing).replaceWith(false);
  }

  /** {@code wagate.webhook.attempts{result}}: one timer sample per HTTP attempt; result is 2xx, 3xx, 4xx, 5xx or error. */
  private void attempted(long startedNanos, Integer status, Throwable failure) {
    String result = failure != null || status == null ? "error" : (status / 100) + "xx";
    metrics.timer("wagate.webhook.attempts", "result", result).record(System.nanoTime() - startedNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private void count(String outcome) {
    metrics.counter("wagate.webhook.deliveries", "outcome", outcome).increment();
  }

  private static String describe(Throwable t) {
    String name = t.getClass().getSimpleName();
    return t.getMessage() == null ? name : name + ": " + t.getMessage();
  }
}
