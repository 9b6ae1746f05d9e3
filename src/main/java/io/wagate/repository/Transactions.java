package io.wagate.repository;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A transaction for work that spans repositories (a state update with its event rows, a create with its inline
 * blocks): the caller passes the connection to repository methods that take a {@code SqlClient}. No repository hands
 * out its pool; this is the one way in.
 */
@ApplicationScoped
public class Transactions {
  private final Pool pool;

  public Transactions(Pool pool) {
    this.pool = pool;
  }

  public <T> Uni<T> run(Function<SqlConnection, Uni<T>> work) {
    return pool.withTransaction(work);
  }
}
