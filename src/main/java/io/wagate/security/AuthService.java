package io.wagate.security;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.wagate.repository.AuthRepository;

/**
 * Token → principal, by SHA-256 hash, with a short-lived cache (negative answers included) in front of PostgreSQL.
 * Concurrent misses of one token share a single lookup, and a token in use is re-read shortly before its entry
 * expires, so a busy client never waits on the database (and never sends a herd of lookups) when the TTL runs out.
 */
@ApplicationScoped
public class AuthService {
  static final long TTL_MILLIS = 5_000;
  static final long REFRESH_AHEAD_MILLIS = 1_000;
  private static final int MAX_ENTRIES = 10_000;

  private record Cached(Optional<Principal> principal, long expiresAt) {
  }

  private final AuthRepository repository;
  private final LongSupplier clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Map<String, Uni<Optional<Principal>>> inflight = new ConcurrentHashMap<>();

  @Inject
  public AuthService(AuthRepository repository) {
    this(repository, System::currentTimeMillis);
  }

  AuthService(AuthRepository repository, LongSupplier clock) {
    this.repository = repository;
    this.clock = clock;
  }

  /** Resolves a raw token; an empty Optional means "not a known token". */
  public Uni<Optional<Principal>> resolve(String token) {
    if (token == null || token.isBlank() || token.length() > 512) {
      return Uni.createFrom().item(Optional.empty());
    }
    String hash = TokenHasher.hash(token);
    long now = clock.getAsLong();
    Cached hit = cache.get(hash);
    if (hit != null && hit.expiresAt() > now) {
      if (hit.expiresAt() - now < REFRESH_AHEAD_MILLIS && !inflight.containsKey(hash)) {
        load(hash).subscribe().with(p -> { }, e -> { }); // a failed refresh leaves the entry to expire; the next miss retries
      }
      return Uni.createFrom().item(hit.principal());
    }
    return load(hash);
  }

  /** One lookup per hash at a time; its answer is cached only if nobody invalidated the hash meanwhile. */
  private Uni<Optional<Principal>> load(String hash) {
    return inflight.computeIfAbsent(hash, h -> {
      AtomicReference<Uni<Optional<Principal>>> self = new AtomicReference<>();
      Uni<Optional<Principal>> lookup = repository.findByTokenHash(h).map(Optional::ofNullable)
          .invoke(p -> {
            if (inflight.remove(h, self.get())) {
              store(h, p);
            }
          })
          .onFailure().invoke(() -> inflight.remove(h, self.get()))
          .memoize().indefinitely();
      self.set(lookup);
      return lookup;
    });
  }

  private void store(String hash, Optional<Principal> principal) {
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
    cache.put(hash, new Cached(principal, clock.getAsLong() + TTL_MILLIS));
  }

  /** Forgets a token hash at once, e.g. after the instance or account that owned it changed. */
  public void invalidate(String tokenHash) {
    cache.remove(tokenHash);
    inflight.remove(tokenHash);
  }

  public void invalidateAll() {
    cache.clear();
    inflight.clear();
  }
}
