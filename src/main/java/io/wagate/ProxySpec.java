package io.wagate;

/** A proxy with its password decrypted, only ever handed to the sidecar. */
public record ProxySpec(String protocol, String host, int port, String username, String password) {

  @Override
  public String toString() {
    return "ProxySpec[" + protocol + "://" + host + ":" + port + "]";
  }
}
