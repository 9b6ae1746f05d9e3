package io.wagate.rest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.InjectEmulator;

/** Base of the tests that break the emulator or the sidecar on purpose: an account, the emulator's controls, and a clean slate after each test. */
abstract class SidecarFixture {
  // keyed by the concrete class so that each test class keeps an account of its own, as when each had its own static field
  private static final Map<Class<?>, String> ACCOUNTS = new ConcurrentHashMap<>();

  private final Duration pairTimeout;
  String account;

  @InjectEmulator
  EmulatorControl emulator;

  @Inject
  CircuitBreakerMaintenance breakers;

  SidecarFixture(Duration pairTimeout) {
    this.pairTimeout = pairTimeout;
  }

  @BeforeEach
  void account() {
    account = ACCOUNTS.computeIfAbsent(getClass(), c -> Api.newAccount(50, 100_000));
  }

  // a fault or an open breaker left behind would fail the next test for the wrong reason
  @AfterEach
  void reset() {
    emulator.clearFaults();
    breakers.resetAll();
  }

  String pair(String name, String phone) {
    return Api.pair(emulator, account, name, phone, pairTimeout);
  }
}
