import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes lib/svm/builder/builder-jvm.args of the local native-image harness (scripts/native-toolchain.sh, once at
 * setup): the flags, system properties, opens and module path the image builder's JVM needs, which GraalVM's own
 * driver would compute. Usage: java BuilderArgs HOME.
 */
public final class BuilderArgs {
  private BuilderArgs() {
  }

  public static void main(String[] args) throws IOException {
    writeBuilderArgs(Path.of(args[0]));
  }

  private static void writeBuilderArgs(Path home) throws IOException {
    Path jars = home.resolve("lib/svm/builder");
    List<String> modulePath = new ArrayList<>();
    String compiler = null;
    try (Stream<Path> s = Files.list(jars)) {
      for (Path j : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
        if (j.getFileName().toString().startsWith("compiler-")) {
          compiler = j.toString();
        } else {
          modulePath.add(j.toString());
        }
      }
    }
    Set<String> builderModules = new LinkedHashSet<>();
    for (ModuleReference ref : ModuleFinder.of(modulePath.stream().map(Path::of).toArray(Path[]::new)).findAll()) {
      builderModules.add(ref.descriptor().name());
    }
    builderModules.add("jdk.graal.compiler");
    builderModules.add("ALL-UNNAMED");
    String targets = String.join(",", builderModules);
    List<String> lines = new ArrayList<>(List.of(
        "-XX:+UseParallelGC", "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "-XX:-UseJVMCICompiler",
        "-Xss10m", "-Xshare:off", "-Djava.awt.headless=true",
        "-Dorg.graalvm.nativeimage.imagecode=buildtime",
        "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader",
        "-Djdk.internal.lambda.disableEagerInitialization=true",
        "-Djava.lang.invoke.MethodHandle.DONT_INLINE_THRESHOLD=-1",
        "-Djava.lang.invoke.MethodHandle.PROFILE_GIFS=0",
        "-Dtruffle.TrustAllTruffleRuntimeProviders=true",
        "-Dgraalvm.ForcePolyglotInvalid=true", "-Dgraalvm.locatorDisabled=true",
        "-Dcom.oracle.graalvm.isaot=true"));
    Map<String, Set<String>> opens = new LinkedHashMap<>();
    for (ModuleReference ref : ModuleFinder.ofSystem().findAll()) {
      String mod = ref.descriptor().name();
      if (OPENED_JDK_MODULES.contains(mod)) {
        opens.put(mod, ref.descriptor().packages());
      }
    }
    int count = 0;
    for (Map.Entry<String, Set<String>> e : opens.entrySet()) {
      for (String pkg : e.getValue().stream().sorted().toList()) {
        if (count++ < 990) {
          lines.add("--add-opens=" + e.getKey() + "/" + pkg + "=" + targets);
        }
      }
    }
    // The image's runtime modules inherit native access from the builder's modules: without it, the image's first
    // System.loadLibrary("java") takes the illegal-native-access warning path before the JDK's C code can run.
    lines.add("--enable-native-access=" + targets);
    lines.add("--upgrade-module-path");
    lines.add(compiler);
    lines.add("--module-path");
    lines.add(String.join(":", modulePath));
    lines.add("--add-modules");
    lines.add("ALL-DEFAULT,ALL-MODULE-PATH");
    Files.write(home.resolve("lib/svm/builder/builder-jvm.args"), lines);
  }

  private static final Set<String> OPENED_JDK_MODULES = Set.of(
      "java.base", "jdk.internal.vm.ci", "jdk.unsupported", "java.management", "jdk.management", "java.logging",
      "java.xml", "java.desktop", "jdk.jfr", "java.instrument", "jdk.internal.jvmstat", "java.rmi", "java.sql",
      "java.naming", "jdk.zipfs", "jdk.net", "java.security.jgss", "java.security.sasl", "jdk.crypto.cryptoki",
      "java.scripting", "jdk.attach", "jdk.management.agent", "java.net.http", "jdk.httpserver", "jdk.internal.md",
      "jdk.localedata", "jdk.charsets", "java.prefs", "jdk.sctp", "jdk.jdi");
}
