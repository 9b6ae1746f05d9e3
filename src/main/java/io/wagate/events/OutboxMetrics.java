package io.wagate.events;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Gauges of the outbox as stored (every replica reports the same numbers): {@code wagate.webhook.outbox{status}} and
 * {@code wagate.webhook.outbox.oldest.age.seconds} (age of the oldest pending delivery, 0 when none).
 */
@ApplicationScoped
@Startup // the gauges exist (as 0) from the first scrape, not from the first refresh
public class OutboxMetrics {
  private static final String[] STATUSES = {"pending", "delivered", "rejected", "dead"};

  private final OutboxRepository outbox;
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
  private final AtomicLong oldestPending;

  public OutboxMetrics(OutboxRepository outbox, MeterRegistry metrics) {
    this.outbox = outbox;
    for (String status : STATUSES) {
      gauges.put(status, metrics.gauge("wagate.webhook.outbox", Tags.of("status", status), new AtomicLong()));
    }
    oldestPending = metrics.gauge("wagate.webhook.outbox.oldest.age.seconds", new AtomicLong());
  }

  @Scheduled(every = "${wagate.metrics.refresh-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    return outbox.countByStatus().invoke(counts -> gauges.forEach((status, gauge) -> gauge.set(counts.getOrDefault(status, 0L))))
        .chain(outbox::oldestPendingAgeSeconds).invoke(oldestPending::set)
        .onFailure().invoke(e -> Log.debugf("Outbox gauges not refreshed: %s", e.getMessage())).onFailure().recoverWithNull().replaceWithVoid();
  }
}
