package io.wagate.config;

/** This machine's name: the pod name in Kubernetes ({@code HOSTNAME}), which a container restart keeps. */
public final class HostName {
  private HostName() {
  }

  public static String get() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "wagate";
    }
  }
}
