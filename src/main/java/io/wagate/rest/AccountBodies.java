package io.wagate.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wagate.mapping.Views.AccountView;
import io.wagate.mapping.Views.CreatedAccount;

/** The bodies of the accounts extension (docs/API.md, section 1.3); component order is the JSON order. */
public final class AccountBodies {
  private AccountBodies() {
  }

  @RegisterForReflection
  @Schema(name = "AccountCreatedResponse")
  public record Created(@Schema(required = true, enumeration = "true") boolean success, String message,
      @Schema(required = true) CreatedAccount account) {
    static Created of(CreatedAccount account) {
      return new Created(true, "Account created", account);
    }
  }

  @RegisterForReflection
  @Schema(name = "AccountListResponse")
  public record Accounts(@Schema(required = true, enumeration = "true") boolean success, String message,
      @Schema(required = true) List<AccountView> accounts) {
    static Accounts of(List<AccountView> accounts) {
      return new Accounts(true, accounts.size() == 1 ? "1 Account found" : accounts.size() + " Accounts found", accounts);
    }
  }
}
