package io.wagate.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Inline media and type sniffing of POST /api/message/media (pure). */
class MediaSourcesTests {
  @Test
  void inlineMedia() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    String b64 = Base64.getEncoder().encodeToString(png);
    assertThat(MediaSources.decode(b64, 100).bytes()).isEqualTo(png);
    assertThat(MediaSources.decode(b64, 100).mimetype()).isNull();
    MediaSources.Inline data = MediaSources.decode("data:Image/PNG;base64," + b64, 100);
    assertThat(data.bytes()).isEqualTo(png);
    assertThat(data.mimetype()).isEqualTo("image/png");
    assertThatThrownBy(() -> MediaSources.decode("not base64!", 100)).hasMessage("Invalid base64 media");
    assertThatThrownBy(() -> MediaSources.decode("data:image/png," + b64, 100)).hasMessage("Invalid base64 media");
    assertThatThrownBy(() -> MediaSources.decode(b64, png.length - 1)).hasMessage("Media too large");
    assertThat(MediaSources.isUrl("https://example.com/a.png")).isTrue();
    assertThat(MediaSources.isUrl("ftp://example.com/a.png")).isTrue();
    assertThat(MediaSources.isUrl(b64)).isFalse();
  }

  @Test
  void sniffing() {
    assertThat(MediaSources.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0})).isEqualTo("image/jpeg");
    assertThat(MediaSources.sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G'})).isEqualTo("image/png");
    assertThat(MediaSources.sniff("%PDF-1.7".getBytes())).isEqualTo("application/pdf");
    assertThat(MediaSources.sniff("OggS\0".getBytes())).isEqualTo("audio/ogg");
    assertThat(MediaSources.sniff(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p'})).isEqualTo("video/mp4");
    assertThat(MediaSources.sniff("RIFF\0\0\0\0WEBP".getBytes())).isEqualTo("image/webp");
    assertThat(MediaSources.sniff(new byte[] {1, 2})).isEqualTo("application/octet-stream");
  }
}
