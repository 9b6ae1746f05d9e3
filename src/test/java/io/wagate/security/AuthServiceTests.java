package io.wagate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.wagate.Principal;
import io.wagate.repository.AuthRepository;

/** The token cache: one lookup per token however many requests miss at once, refresh before expiry, invalidation wins. */
class AuthServiceTests {
  static final String TOKEN = "t0ken";
  static final Principal ACCOUNT = new Principal(UUID.randomUUID(), 100, null, null, TokenHasher.hash(TOKEN));

  /** A repository whose lookups stay pending until the test answers them. */
  static final class PendingRepository extends AuthRepository {
    final List<CompletableFuture<Principal>> lookups = new ArrayList<>();

    PendingRepository() {
      super(null);
    }

    @Override
    public Uni<Principal> findByTokenHash(String tokenHash) {
      return Uni.createFrom().deferred(() -> {
        CompletableFuture<Principal> f = new CompletableFuture<>();
        lookups.add(f);
        return Uni.createFrom().completionStage(f);
      });
    }
  }

  final PendingRepository repository = new PendingRepository();
  final AtomicLong now = new AtomicLong(1_000_000);
  final AuthService auth = new AuthService(repository, now::get);

  UniAssertSubscriber<Optional<Principal>> resolve() {
    return auth.resolve(TOKEN).subscribe().withSubscriber(UniAssertSubscriber.create());
  }

  @Test
  void concurrentMissesShareOneLookup() {
    List<UniAssertSubscriber<Optional<Principal>>> waiting = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      waiting.add(resolve());
    }
    assertThat(repository.lookups).hasSize(1);
    repository.lookups.get(0).complete(ACCOUNT);
    waiting.forEach(s -> s.assertItem(Optional.of(ACCOUNT)));
    resolve().assertItem(Optional.of(ACCOUNT));
    assertThat(repository.lookups).as("served from the cache").hasSize(1);
  }

  @Test
  void refreshesAheadOfExpiryWithoutMakingTheCallerWait() {
    resolve();
    repository.lookups.get(0).complete(ACCOUNT);
    now.addAndGet(AuthService.TTL_MILLIS - AuthService.REFRESH_AHEAD_MILLIS / 2);
    resolve().assertItem(Optional.of(ACCOUNT));
    resolve().assertItem(Optional.of(ACCOUNT));
    assertThat(repository.lookups).as("one refresh in flight").hasSize(2);
    repository.lookups.get(1).complete(null);
    resolve().assertItem(Optional.empty());
  }

  @Test
  void anExpiredEntryIsLookedUpAgain() {
    resolve();
    repository.lookups.get(0).complete(ACCOUNT);
    now.addAndGet(AuthService.TTL_MILLIS + 1);
    UniAssertSubscriber<Optional<Principal>> late = resolve();
    assertThat(repository.lookups).hasSize(2);
    repository.lookups.get(1).complete(null);
    late.assertItem(Optional.empty());
  }

  @Test
  void aLookupThatRacedAnInvalidationIsNotCached() {
    UniAssertSubscriber<Optional<Principal>> first = resolve();
    auth.invalidate(ACCOUNT.tokenHash());
    repository.lookups.get(0).complete(ACCOUNT);
    first.assertItem(Optional.of(ACCOUNT));
    resolve();
    assertThat(repository.lookups).as("the raced answer was not kept").hasSize(2);
  }

  @Test
  void aFailedLookupIsRetriedByTheNextRequest() {
    UniAssertSubscriber<Optional<Principal>> first = resolve();
    repository.lookups.get(0).completeExceptionally(new IllegalStateException("database down"));
    first.assertFailedWith(IllegalStateException.class, "database down");
    resolve();
    assertThat(repository.lookups).hasSize(2);
  }

  /** The front door hashes a token once and looks it up by that key; a known SHA-256 vector pins the digest per thread. */
  @Test
  void lookupKeysAreSha256HexAndNullForNonTokens() throws Exception {
    assertThat(AuthService.lookupKey("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(AuthService.lookupKey(null)).isNull();
    assertThat(AuthService.lookupKey("  ")).isNull();
    assertThat(AuthService.lookupKey("x".repeat(513))).isNull();
    var other = CompletableFuture.supplyAsync(() -> TokenHasher.hash("abc") + TokenHasher.hash(TOKEN));
    assertThat(other.get()).isEqualTo(TokenHasher.hash("abc") + AuthService.lookupKey(TOKEN));
  }

  @Test
  void blankAndOversizedTokensNeverReachTheDatabase() {
    auth.resolve(" ").subscribe().withSubscriber(UniAssertSubscriber.create()).assertItem(Optional.empty());
    auth.resolve("x".repeat(513)).subscribe().withSubscriber(UniAssertSubscriber.create()).assertItem(Optional.empty());
    assertThat(repository.lookups).isEmpty();
  }

  @Test
  void aFloodOfUnknownTokensEvictsOthersButNotTheTokenInUse() {
    PendingRepository repo = new PendingRepository();
    AuthService small = new AuthService(repo, now::get, 100, Runnable::run);
    small.resolve(TOKEN).subscribe().withSubscriber(UniAssertSubscriber.create());
    repo.lookups.get(0).complete(ACCOUNT);
    for (int i = 0; i < 1_000; i++) {
      small.resolve("unknown-" + i).subscribe().withSubscriber(UniAssertSubscriber.create());
      repo.lookups.get(repo.lookups.size() - 1).complete(null);
      small.resolve(TOKEN).subscribe().withSubscriber(UniAssertSubscriber.create()).assertItem(Optional.of(ACCOUNT));
    }
    assertThat(repo.lookups).as("one lookup per unknown token, none again for the token in use").hasSize(1 + 1_000);
    assertThat(small.cachedPrincipal(TOKEN)).contains(ACCOUNT);
    // bounded, and never emptied at once: the most recent unknown tokens are still answered from the cache
    small.resolve("unknown-999").subscribe().withSubscriber(UniAssertSubscriber.create()).assertItem(Optional.empty());
    assertThat(repo.lookups).hasSize(1 + 1_000);
  }
}
