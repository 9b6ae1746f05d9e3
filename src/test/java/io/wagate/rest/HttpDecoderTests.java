package io.wagate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Request lines that hide a control byte are refused by the HTTP decoder itself (Netty 4.1.135 and later), never read
 * as a clean request: a front proxy that parses them differently would otherwise let one request smuggle another.
 * Netty 4.1.133, which Quarkus 3.33.2 brings, stripped the byte and answered as if it were absent (401 here).
 */
@QuarkusTest
class HttpDecoderTests {
  @Test
  void aControlByteBeforeTheVersionIsABadRequest() throws IOException {
    // the decoder answers before any route runs: a bare 400 (the version could not be read, so it answers HTTP/1.0)
    assertThat(raw("GET /api/instance/list \u0000HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).matches("(?s)HTTP/1\\.[01] 400 .*");
  }

  @Test
  void theSameRequestWithoutTheByteReachesTheRoute() throws IOException {
    assertThat(raw("GET /api/instance/list HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 401 ");
  }

  private static String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) > 0; ) {
        answer.write(buf, 0, n);
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
