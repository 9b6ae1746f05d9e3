package io.wagate.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.wagate.Account;
import io.wagate.config.WagateConfig;
import io.wagate.mapping.Views.AccountView;
import io.wagate.mapping.Views.CreatedAccount;
import io.wagate.repository.AccountRepository;
import io.wagate.repository.Transactions;
import io.wagate.security.TokenHasher;
import io.wagate.service.command.AccountRequest;

/** Accounts (extension): created by the admin API or from the bootstrap configuration. */
@ApplicationScoped
public class AccountService {
  private static final String UNIQUE_VIOLATION = "23505";
  public static final String NAME_REQUIRED = "Account name is required";
  public static final String NAME_TAKEN = "Account name already exists";

  private final AccountRepository accounts;
  private final Transactions transactions;
  private final WagateConfig config;

  public AccountService(AccountRepository accounts, Transactions transactions, WagateConfig config) {
    this.accounts = accounts;
    this.transactions = transactions;
    this.config = config;
  }

  public Uni<CreatedAccount> create(AccountRequest req) {
    if (req == null) {
      return Uni.createFrom().failure(DomainException.invalidBody());
    }
    if (req.name() == null || req.name().isBlank()) {
      return Uni.createFrom().failure(DomainException.invalidInput(NAME_REQUIRED));
    }
    if (req.name().length() > 100 || (req.instanceQuota() != null && req.instanceQuota() < 0)
        || (req.rateLimitPerMinute() != null && req.rateLimitPerMinute() < 1)) {
      return Uni.createFrom().failure(DomainException.invalidBody());
    }
    String token = TokenHasher.newToken();
    Account account = Account.create(req.name().trim(), TokenHasher.hash(token),
        req.instanceQuota() != null ? req.instanceQuota() : config.accounts().defaultInstanceQuota(),
        req.rateLimitPerMinute() != null ? req.rateLimitPerMinute() : config.rateLimit().defaultPerMinute());
    return transactions.run(conn -> accounts.findByName(conn, account.name()).chain(existing -> {
      if (existing != null) {
        return Uni.createFrom().failure(DomainException.conflict(NAME_TAKEN));
      }
      return accounts.insert(conn, account);
    }))
        // two creates of one name at once: the loser meets the unique index instead of the check above
        .onFailure(AccountService::isUniqueViolation).transform(e -> DomainException.conflict(NAME_TAKEN))
        .map(v -> new CreatedAccount(account.id().toString(), account.name(), account.instanceQuota(), account.rateLimitPerMinute(), token));
  }

  public Uni<List<AccountView>> list() {
    return accounts.listByName().map(all -> all.stream().map(AccountService::view).toList());
  }

  /** Creates the configured bootstrap account unless an account already owns that token. */
  public Uni<Boolean> ensureBootstrap(String token, String name) {
    String hash = TokenHasher.hash(token);
    return transactions.run(conn -> accounts.findByTokenHash(conn, hash).chain(existing -> {
      if (existing != null) {
        return Uni.createFrom().item(false);
      }
      return accounts.findByName(conn, name).chain(sameName -> {
        String finalName = sameName == null ? name : name + "-" + hash.substring(0, 8);
        return accounts.insert(conn, Account.create(finalName, hash, config.accounts().defaultInstanceQuota(), config.rateLimit().defaultPerMinute()))
            .replaceWith(true);
      });
    }));
  }

  private static AccountView view(Account a) {
    return new AccountView(a.id().toString(), a.name(), a.instanceQuota(), a.rateLimitPerMinute());
  }

  private static boolean isUniqueViolation(Throwable t) {
    return t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }
}
