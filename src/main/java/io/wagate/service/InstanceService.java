package io.wagate.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import io.wagate.DesiredState;
import io.wagate.Instance;
import io.wagate.InstanceState;
import io.wagate.Principal;
import io.wagate.repository.AccountRepository;
import io.wagate.repository.InstanceRepository;
import io.wagate.repository.InstanceRepository.Listed;
import io.wagate.repository.InstanceRepository.WithSession;
import io.wagate.repository.IntegrationRepository;
import io.wagate.repository.Transactions;
import io.wagate.security.AuthService;
import io.wagate.security.SecretCipher;
import io.wagate.security.TokenHasher;
import io.wagate.security.TokenRules;
import io.wagate.security.WebhookTargets;
import io.wagate.service.command.CreateInstanceRequest;

/** Instance lookup scoped to the caller, creation with its inline blocks, and listing. */
@ApplicationScoped
public class InstanceService {
  private static final String UNIQUE_VIOLATION = "23505";
  public static final String TOKEN_TOO_SHORT = "Instance token must be at least " + TokenRules.MIN_LENGTH + " characters";

  private final InstanceRepository instances;
  private final Transactions transactions;
  private final AccountRepository accounts;
  private final IntegrationRepository integrations;
  private final SecretCipher cipher;
  private final AuthService auth;
  private final WebhookTargets targets;

  public InstanceService(InstanceRepository instances, Transactions transactions, AccountRepository accounts,
      IntegrationRepository integrations, SecretCipher cipher, AuthService auth, WebhookTargets targets) {
    this.instances = instances;
    this.transactions = transactions;
    this.accounts = accounts;
    this.integrations = integrations;
    this.cipher = cipher;
    this.auth = auth;
    this.targets = targets;
  }

  /** The named instance if the caller may use it: 404 outside the caller's account, 403 for another instance's token. */
  public Uni<Instance> resolve(Principal principal, String name) {
    return resolve(principal, name, instances::findById, instances::findByName);
  }

  /** {@link #resolve} plus whether the instance has a saved session, in one round trip (reconnect and connect). */
  public Uni<WithSession> resolveWithSession(Principal principal, String name) {
    return resolve(principal, name, instances::findByIdWithSession, instances::findByNameWithSession);
  }

  private static <T> Uni<T> resolve(Principal principal, String name, Function<UUID, Uni<T>> byId, BiFunction<UUID, String, Uni<T>> byName) {
    // a name that cannot exist never reaches the database (a NUL in it would make PostgreSQL fail the query)
    if (name == null || !Validation.INSTANCE_NAME.matcher(name).matches()) {
      return Uni.createFrom().failure(DomainException.instanceNotFound());
    }
    if (principal.isAccount()) {
      return byName.apply(principal.accountId(), name).onItem().ifNull().failWith(DomainException::instanceNotFound);
    }
    if (name.equals(principal.instanceName())) {
      return byId.apply(principal.instanceId()).onItem().ifNull().failWith(DomainException::instanceNotFound);
    }
    return byName.apply(principal.accountId(), name).onItem().ifNull().failWith(DomainException::instanceNotFound)
        .onItem().failWith(i -> DomainException.forbidden("Instance token does not match this instance"));
  }

  public String token(Instance instance) {
    return cipher.decrypt(instance.tokenEnc());
  }

