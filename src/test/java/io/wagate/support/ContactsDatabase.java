package io.wagate.support;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Tuple;

/** Creates the emulator's virtual-contacts database next to the test database when it is missing. */
final class ContactsDatabase {
  private ContactsDatabase() {
  }

  static void ensure(String host, int port, String user, String password, String maintenanceDb, String name) {
    if (!name.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException("unexpected database name " + name);
    }
    Vertx vertx = Vertx.vertx();
    try {
      PgConnectOptions options = new PgConnectOptions().setHost(host).setPort(port).setUser(user).setPassword(password).setDatabase(maintenanceDb);
      PgConnection c = PgConnection.connect(vertx, options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      try {
        boolean exists = c.preparedQuery("SELECT 1 FROM pg_database WHERE datname = $1").execute(Tuple.of(name)).toCompletionStage()
            .toCompletableFuture().get(30, TimeUnit.SECONDS).size() > 0;
        if (!exists) {
          c.query("CREATE DATABASE \"" + name + "\"").execute().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
      } finally {
        c.close();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      // another test JVM created it between the check and the create: that is what we wanted
      if (!(e.getCause() instanceof PgException pg && "42P04".equals(pg.getSqlState()))) {
        throw new IllegalStateException("could not create database " + name + ": " + e.getCause().getMessage(), e);
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
    } finally {
      vertx.close();
    }
  }
}
