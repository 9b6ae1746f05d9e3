import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * bin/native-image of the local native-image harness (scripts/native-toolchain.sh). GraalVM distributions ship a
 * driver that turns the command line into one image-builder JVM; no registry serves it, so this is the project's own,
 * covering what Quarkus and plain use pass: -J, -H:, -R:, -D, -cp, -jar (manifest Class-Path and Main-Class), -o,
 * an image name, @argfiles, --exclude-config, --verbose, --version, the long options listed in LONG_OPTIONS, and the
 * META-INF/native-image directories of the class path (native-image.properties Args/JavaArgs/ImageName, config files).
 * Usage: java NiDriver HOME args... (bin/native-image); BuilderArgs writes the builder JVM's arguments at setup.
 */
public final class NiDriver {
  /** --name[=value] to a builder option: "+X" boolean, "X=" value (or the default after '|'), "X:suffix" per element. */
  private static final Map<String, String> LONG_OPTIONS = Map.ofEntries(
      Map.entry("features", "Features="),
      Map.entry("initialize-at-run-time", "ClassInitialization:run_time"),
      Map.entry("initialize-at-build-time", "ClassInitialization:build_time"),
      Map.entry("link-at-build-time", "LinkAtBuildTime=|"),
      Map.entry("link-at-build-time-paths", "LinkAtBuildTimePaths="),
      Map.entry("enable-url-protocols", "EnableURLProtocols="),
      Map.entry("enable-http", "EnableURLProtocols=|http"),
      Map.entry("enable-https", "EnableURLProtocols=|https"),
      Map.entry("enable-all-security-services", "+EnableAllSecurityServices"),
      Map.entry("enable-monitoring", "EnableMonitoringFeatures=|<deprecated-default>"),
      Map.entry("install-exit-handlers", "+InstallExitHandlers"),
      Map.entry("report-unsupported-elements-at-runtime", "+ReportUnsupportedElementsAtRuntime"),
      Map.entry("allow-incomplete-classpath", "+AllowIncompleteClasspath"),
      Map.entry("trace-object-instantiation", "TraceObjectInstantiation="),
      Map.entry("trace-class-initialization", "TraceClassInitialization="),
      Map.entry("enable-native-access", "EnableNativeAccess="),
      Map.entry("add-exports", "AddExports="),
      Map.entry("add-opens", "AddOpens="),
      Map.entry("add-reads", "AddReads="),
      Map.entry("gc", "SupportedGCs="),
      Map.entry("color", "Color="),
      Map.entry("silent", "+BuildOutputSilent"),
      Map.entry("native-compiler-options", "CCompilerOption="),
      Map.entry("strict-image-heap", "+StrictImageHeap"));

  private final Path home;
  private final List<String> jvmArgs = new ArrayList<>();
  private final List<String> builderArgs = new ArrayList<>();
  private final List<String> classPath = new ArrayList<>();
  private final List<String[]> excludeConfig = new ArrayList<>();
  private final List<String> positional = new ArrayList<>();
  private String jar;
  private String output;
  private String mainClass;
  private String defaultImageName;
  private boolean verbose = System.getenv("NI_DRIVER_VERBOSE") != null;

  private NiDriver(Path home) {
    this.home = home;
  }

  public static void main(String[] args) throws Exception {
    NiDriver driver = new NiDriver(Path.of(args[0]));
    List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
    System.exit(driver.run(rest));
  }

