package io.wagate.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/**
 * Renders a QR code as a PNG data URL. The PNG is written by hand (1-bit grayscale, one zlib stream) so that no AWT is
 * needed, which keeps the native image small and free of desktop libraries. CPU-bound: call it off the event loop.
 */
public final class QrPng {
  private static final int SIZE = 256;
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private QrPng() {
  }

  public static String dataUrl(String content) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(content));
  }

  static byte[] png(String content) {
    BitMatrix matrix;
    // a margin of 4 modules is the quiet zone ISO 18004 asks for; phone scanners find the code faster with it
    try {
      matrix = new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, SIZE, SIZE,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L, EncodeHintType.MARGIN, 4, EncodeHintType.CHARACTER_SET, "UTF-8"));
    } catch (WriterException e) {
      throw new IllegalArgumentException("QR content cannot be encoded", e);
    }
    int width = matrix.getWidth();
    int height = matrix.getHeight();
    int rowBytes = (width + 7) / 8;
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(raw)) {
      byte[] row = new byte[rowBytes + 1];
      for (int y = 0; y < height; y++) {
        java.util.Arrays.fill(row, (byte) 0);
        for (int x = 0; x < width; x++) {
          if (!matrix.get(x, y)) {
            // bit set = white in 1-bit grayscale; dark modules stay 0
            row[1 + x / 8] |= (byte) (0x80 >>> (x % 8));
          }
        }
        z.write(row);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SIGNATURE);
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array());
    chunk(out, "IDAT", raw.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
