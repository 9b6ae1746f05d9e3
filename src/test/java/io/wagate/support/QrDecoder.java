package io.wagate.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

/**
 * Reads a {@code data:image/png;base64,...} URL back into its QR text. The image is read as the pure, axis-aligned barcode it
 * is: ZXing's camera-style finder-pattern detector misses about 2% of perfectly rendered codes (QrPngTests), which made a
 * pairing test fail at random while the PNG itself was exact.
 */
public final class QrDecoder {
  private QrDecoder() {
  }

  public static String decode(String dataUrl) throws Exception {
    String prefix = "data:image/png;base64,";
    if (!dataUrl.startsWith(prefix)) {
      throw new AssertionError("not a PNG data URL: " + dataUrl.substring(0, Math.min(40, dataUrl.length())));
    }
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(dataUrl.substring(prefix.length()))));
    if (image == null) {
      throw new IOException("not a readable PNG");
    }
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new ImageSource(image))), Map.of(DecodeHintType.PURE_BARCODE, true))
        .getText();
  }

  private static final class ImageSource extends LuminanceSource {
    private final byte[] pixels;

    ImageSource(BufferedImage image) {
      super(image.getWidth(), image.getHeight());
      pixels = new byte[image.getWidth() * image.getHeight()];
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int rgb = image.getRGB(x, y);
          pixels[y * image.getWidth() + x] = (byte) (((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3);
        }
      }
    }

    @Override
    public byte[] getRow(int y, byte[] row) {
      byte[] out = row == null || row.length < getWidth() ? new byte[getWidth()] : row;
      System.arraycopy(pixels, y * getWidth(), out, 0, getWidth());
      return out;
    }

    @Override
    public byte[] getMatrix() {
      return pixels;
    }
  }
}
