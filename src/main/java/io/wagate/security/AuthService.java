package io.wagate.security;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.wagate.Principal;
import io.wagate.repository.AuthRepository;

/**
 * Token → principal, by SHA-256 hash, with a short-lived cache (negative answers included) in front of PostgreSQL.
 * Concurrent misses of one token share a single lookup, and a token in use is re-read shortly before its entry
 * expires, so a busy client never waits on the database (and never sends a herd of lookups) when the TTL runs out.
 * The cache is bounded by Caffeine's size-based eviction (recency and frequency), so a flood of unknown tokens pushes
 * out other unknown tokens, not the busy clients' entries.
 */
// created at start-up so that wagate_auth_lookups_total is exported (as 0) before the first request
@Startup
@ApplicationScoped
public class AuthService {
  static final long TTL_MILLIS = 5_000;
  static final long REFRESH_AHEAD_MILLIS = 1_000;
  static final int MAX_ENTRIES = 10_000;

  private record Cached(Optional<Principal> principal, long expiresAt) {
  }

  private final AuthRepository repository;
  private final LongSupplier clock;
  private final Cache<String, Cached> cache;
  private final Map<String, Uni<Optional<Principal>>> inflight = new ConcurrentHashMap<>();
  private final AtomicLong lookups = new AtomicLong();

  @Inject
  public AuthService(AuthRepository repository, MeterRegistry metrics) {
    this(repository, System::currentTimeMillis, MAX_ENTRIES, Runnable::run);
    FunctionCounter.builder("wagate.auth.lookups", lookups, AtomicLong::get)
        .description("Token lookups that went to the database (cache misses and refreshes)").register(metrics);
  }

  AuthService(AuthRepository repository, LongSupplier clock) {
    this(repository, clock, MAX_ENTRIES, Runnable::run);
  }

  /** {@code maintenance} runs Caffeine's eviction work; on the caller's thread it is a few map operations, and deterministic in tests. */
  AuthService(AuthRepository repository, LongSupplier clock, int maxEntries, Executor maintenance) {
    this.repository = repository;
    this.clock = clock;
    this.cache = Caffeine.newBuilder().maximumSize(maxEntries).executor(maintenance).build();
  }

  /** The key a token is cached and looked up by (its hash), or null for what can never be a token. */
  public static String lookupKey(String token) {
    return token == null || token.isBlank() || token.length() > 512 ? null : TokenHasher.hash(token);
  }

  /** The principal of a token that is cached as valid right now, without any database access; empty otherwise. */
  public Optional<Principal> cachedPrincipal(String token) {
    return cachedByKey(lookupKey(token));
  }

  /** As {@link #cachedPrincipal}, by {@link #lookupKey}: the front door hashes each request's token once. */
  public Optional<Principal> cachedByKey(String key) {
    if (key == null) {
      return Optional.empty();
    }
    Cached hit = cache.getIfPresent(key);
    return hit != null && hit.expiresAt() > clock.getAsLong() ? hit.principal() : Optional.empty();
  }

  /** Resolves a raw token; an empty Optional means "not a known token". */
  public Uni<Optional<Principal>> resolve(String token) {
    return resolveByKey(lookupKey(token));
  }

  /** As {@link #resolve}, by {@link #lookupKey}. */
  public Uni<Optional<Principal>> resolveByKey(String hash) {
    if (hash == null) {
      return Uni.createFrom().item(Optional.empty());
    }
    long now = clock.getAsLong();
    Cached hit = cache.getIfPresent(hash);
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
      Uni<Optional<Principal>> lookup = Uni.createFrom().deferred(() -> {
        lookups.incrementAndGet();
        return repository.findByTokenHash(h);
      }).map(Optional::ofNullable)
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
    cache.put(hash, new Cached(principal, clock.getAsLong() + TTL_MILLIS));
  }

  /** Forgets a token hash at once, e.g. after the instance or account that owned it changed. */
  public void invalidate(String tokenHash) {
    cache.invalidate(tokenHash);
    inflight.remove(tokenHash);
  }

  public void invalidateAll() {
    cache.invalidateAll();
    inflight.clear();
  }
}
