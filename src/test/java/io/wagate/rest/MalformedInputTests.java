package io.wagate.rest;

import static org.hamcrest.Matchers.equalTo;

import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.wagate.support.Api;

/** Every POST and the connect query refuse bad input with 400 and the literal message; never 500. */
@QuarkusTest
class MalformedInputTests {
  static String account;
  static String name;

  @BeforeEach
  void setUp() {
    if (account == null) {
      account = Api.newAccount(50, 100_000);
      name = Api.unique("malformed");
      Api.newInstance(account, name);
    }
  }

  static Stream<Arguments> posts() {
    return Stream.of(
        Arguments.of("new", "{\"name\": ", "Invalid request body"),
        Arguments.of("new", "{\"name\": [1]}", "Invalid request body"),
        Arguments.of("new", "{\"name\": \"x\", \"proxyEnabled\": \"maybe\"}", "Invalid request body"),
        Arguments.of("new", "\"just a string\"", "Invalid request body"),
        Arguments.of("new", "{}", "Instance name is required"),
        Arguments.of("new", "{\"name\": \"\"}", "Instance name is required"),
        Arguments.of("new", "{\"name\": \"has space\"}", "Invalid instance name"),
        Arguments.of("new", "{\"name\": \"slash/name\"}", "Invalid instance name"),
        Arguments.of("new", "{\"name\": \"" + "a".repeat(101) + "\"}", "Invalid instance name"),
        Arguments.of("settings/%s", "{", "Invalid request body"),
        Arguments.of("settings/%s", "{\"autoRejectCalls\": \"yes\"}", "Invalid request body"),
        Arguments.of("settings/%s", "{}", "At least one setting must be provided"),
        Arguments.of("settings/%s", "{\"unknownSetting\": true}", "At least one setting must be provided"),
        Arguments.of("proxy/%s", "{", "Invalid request body"),
        Arguments.of("proxy/%s", "{\"enabled\": true, \"port\": \"1080\", \"protocol\": \"http\"}", "Invalid proxy configuration: host"),
        Arguments.of("proxy/%s", "{\"enabled\": true, \"host\": \"h\", \"port\": \"0\", \"protocol\": \"http\"}", "Invalid proxy configuration: port"),
        Arguments.of("proxy/%s", "{\"enabled\": true, \"host\": \"h\", \"port\": \"65536\", \"protocol\": \"http\"}", "Invalid proxy configuration: port"),
        Arguments.of("proxy/%s", "{\"enabled\": true, \"host\": \"h\", \"port\": \"abc\", \"protocol\": \"http\"}", "Invalid proxy configuration: port"),
        Arguments.of("proxy/%s", "{\"enabled\": true, \"host\": \"h\", \"port\": \"80\", \"protocol\": \"ftp\"}", "Invalid proxy configuration: protocol"),
        Arguments.of("proxy/%s", "{\"enabled\": \"on\"}", "Invalid request body"),
        Arguments.of("s3/%s", "{", "Invalid request body"),
        Arguments.of("s3/%s", "{\"enabled\": 12}", "Invalid request body"),
        Arguments.of("s3/%s", "{\"region\": \"x\"}", "Invalid request body"),
        // control characters: PostgreSQL cannot store NUL, none belongs in a host, user name or S3 field
        Arguments.of("new", "{\"name\": \"nul\\u0000name\"}", "Invalid request body"),
        Arguments.of("settings/%s", "{\"callRejectMessage\": \"busy\\u0000\"}", "Invalid request body"),
        Arguments.of("proxy/%s", "{\"enabled\": true, \"host\": \"h\\u0000\", \"port\": \"80\", \"protocol\": \"http\"}", "Invalid request body"),
        Arguments.of("proxy/%s", "{\"enabled\": true, \"host\": \"h\\u0001\", \"port\": \"80\", \"protocol\": \"http\"}", "Invalid proxy configuration: host"),
        Arguments.of("proxy/%s", "{\"host\": \"h\", \"port\": \"80\", \"protocol\": \"http\", \"username\": \"u\\u0000\"}", "Invalid request body"),
        Arguments.of("proxy/%s", "{\"host\": \"h\", \"port\": \"80\", \"protocol\": \"http\", \"username\": \"u\\u001b[0m\"}",
            "Invalid proxy configuration: username"),
        Arguments.of("s3/%s", "{\"enabled\": true, \"region\": \"eu\\u0000\"}", "Invalid request body"),
        Arguments.of("s3/%s", "{\"enabled\": true, \"bucket\": \"b\\u0007\"}", "Invalid request body"),
        Arguments.of("s3/%s", "{\"enabled\": true, \"pathPrefix\": \"p\\nq\"}", "Invalid request body"));
  }

  @ParameterizedTest(name = "POST {0} {1} -> {2}")
  @MethodSource("posts")
  void postRefusesBadBody(String route, String body, String message) {
    Api.as(account).contentType(ContentType.JSON).body(body).post("/api/instance/" + route.formatted(name)).then().statusCode(400)
        .body("success", equalTo(false)).body("error.message", equalTo(message));
  }

  @ParameterizedTest(name = "GET getSettings/{0} -> 404")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"a%00b", "%00", "a%01b", "a%0Ab", "a%7Fb"})
  void controlCharacterInTheInstanceNameIsNotFound(String encoded) {
    Api.as(account).urlEncodingEnabled(false).get("/api/instance/getSettings/" + encoded).then().statusCode(404)
        .body("success", equalTo(false)).body("error.message", equalTo("Instance not found"));
    if (!encoded.startsWith("%")) { // a name of control characters only is blank once trimmed: no filter at all
      Api.as(account).urlEncodingEnabled(false).get("/api/instance/list?instanceName=" + encoded).then().statusCode(404)
          .body("error.message", equalTo("Instance not found"));
    }
    Api.as(account).urlEncodingEnabled(false).contentType(ContentType.JSON).body("{\"url\": \"http://127.0.0.1:9/x\"}")
        .post("/api/events/webhook/" + encoded).then().statusCode(404).body("error.message", equalTo("Instance not found"));
  }

  static Stream<Arguments> connectQueries() {
    return Stream.of(
        Arguments.of("number", "123", "Invalid phone number"),
        Arguments.of("number", "55119999999999999", "Invalid phone number"),
        Arguments.of("number", "+5511999999999", "Invalid phone number"),
        Arguments.of("number", "", "Invalid phone number"),
        Arguments.of("history", "0", "Invalid history value"),
        Arguments.of("history", "366", "Invalid history value"),
        Arguments.of("history", "ten", "Invalid history value"));
  }

  @ParameterizedTest(name = "connect ?{0}={1} -> {2}")
  @MethodSource("connectQueries")
  void connectRefusesBadQuery(String param, String value, String message) {
    Api.as(account).queryParam(param, value).get("/api/instance/connect/" + name).then().statusCode(400)
        .body("success", equalTo(false)).body("error.message", equalTo(message));
  }
}
