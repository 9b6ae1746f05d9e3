package io.wagate.service;

import io.wagate.Instance;
import io.wagate.security.SecretCipher;
import io.wagate.service.command.S3Request;

/** S3 configuration is storage only (there is no media yet); {@code enabled: false} drops the credentials. */
final class S3Blocks {
  private S3Blocks() {
  }

  static Instance.S3 build(S3Request r, SecretCipher cipher) {
    if (!Boolean.TRUE.equals(r.enabled())) {
      return Instance.S3.NONE;
    }
    return new Instance.S3(true, r.region(), r.bucket(), r.accessKey(), cipher.encrypt(r.secretKey()), r.endpoint(), r.pathPrefix());
  }
}
