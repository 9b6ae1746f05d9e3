package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.wagate.support.Api;
import io.wagate.support.Prometheus;

/**
 * §1.4: fixed 60-second windows per token, a separate create bucket, per-address counting without a valid token.
 * The per-address tests run last: once this client address is over its limit, tokens that are not cached yet are
 * refused before their lookup, which would also refuse the fresh accounts of the other tests.
 */
@QuarkusTest
@TestProfile(LowRateLimitProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitTests {

  /**
   * Sends {@code count} requests inside one window. Windows are aligned to the minute, so a run that straddles a
   * boundary is repeated once (the second run starts right after a fresh boundary).
   */
  static List<Response> inOneWindow(int count, Supplier<Response> request) {
    for (int attempt = 0; attempt < 2; attempt++) {
      List<Response> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        out.add(request.get());
      }
      if (out.stream().map(r -> r.header("X-RateLimit-Reset")).distinct().count() == 1) {
        return out;
      }
    }
    throw new AssertionError("two runs straddled a window boundary");
  }

  @Test
  void perAccountLimitGives429WithHeaders() {
    String account = Api.newAccount(10, 3);
    String name = Api.unique("rl");
    Api.newInstance(account, name);
    List<Response> rs = inOneWindow(4, () -> Api.as(account).get("/api/instance/list"));
    for (int i = 0; i < 3; i++) {
      rs.get(i).then().statusCode(200).header("X-RateLimit-Limit", "3").header("X-RateLimit-Remaining", Integer.toString(2 - i));
    }
    rs.get(3).then().statusCode(429).body("success", equalTo(false)).body("error.message", equalTo("Rate limit exceeded. Try again later."))
        .header("X-RateLimit-Limit", "3").header("X-RateLimit-Remaining", "0");
    long retryAfter = Long.parseLong(rs.get(3).header("Retry-After"));
    assertThat(retryAfter).isBetween(1L, 60L);
    long reset = Long.parseLong(rs.get(3).header("X-RateLimit-Reset"));
    assertThat(reset).isGreaterThan(System.currentTimeMillis() / 1000 - 1).isLessThanOrEqualTo(System.currentTimeMillis() / 1000 + 60);
  }

  @Test
  void instanceTokenSharesTheAccountLimitValueButHasItsOwnBucket() {
    String account = Api.newAccount(10, 2);
    String name = Api.unique("rl-inst");
    String instanceToken = Api.newInstance(account, name);
    Api.as(instanceToken).get("/api/instance/getSettings/" + name).then().statusCode(200).header("X-RateLimit-Limit", "2");
  }

  @Test
  void createHasItsOwnBucketAndDoesNotConsumeTheGlobalOne() {
    String account = Api.newAccount(20, 2);
    List<Response> rs = inOneWindow(4, () -> Api.as(account).contentType(ContentType.JSON)
        .body("{\"name\":\"" + Api.unique("c") + "\"}").post("/api/instance/new"));
    for (int i = 0; i < 3; i++) {
      rs.get(i).then().statusCode(201).header("X-RateLimit-Limit", "3");
    }
    rs.get(3).then().statusCode(429).body("error.message", equalTo("Rate limit exceeded. Try again later.")).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    Api.as(account).get("/api/instance/list").then().statusCode(200).header("X-RateLimit-Limit", "2");
  }

  @Test
  @Order(Integer.MAX_VALUE - 1)
  void withoutValidTokenTheClientAddressIsCounted() {
    String account = Api.newAccount();
    // unknown routes carry the headers too (asked first: a token not cached yet is refused once the address is over its limit)
    Api.as(account).get("/api/unknown").then().statusCode(404).header("X-RateLimit-Remaining", org.hamcrest.Matchers.notNullValue());
    List<Response> rs = inOneWindow(6, () -> Api.as("bogus-token").get("/api/instance/list"));
    for (int i = 0; i < rs.size(); i++) {
      Response r = rs.get(i);
      assertThat(r.header("X-RateLimit-Limit")).isEqualTo("5");
      assertThat(r.header("X-RateLimit-Reset")).isNotNull();
      assertThat(r.statusCode()).isIn(401, 429);
    }
    rs.get(rs.size() - 1).then().statusCode(429).body("error.message", equalTo("Rate limit exceeded. Try again later."));
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void aFloodOfRandomTokensIsRefusedBeforeTheirLookup() {
    for (int attempt = 0; attempt < 2; attempt++) {
      double before = Prometheus.value("wagate_auth_lookups_total", Map.of());
      List<Response> rs = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        rs.add(Api.as(UUID.randomUUID().toString() + UUID.randomUUID()).get("/api/instance/list"));
      }
      double after = Prometheus.value("wagate_auth_lookups_total", Map.of());
      if (rs.stream().map(r -> r.header("X-RateLimit-Reset")).distinct().count() != 1) {
        continue; // straddled a window boundary: the new window admits a few lookups again
      }
      assertThat(before).as("the lookup counter is exported").isGreaterThanOrEqualTo(0);
      // at most the address' 5 requests of this window reach the database; every later one is 429 without a lookup
      assertThat(after - before).isLessThanOrEqualTo(5);
      for (Response r : rs.subList(5, rs.size())) {
        r.then().statusCode(429).body("error.message", equalTo("Rate limit exceeded. Try again later.")).header("X-RateLimit-Limit", "5")
            .header("X-RateLimit-Remaining", "0").header("Retry-After", org.hamcrest.Matchers.notNullValue());
      }
      return;
    }
    throw new AssertionError("two runs straddled a window boundary");
  }
}
