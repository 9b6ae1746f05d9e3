package io.wagate.support;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples from the Prometheus text served at /q/metrics. */
public final class Prometheus {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private Prometheus() {
  }

  public static String scrape() {
    return Api.ops().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** The sum of the samples named {@code name} whose labels include {@code labels}; -1 when there is none. */
  public static double value(String text, String name, Map<String, String> labels) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line.trim());
      if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) {
        continue;
      }
      Map<String, String> have = new HashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          have.put(l.group(1), l.group(2));
        }
      }
      if (have.entrySet().containsAll(labels.entrySet())) {
        sum += Double.parseDouble(m.group(3));
        found = true;
      }
    }
    return found ? sum : -1;
  }

  public static double value(String name, Map<String, String> labels) {
    return value(scrape(), name, labels);
  }
}
