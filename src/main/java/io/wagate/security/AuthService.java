package io.wagate.security;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.wagate.repository.AuthRepository;

/** Token → principal, by SHA-256 hash, with a short-lived cache (negative answers included) in front of PostgreSQL. */
@ApplicationScoped
public class AuthService {
  private static final long TTL_MILLIS = 5_000;
  private static final int MAX_ENTRIES = 10_000;

  private record Cached(Optional<Principal> principal, long expiresAt) {
  }

  private final AuthRepository repository;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public AuthService(AuthRepository repository) {
    this.repository = repository;
  }

  /** Resolves a raw token; an empty Optional means "not a known token". */
  public Uni<Optional<Principal>> resolve(String token) {
    if (token == null || token.isBlank() || token.length() > 512) {
      return Uni.createFrom().item(Optional.empty());
    }
    String hash = TokenHasher.hash(token);
    long now = System.currentTimeMillis();
    Cached hit = cache.get(hash);
    if (hit != null && hit.expiresAt() > now) {
      return Uni.createFrom().item(hit.principal());
    }
    return repository.findByTokenHash(hash).map(Optional::ofNullable).invoke(p -> {
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
      cache.put(hash, new Cached(p, System.currentTimeMillis() + TTL_MILLIS));
    });
  }

  /** Forgets a token hash at once, e.g. after the instance or account that owned it changed. */
  public void invalidate(String tokenHash) {
    cache.remove(tokenHash);
  }

  public void invalidateAll() {
    cache.clear();
  }
}
