package io.wagate.nativeimage;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import com.oracle.svm.core.annotate.Alias;
import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.CipherSuiteFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextOption;
import io.netty.handler.ssl.SslProvider;

/**
 * Native image only. Quarkus 3.33.2 keeps Netty's OpenSSL contexts out of the image by substituting
 * {@code SslContext.newClientContextInternal} as Netty 4.1.133 declares it. We run Netty 4.1.137 (HTTP decoder fixes,
 * pom.xml), which adds an overload with one more boolean that {@code SslContextBuilder} calls directly; unsubstituted,
 * it pulls {@code ReferenceCountedOpenSslClientContext} into the analysis and the build fails. This gives the new
 * overload the same JDK-only body; the extra flag only concerns OpenSSL.
 */
@TargetClass(className = "io.netty.handler.ssl.SslContext")
final class Target_SslContext_ClientOverload {
  @Substitute
  @SuppressWarnings("unused")
  static SslContext newClientContextInternal(SslProvider provider, Provider sslContextProvider, X509Certificate[] trustCert,
      TrustManagerFactory trustManagerFactory, X509Certificate[] keyCertChain, PrivateKey key, String keyPassword,
      KeyManagerFactory keyManagerFactory, Iterable<String> ciphers, CipherSuiteFilter cipherFilter, ApplicationProtocolConfig apn,
      String[] protocols, long sessionCacheSize, long sessionTimeout, boolean enableOcsp, boolean openSslOnly, SecureRandom secureRandom,
      String keyStoreType, String endpointIdentificationAlgorithm, Map.Entry<SslContextOption<?>, Object>... options) throws SSLException {
    if (enableOcsp) {
      throw new IllegalArgumentException("OCSP is not supported with this SslProvider: " + provider);
    }
    return (SslContext) (Object) new Target_JdkSslClientContext_Wagate(sslContextProvider, trustCert, trustManagerFactory, keyCertChain, key,
        keyPassword, keyManagerFactory, ciphers, cipherFilter, apn, protocols, sessionCacheSize, sessionTimeout, secureRandom, keyStoreType,
        endpointIdentificationAlgorithm, new Target_ResumptionController_Wagate());
  }
}

@TargetClass(className = "io.netty.handler.ssl.JdkSslClientContext")
final class Target_JdkSslClientContext_Wagate {
  @Alias
  @SuppressWarnings("unused")
  Target_JdkSslClientContext_Wagate(Provider sslContextProvider, X509Certificate[] trustCertCollection, TrustManagerFactory trustManagerFactory,
      X509Certificate[] keyCertChain, PrivateKey key, String keyPassword, KeyManagerFactory keyManagerFactory, Iterable<String> ciphers,
      CipherSuiteFilter cipherFilter, ApplicationProtocolConfig apn, String[] protocols, long sessionCacheSize, long sessionTimeout,
      SecureRandom secureRandom, String keyStoreType, String endpointIdentificationAlgorithm, Target_ResumptionController_Wagate resumptionController)
      throws SSLException {
  }
}

@TargetClass(className = "io.netty.handler.ssl.ResumptionController")
final class Target_ResumptionController_Wagate {
  @Alias
  Target_ResumptionController_Wagate() {
  }
}