  public Uni<CreatedInstance> create(Principal principal, CreateInstanceRequest req) {
    if (!principal.isAccount()) {
      return Uni.createFrom().failure(DomainException.invalidToken());
    }
    if (req == null) {
      return Uni.createFrom().failure(DomainException.invalidBody());
    }
    if (req.name() == null || req.name().isEmpty()) {
      return Uni.createFrom().failure(DomainException.invalidInput("Instance name is required"));
    }
    if (!Validation.INSTANCE_NAME.matcher(req.name()).matches()) {
      return Uni.createFrom().failure(DomainException.invalidInput("Invalid instance name"));
    }
    if (req.token() != null && (req.token().isBlank() || req.token().length() > 256)) {
      return Uni.createFrom().failure(DomainException.invalidBody());
    }
    if (req.token() != null && !TokenRules.strongEnough(req.token())) {
      return Uni.createFrom().failure(DomainException.invalidInput(TOKEN_TOO_SHORT));
    }
    String token = req.token() != null ? req.token() : TokenHasher.newToken();
    String tokenHash = TokenHasher.hash(token);
    InlineBlocks blocks = InlineBlocks.from(req, cipher, targets::acceptable, targets::acceptableHost);
    Instance instance = new Instance(UUID.randomUUID(), principal.accountId(), req.name(), cipher.encrypt(token), OffsetDateTime.now(),
        DesiredState.STOPPED, InstanceState.DISCONNECTED, null, null, null, null, null, 0, blocks.settings(), blocks.proxy(), blocks.s3());
    return transactions.run(conn -> checkQuota(conn, principal.accountId())
        .chain(() -> instances.nameTaken(conn, principal.accountId(), req.name()))
        .invoke(taken -> {
          if (taken) {
            throw DomainException.conflict("Instance name already exists");
          }
        })
        .chain(() -> instances.tokenHashInUse(conn, tokenHash))
        .invoke(inUse -> {
          if (inUse) {
            throw DomainException.conflict("Instance token already in use");
          }
        })
        .chain(() -> instances.insert(conn, instance, tokenHash))
        .chain(() -> blocks.webhookRow() == null ? Uni.createFrom().voidItem()
            : integrations.upsertWebhook(conn, instance.id(), "default", blocks.webhookRow().enabled(), blocks.webhookRow().url(),
                cipher.encrypt(blocks.webhookRow().authorization()), blocks.webhookRow().byEvents(), blocks.webhookRow().events(),
                blocks.webhookRow().mediaBase64()))
        .chain(() -> blocks.websocketRow() == null ? Uni.createFrom().voidItem()
            : integrations.upsertWebsocket(conn, instance.id(), blocks.websocketRow().enabled(), blocks.websocketRow().events(),
                blocks.websocketRow().mediaBase64())))
        .onFailure(InstanceService::isUniqueViolation).transform(e -> ((PgException) e).getConstraint() != null
            && ((PgException) e).getConstraint().contains("token") ? DomainException.conflict("Instance token already in use")
                : DomainException.conflict("Instance name already exists"))
        .invoke(() -> auth.invalidate(tokenHash))
        .map(v -> new CreatedInstance(instance.name(), token, blocks.answered()));
  }

  private Uni<Void> checkQuota(SqlClient conn, UUID accountId) {
    // the account row lock serialises concurrent creates of one account, so the quota cannot be overshot
    return accounts.lockInstanceQuota(conn, accountId)
        .chain(quota -> {
          if (quota == null) {
            return Uni.createFrom().failure(DomainException.invalidToken());
          }
          return instances.countByAccount(conn, accountId).invoke(count -> {
            if (count >= quota) {
              throw DomainException.forbidden("Account instance quota exceeded");
            }
          }).replaceWithVoid();
        });
  }

  /** Instances visible to the caller, with their list-route data; {@code names} (account tokens only) narrows the list. */
  public Uni<List<Listed>> list(Principal principal, List<String> names) {
    if (!principal.isAccount()) {
      return instances.listedById(principal.instanceId());
    }
    if (names == null || names.isEmpty()) {
      return instances.listedByAccount(principal.accountId());
    }
    // names that cannot exist are not looked up (a NUL would fail the query)
    List<String> possible = names.stream().filter(n -> Validation.INSTANCE_NAME.matcher(n).matches()).toList();
    Uni<List<Listed>> lookup = possible.isEmpty() ? Uni.createFrom().item(List.of()) : instances.listedByNames(principal.accountId(), possible);
    return lookup.map(found -> {
      Map<String, Listed> byName = new LinkedHashMap<>();
      found.forEach(l -> byName.put(l.instance().name(), l));
      List<Listed> picked = new ArrayList<>();
      names.stream().distinct().forEach(n -> {
        if (byName.containsKey(n)) {
          picked.add(byName.get(n));
        }
      });
      if (picked.isEmpty() && names.size() == 1) {
        throw DomainException.instanceNotFound();
      }
      return picked;
    });
  }

  private static boolean isUniqueViolation(Throwable t) {
    return t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }
}