  private Properties toolchain() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(home.resolve("lib/svm/toolchain.properties"))) {
      p.load(in);
    }
    return p;
  }

  private int run(List<String> args) throws Exception {
    Properties tc = toolchain();
    String version = tc.getProperty("svm.version");
    String vendorVersion = tc.getProperty("vendor.version");
    if (args.contains("--version") || args.contains("-version")) {
      String jdk = System.getProperty("java.runtime.version");
      System.out.println("native-image " + version + " " + tc.getProperty("svm.date", "2026-01-20"));
      System.out.println("GraalVM Runtime Environment " + vendorVersion + " (build " + jdk + ")");
      System.out.println("Substrate VM " + vendorVersion + " (build " + jdk + ", serial gc)");
      return 0;
    }
    parse(expandArgFiles(args));
    if (jar != null) {
      addJar(jar);
    }
    if (mainClass == null && jar == null && !positional.isEmpty()) {
      mainClass = positional.remove(0);
    }
    String name = output != null ? output : !positional.isEmpty() ? positional.get(0) : defaultImageName;
    if (name == null && mainClass != null) {
      name = mainClass.toLowerCase();
    }
    if (name == null) {
      System.err.println("native-image: no image name, main class or -jar given");
      return 2;
    }
    Path out = Path.of(name).toAbsolutePath();
    processMetaInf();

    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin/java").toString());
    cmd.add("@" + home.resolve("lib/svm/builder/builder-jvm.args"));
    if (jvmArgs.stream().noneMatch(a -> a.startsWith("-Xmx"))) {
      cmd.add("-Xmx" + Objects.requireNonNullElse(System.getenv("NI_DEFAULT_XMX"), "6g"));
    }
    cmd.add("-Dorg.graalvm.version=" + version);
    cmd.add("-Dorg.graalvm.vendorversion=" + vendorVersion);
    cmd.add("-Dorg.graalvm.vendor=" + tc.getProperty("vendor", "GraalVM Community"));
    cmd.addAll(jvmArgs);
    cmd.add("-m");
    cmd.add("org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner");
    cmd.add("-imagecp");
    cmd.add(String.join(":", new LinkedHashSet<>(classPath)));
    String clibs = home.resolve("lib/svm/clibraries/linux-amd64").toString();
    cmd.add("-H:CLibraryPath=" + clibs + "," + clibs + "/glibc");
    cmd.add("-H:-UseContainerSupport");
    cmd.add("-H:NativeLinkerOption=-Wl,-rpath,$ORIGIN/jdk-shared:" + home.resolve("lib/svm/jdk-shared"));
    cmd.add("-H:ImageBuildID=" + UUID.randomUUID());
    cmd.addAll(builderArgs);
    cmd.add("-H:Path=" + out.getParent());
    cmd.add("-H:Name=" + out.getFileName());
    if (mainClass != null) {
      cmd.add("-H:Class=" + mainClass);
    }
    if (verbose) {
      System.out.println(cmd.stream().map(a -> "'" + a + "'").collect(Collectors.joining(" ")));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().putIfAbsent("JVMCI_VERSION_CHECK", "warn");
    int exit = pb.start().waitFor();
    if (exit == 0) {
      copyJdkShared(out.getParent());
    }
    return exit;
  }

  /** The image finds the JDK's shared JNI libraries through RPATH $ORIGIN/jdk-shared: put them beside it. */
  private void copyJdkShared(Path dir) throws IOException {
    Path target = dir.resolve("jdk-shared");
    Files.createDirectories(target);
    try (Stream<Path> libs = Files.list(home.resolve("lib/svm/jdk-shared"))) {
      for (Path lib : libs.toList()) {
        Files.copy(lib, target.resolve(lib.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static List<String> expandArgFiles(List<String> args) throws IOException {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("@") && a.length() > 1) {
        for (String line : Files.readAllLines(Path.of(a.substring(1)))) {
          String t = line.strip();
          if (!t.isEmpty() && !t.startsWith("#")) {
            out.add(t);
          }
        }
      } else {
        out.add(a);
      }
    }
    return out;
  }

  private void parse(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("-J")) {
        jvmArgs.add(a.substring(2));
      } else if (a.startsWith("-H:") || a.startsWith("-R:")) {
        builderArgs.add(a);
      } else if (a.startsWith("-D")) {
        jvmArgs.add(a);
      } else if (a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) {
        classPath.addAll(List.of(args.get(++i).split(":")));
      } else if (a.equals("-jar")) {
        jar = args.get(++i);
      } else if (a.equals("-o")) {
        output = args.get(++i);
      } else if (a.equals("--exclude-config")) {
        excludeConfig.add(new String[] {args.get(++i), args.get(++i)});
      } else if (a.equals("--verbose")) {
        verbose = true;
      } else if (a.equals("--no-fallback") || a.equals("--force-fallback") || a.equals("--no-server")) {
        continue; // the harness never builds fallback images and has no build server
      } else if (a.startsWith("-march=")) {
        builderArgs.add("-H:MicroArchitecture=" + a.substring(7));
      } else if (a.startsWith("-O")) {
        builderArgs.add("-H:Optimize=" + a.substring(2));
      } else if (a.equals("-g")) {
        builderArgs.add("-H:GenerateDebugInfo=2");
      } else if (a.startsWith("--")) {
        builderArgs.add(translate(a));
      } else if (a.startsWith("-")) {
        throw new IllegalArgumentException("native-image (harness driver): unsupported option " + a);
      } else {
        positional.add(a);
      }
    }
  }

  private static String translate(String a) {
    int eq = a.indexOf('=');
    String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
    String value = eq < 0 ? null : a.substring(eq + 1);
    String spec = LONG_OPTIONS.get(name);
    if (spec == null) {
      throw new IllegalArgumentException("native-image (harness driver): unsupported option " + a);
    }
    if (spec.startsWith("+")) {
      return "-H:" + spec;
    }
    int colon = spec.indexOf(':');
    if (colon > 0) {
      String v = value == null ? "" : value;
      String suffix = spec.substring(colon);
      String joined = Stream.of(v.split(",", -1)).map(e -> e + suffix).collect(Collectors.joining(","));
      return "-H:" + spec.substring(0, colon) + "=" + joined;
    }
    int bar = spec.indexOf('|');
    String key = bar < 0 ? spec : spec.substring(0, bar);
    if (value == null) {
      if (bar < 0) {
        throw new IllegalArgumentException("native-image (harness driver): option needs a value: " + a);
      }
      value = spec.substring(bar + 1);
    }
    return "-H:" + key + value;
  }

  private void addJar(String path) throws IOException {
    Path p = Path.of(path).toAbsolutePath();
    classPath.add(p.toString());
    try (JarFile jf = new JarFile(p.toFile())) {
      Manifest m = jf.getManifest();
      if (m == null) {
        return;
      }
      String main = m.getMainAttributes().getValue("Main-Class");
      if (main != null && mainClass == null) {
        mainClass = main;
      }
      String cp = m.getMainAttributes().getValue("Class-Path");
      if (cp != null) {
        for (String e : cp.trim().split("\\s+")) {
          classPath.add(p.getParent().resolve(e).normalize().toString());
        }
      }
    }
    if (defaultImageName == null) {
      defaultImageName = p.getFileName().toString().replaceFirst("\\.jar$", "");
    }
  }

  /** native-image.properties and config files under META-INF/native-image of every class path entry. */
  private void processMetaInf() throws IOException {
    Set<String> roots = new LinkedHashSet<>();
    for (String entry : List.copyOf(classPath)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p)) {
        Path base = p.resolve("META-INF/native-image");
        if (Files.isDirectory(base)) {
          try (Stream<Path> files = Files.walk(base)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
              String res = "/" + p.relativize(f).toString().replace('\\', '/');
              metaInfFile(entry, res, () -> Files.newInputStream(f), roots, f.getParent().toString());
            }
          }
        }
      } else if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
        try (JarFile jf = new JarFile(p.toFile())) {
          Enumeration<JarEntry> en = jf.entries();
          while (en.hasMoreElements()) {
            JarEntry je = en.nextElement();
            if (!je.isDirectory() && je.getName().startsWith("META-INF/native-image/")) {
              metaInfFile(entry, "/" + je.getName(), () -> jf.getInputStream(je), roots, null);
            }
          }
        }
      }
    }
    for (String root : roots) {
      builderArgs.add(0, "-H:ConfigurationResourceRoots=" + root);
    }
  }

  private interface Opener {
    InputStream open() throws IOException;
  }

  private void metaInfFile(String entry, String res, Opener opener, Set<String> roots, String dirPath) throws IOException {
    for (String[] ex : excludeConfig) {
      if (Pattern.compile(ex[0]).matcher(entry).find() && Pattern.compile(ex[1]).matcher(res).find()) {
        return;
      }
    }
    String dir = res.substring(1, res.lastIndexOf('/'));
    if (res.endsWith("/native-image.properties")) {
      Properties props = new Properties();
      try (InputStream in = opener.open()) {
        props.load(in);
      }
      String self = dirPath != null ? dirPath : dir;
      String args = props.getProperty("Args");
      if (args != null) {
        parse(splitArgs(args.replace("${.}", self)));
      }
      String javaArgs = props.getProperty("JavaArgs");
      if (javaArgs != null) {
        jvmArgs.addAll(splitArgs(javaArgs.replace("${.}", self)));
      }
      String imageName = props.getProperty("ImageName");
      if (imageName != null && defaultImageName == null) {
        defaultImageName = imageName;
      }
    } else if (res.endsWith(".json")) {
      roots.add(dir);
    }
  }

  private static List<String> splitArgs(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(s.charAt(++i));
      } else if (Character.isWhitespace(c)) {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(c);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }
}
