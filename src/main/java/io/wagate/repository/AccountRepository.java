package io.wagate.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.Account;

/** The account table through the reactive PostgreSQL client; methods taking a {@link SqlClient} join the caller's transaction. */
@ApplicationScoped
public class AccountRepository {
  private static final String COLUMNS = "id, name, token_hash, instance_quota, rate_limit_per_minute, created_at";

  private final Pool pool;

  public AccountRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<Account> findByTokenHash(SqlClient client, String tokenHash) {
    return one(client, "SELECT " + COLUMNS + " FROM account WHERE token_hash = $1", Tuple.of(tokenHash));
  }

  public Uni<Account> findByName(SqlClient client, String name) {
    return one(client, "SELECT " + COLUMNS + " FROM account WHERE name = $1", Tuple.of(name));
  }

  public Uni<List<Account>> listByName() {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM account ORDER BY name").execute().map(rows -> {
      List<Account> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(map(r)));
      return out;
    });
  }

  public Uni<Void> insert(SqlClient client, Account a) {
    return client.preparedQuery("INSERT INTO account (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(a.id(), a.name(), a.tokenHash(), a.instanceQuota(), a.rateLimitPerMinute(), a.createdAt())).replaceWithVoid();
  }

  /**
   * The account's instance quota, its row locked for the caller's transaction (null: no such account). The lock
   * serialises concurrent creates of one account, so the quota cannot be overshot.
   */
  public Uni<Integer> lockInstanceQuota(SqlClient client, UUID accountId) {
    return client.preparedQuery("SELECT instance_quota FROM account WHERE id = $1 FOR UPDATE").execute(Tuple.of(accountId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger(0));
  }

  private static Uni<Account> one(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args).map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
  }

  private static Account map(Row r) {
    return new Account(r.getUUID("id"), r.getString("name"), r.getString("token_hash"), r.getInteger("instance_quota"),
        r.getInteger("rate_limit_per_minute"), r.getOffsetDateTime("created_at"));
  }
}
