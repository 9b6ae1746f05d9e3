package io.wagate.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.wagate.Account;
import io.wagate.config.WagateConfig;
import io.wagate.repository.AccountRepository;
import io.wagate.security.TokenHasher;
import io.wagate.service.command.AccountRequest;

/** Accounts (extension): created by the admin API or from the bootstrap configuration. */
@ApplicationScoped
public class AccountService {
  private final AccountRepository accounts;
  private final WagateConfig config;

  public AccountService(AccountRepository accounts, WagateConfig config) {
    this.accounts = accounts;
    this.config = config;
  }

  @WithTransaction
  public Uni<Map<String, Object>> create(AccountRequest req) {
    if (req == null) {
      return Uni.createFrom().failure(DomainException.invalidBody());
    }
    if (req.name() == null || req.name().isBlank()) {
      return Uni.createFrom().failure(DomainException.invalidInput("Account name is required"));
    }
    if (req.name().length() > 100 || (req.instanceQuota() != null && req.instanceQuota() < 0)
        || (req.rateLimitPerMinute() != null && req.rateLimitPerMinute() < 1)) {
      return Uni.createFrom().failure(DomainException.invalidBody());
    }
    String token = TokenHasher.newToken();
    Account account = new Account(req.name().trim(), TokenHasher.hash(token),
        req.instanceQuota() != null ? req.instanceQuota() : config.accounts().defaultInstanceQuota(),
        req.rateLimitPerMinute() != null ? req.rateLimitPerMinute() : config.rateLimit().defaultPerMinute());
    return accounts.findByName(account.getName()).chain(existing -> {
      if (existing != null) {
        return Uni.createFrom().failure(DomainException.conflict("Account name already exists"));
      }
      return accounts.persist(account).map(a -> {
        Map<String, Object> view = view(a);
        view.put("token", token);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", "Account created");
        body.put("account", view);
        return body;
      });
    });
  }

  @WithTransaction
  public Uni<Map<String, Object>> list() {
    return accounts.listByName().map(all -> {
      List<Map<String, Object>> views = all.stream().map(AccountService::view).toList();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("success", true);
      body.put("message", views.size() == 1 ? "1 Account found" : views.size() + " Accounts found");
      body.put("accounts", views);
      return body;
    });
  }

  /** Creates the configured bootstrap account unless an account already owns that token. */
  @WithTransaction
  public Uni<Boolean> ensureBootstrap(String token, String name) {
    String hash = TokenHasher.hash(token);
    return accounts.findByTokenHash(hash).chain(existing -> {
      if (existing != null) {
        return Uni.createFrom().item(false);
      }
      return accounts.findByName(name).chain(sameName -> {
        String finalName = sameName == null ? name : name + "-" + hash.substring(0, 8);
        return accounts.persist(new Account(finalName, hash, config.accounts().defaultInstanceQuota(), config.rateLimit().defaultPerMinute()))
            .replaceWith(true);
      });
    });
  }

  private static Map<String, Object> view(Account a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.getId().toString());
    m.put("name", a.getName());
    m.put("instanceQuota", a.getInstanceQuota());
    m.put("rateLimitPerMinute", a.getRateLimitPerMinute());
    return m;
  }
}
