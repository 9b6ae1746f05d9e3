package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.restassured.response.ValidatableResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.wagate.support.Api;
import io.wagate.support.EmulatorControl;
import io.wagate.support.EventLog;
import io.wagate.support.InjectEmulator;
import io.wagate.support.MessageSteps;

/** POST /api/message/media: by URL (streamed, capped) and by base64, to a virtual contact that downloads and decrypts it. */
@QuarkusTest
class MessageMediaTests {
  static final Duration TIMEOUT = Duration.ofSeconds(40);
  /** %test.wagate.media.max-bytes */
  static final int CAP = 1_048_576;

  @InjectEmulator
  EmulatorControl emulator;

  @Inject
  EventLog log;

  @Test
  void mediaRoundTrip() throws Exception {
    MessageSteps.Paired paired = MessageSteps.pairedWithContact(emulator, "media", "Duda", TIMEOUT);
    String account = paired.account();
    String name = paired.name();
    String token = paired.token();
    String contact = paired.contact();
    byte[] photo = random(300_000, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    byte[] pdf = random(200_000, '%', 'P', 'D', 'F', '-', '1', '.', '7');
    HttpServer files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    files.createContext("/pics/photo.png", x -> answer(x.getResponseHeaders(), x, "image/png", photo, photo.length));
    files.createContext("/moved", x -> {
      x.getResponseHeaders().add("Location", "/pics/photo.png");
      x.sendResponseHeaders(302, -1);
      x.close();
    });
    files.createContext("/big", x -> answer(x.getResponseHeaders(), x, "image/png", new byte[CAP + 1], CAP + 1));
    // no Content-Length: the cap is found while streaming, and the download stops there
    files.createContext("/endless", x -> answer(x.getResponseHeaders(), x, "image/png", new byte[4 * CAP], 0));
    files.start();
    String base = "http://127.0.0.1:" + files.getAddress().getPort();
    try {
      // an image by URL (through a redirect) with a caption: the contact decrypts the same bytes
      ValidatableResponse image = MessageSteps.post(token, "message/media", name, new JsonObject().put("number", contact).put("mediaType", "image")
          .put("mediaUrl", base + "/moved").put("message", "the view").put("source", "crm"), null).statusCode(200)
          .body("message", equalTo("Message sent successfully")).body("data.messageType", equalTo("image")).body("data.content", equalTo("the view"))
          .body("data.mediaMimeType", equalTo("image/png")).body("data.mediaSize", equalTo(photo.length));
      String imageId = image.extract().path("data.messageId");
      JsonObject got = MessageSteps.awaitEntry(emulator, contact, TIMEOUT, e -> imageId.equals(e.getString("id")));
      assertThat(got.getJsonObject("media").getString("sha256")).isEqualTo(sha256(photo));
      assertThat(got.getJsonObject("media").getString("caption")).isEqualTo("the view");
      assertThat(sha256(emulator.contactMedia(contact, imageId))).isEqualTo(sha256(photo));
      JsonObject echo = MessageSteps.event(log, name, account, "message.exchange", d -> imageId.equals(d.getString("id"))).orElseThrow()
          .getJsonObject("message");
      assertThat(echo.getString("type")).isEqualTo("image");
      assertThat(echo.getJsonObject("media").getLong("size")).isEqualTo(photo.length);
      assertThat(echo.getJsonObject("content").getString("text")).isEqualTo("the view");

      // a document by base64 with a file name; its type found from its first bytes
      String docId = MessageSteps.post(token, "message/media", name, new JsonObject().put("number", contact).put("mediaType", "document")
          .put("mediaBase64", Base64.getEncoder().encodeToString(pdf)).put("fileName", "report.pdf"), null).statusCode(200)
          .body("data.mediaMimeType", equalTo("application/pdf")).extract().path("data.messageId");
      JsonObject doc = MessageSteps.awaitEntry(emulator, contact, TIMEOUT, e -> docId.equals(e.getString("id"))).getJsonObject("media");
      assertThat(doc.getString("fileName")).isEqualTo("report.pdf");
      assertThat(doc.getString("mimetype")).isEqualTo("application/pdf");
      assertThat(doc.getString("sha256")).isEqualTo(sha256(pdf));

      JsonObject to = new JsonObject().put("number", contact);
      MessageSteps.error(media(token, name, to.copy().put("mediaType", "image").put("mediaUrl", base + "/big")), 400, "Media too large");
      MessageSteps.error(media(token, name, to.copy().put("mediaType", "image").put("mediaUrl", base + "/endless")), 400, "Media too large");
      MessageSteps.error(media(token, name, to.copy().put("mediaType", "image").put("mediaUrl", base + "/missing")), 400,
          "Failed to download media: HTTP 404");
      MessageSteps.error(media(token, name, to.copy().put("mediaType", "image").put("mediaUrl", "ftp://example.com/a.png")), 400,
          "Failed to download media: only http and https URLs are fetched");
      MessageSteps.error(media(token, name, to.copy().put("mediaUrl", base + "/big")), 400, "mediaType is required");
      MessageSteps.error(media(token, name, to.copy().put("mediaType", "sticker").put("mediaUrl", base + "/big")), 400, "Invalid mediaType");
      MessageSteps.error(media(token, name, to.copy().put("mediaType", "image")), 400, "mediaUrl or mediaBase64 is required");
      MessageSteps.error(media(token, name, to.copy().put("mediaType", "image").put("mediaUrl", base + "/big").put("mediaBase64", "AAAA")), 400,
          "Send either mediaUrl or mediaBase64, not both");
      MessageSteps.error(media(token, name, to.copy().put("mediaType", "image").put("mediaBase64", "not base64!")), 400, "Invalid base64 media");
      MessageSteps.error(media(token, name, new JsonObject().put("mediaType", "image").put("mediaBase64", "AAAA")), 400, "Number is required");
      MessageSteps.error(media(token, Api.unique("missing"), to), 404, "Instance not found");
    } finally {
      files.stop(0);
    }
  }

  private static ValidatableResponse media(String token, String name, JsonObject body) {
    return MessageSteps.post(token, "message/media", name, body, null);
  }

  /** Answers {@code body}; {@code length} 0 sends it chunked, without a Content-Length. */
  private static void answer(com.sun.net.httpserver.Headers headers, com.sun.net.httpserver.HttpExchange x, String type, byte[] body, int length)
      throws IOException {
    headers.add("Content-Type", type);
    x.sendResponseHeaders(200, length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    } catch (IOException e) {
      // the gateway hung up once it had enough: that is the point of the capped cases
    }
    x.close();
  }

  private static byte[] random(int size, int... magic) {
    byte[] b = new byte[size];
    ThreadLocalRandom.current().nextBytes(b);
    for (int i = 0; i < magic.length; i++) {
      b[i] = (byte) magic[i];
    }
    return b;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
