package io.wagate.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.wagate.Account;

@ApplicationScoped
@WithSession
public class AccountRepository implements PanacheRepositoryBase<Account, UUID> {

  public Uni<Account> findByTokenHash(String tokenHash) {
    return find("tokenHash", tokenHash).firstResult();
  }

  public Uni<Account> findByName(String name) {
    return find("name", name).firstResult();
  }

  public Uni<List<Account>> listByName() {
    return list("order by name");
  }
}
