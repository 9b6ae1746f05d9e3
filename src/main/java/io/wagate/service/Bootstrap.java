package io.wagate.service;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.wagate.config.WagateConfig;
import io.wagate.security.SecretCipher;
import io.wagate.security.TokenRules;

/** Start-up checks and the bootstrap account. Runs on the main thread, before traffic, so blocking here is fine. */
@ApplicationScoped
public class Bootstrap {
  private final WagateConfig config;
  private final AccountService accounts;
  private final jakarta.enterprise.inject.Instance<SecretCipher> cipher;

  public Bootstrap(WagateConfig config, AccountService accounts, jakarta.enterprise.inject.Instance<SecretCipher> cipher) {
    this.config = config;
    this.accounts = accounts;
    this.cipher = cipher;
  }

  void onStart(@Observes StartupEvent event) throws Throwable {
    try {
      cipher.get().encrypt("probe");
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      // one clear line instead of a CDI stack trace: the operator only needs to set the key
      Log.error("wagate cannot start: " + root.getMessage());
      Quarkus.asyncExit(1);
      return;
    }
    Optional<String> adminProblem = TokenRules.adminTokenProblem(config.admin().token());
    if (adminProblem.isPresent()) {
      // refused like a missing encryption key: a guessable admin token would hand out accounts to anyone
      Log.error("wagate cannot start: " + adminProblem.get());
      Quarkus.asyncExit(1);
      return;
    }
    if (config.bootstrap().accountToken().filter(t -> !t.isBlank()).isPresent()) {
      boolean created = VertxContextSupport.subscribeAndAwait(() -> accounts.ensureBootstrap(config.bootstrap().accountToken().get(),
          config.bootstrap().accountName()).ifNoItem().after(Duration.ofSeconds(30)).fail());
      if (created) {
        Log.infof("Bootstrap account '%s' created", config.bootstrap().accountName());
      }
    }
  }
}
