package io.wagate.service;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * Sends between the sidecar call and their stored echo, per instance. WhatsApp's delivery receipt can reach the event
 * stream before the API's echo of the same message is stored (the ack and the receipt race in two goroutines and two
 * paths); recorded first, {@code delivered} would come before the message's {@code message.exchange} and its {@code sent}.
 * So a stream batch with statuses waits for the sends its instances have in flight at that moment (not for later ones,
 * so a busy instance cannot starve its receipts), bounded by {@link #MAX_WAIT}.
 */
@ApplicationScoped
public class SendsInFlight {
  static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final ConcurrentHashMap<UUID, Set<CompletableFuture<Void>>> open = new ConcurrentHashMap<>();

  /** Runs {@code send} (the sidecar call and the echo) as one send in flight for the instance. */
  public <T> Uni<T> track(UUID instance, Uni<T> send) {
    return Uni.createFrom().deferred(() -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      open.computeIfAbsent(instance, k -> ConcurrentHashMap.newKeySet()).add(done);
      return send.onTermination().invoke(() -> {
        open.computeIfPresent(instance, (k, set) -> {
          set.remove(done);
          return set.isEmpty() ? null : set;
        });
        done.complete(null);
      });
    });
  }

  /** Completes once every send these instances have in flight now has ended (or after {@link #MAX_WAIT}). */
  public Uni<Void> settled(Collection<UUID> instances) {
    List<CompletableFuture<Void>> now = instances.stream().distinct().map(open::get).filter(s -> s != null).flatMap(Set::stream).toList();
    if (now.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Uni.createFrom().completionStage(CompletableFuture.allOf(now.toArray(CompletableFuture[]::new))).ifNoItem().after(MAX_WAIT)
        .recoverWithItem((Void) null).replaceWithVoid();
  }
}
