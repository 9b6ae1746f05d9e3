package io.wagate.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.Timer;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Quarkus initializes application classes while building the native image, so whatever a static field holds is
 * frozen into the image heap. A seeded random generator, a thread, an executor or a socket there either fails the
 * build ("Detected an instance of Random/SplittableRandom class in the image heap") or is wrong at run time. This
 * scans every compiled class of the application for static fields of those kinds.
 */
class ImageHeapTests {
  private static final List<Class<?>> RUNTIME_ONLY = List.of(Random.class, SplittableRandom.class, Thread.class,
      Executor.class, Timer.class, Socket.class, ServerSocket.class, Channel.class);

  @Test
  void noStaticFieldHoldsARuntimeOnlyObject() throws IOException, ClassNotFoundException {
    Path classes = Path.of("target", "classes");
    List<String> offenders = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(classes.resolve("io/wagate"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = classes.relativize(file).toString().replace('/', '.').replaceFirst("\\.class$", "");
        Class<?> type = Class.forName(name, false, getClass().getClassLoader());
        scanned++;
        for (Field field : type.getDeclaredFields()) {
          if (Modifier.isStatic(field.getModifiers()) && RUNTIME_ONLY.stream().anyMatch(c -> c.isAssignableFrom(field.getType()))) {
            offenders.add(name + "." + field.getName() + " : " + field.getType().getName());
          }
        }
      }
    }
    assertThat(scanned).as("classes scanned").isGreaterThan(50);
    assertThat(offenders).as("static fields that a native image would freeze at build time").isEmpty();
  }
}
