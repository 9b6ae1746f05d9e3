package io.wagate.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagate.Principal;

/** Resolves a token hash to an account or instance principal in one round trip. */
@ApplicationScoped
public class AuthRepository {
  private final Pool pool;

  public AuthRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<Principal> findByTokenHash(String tokenHash) {
    return pool.preparedQuery("SELECT a.id AS account_id, a.rate_limit_per_minute, NULL::uuid AS instance_id, NULL::text AS instance_name"
        + " FROM account a WHERE a.token_hash = $1"
        + " UNION ALL SELECT i.account_id, a.rate_limit_per_minute, i.id, i.name"
        + " FROM instance i JOIN account a ON a.id = i.account_id WHERE i.token_hash = $1")
        .execute(Tuple.of(tokenHash))
        .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next(), tokenHash));
  }

  private static Principal map(Row r, String tokenHash) {
    return new Principal(r.getUUID("account_id"), r.getInteger("rate_limit_per_minute"), r.getUUID("instance_id"), r.getString("instance_name"), tokenHash);
  }
}
