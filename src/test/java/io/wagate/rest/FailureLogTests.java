package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.ext.web.Router;
import io.wagate.support.Api;

/** A request that fails outside the REST layer never puts its query string, where a token may be, in the log. */
@QuarkusTest
class FailureLogTests {
  static final String FAILING = "/__test/failing-handler";

  /** A handler that throws, as the WebSocket upgrade does when its client is gone (only in @QuarkusTest apps). */
  @Singleton
  static class FailingRoute {
    void install(@Observes Router router) {
      router.get(FAILING).handler(rc -> {
        throw new IllegalStateException("failing on purpose");
      });
    }
  }

  @Test
  void aFailedRequestIsLoggedByPathWithoutItsToken() {
    String account = Api.newAccount();
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        lines.add(r.getLoggerName() + " " + String.valueOf(r.getMessage()) + " " + java.util.Arrays.toString(r.getParameters()));
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      io.restassured.RestAssured.given().get(FAILING + "?token=" + account).then().statusCode(500);
    } finally {
      root.removeHandler(capture);
    }
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(FAILING).contains("failed outside the REST layer"));
    assertThat(lines).noneSatisfy(l -> assertThat(l).contains(account));
  }
}
