package dev.cachet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module descriptors, proven where they matter: a modular application is compiled against
 * and run on the module path of the built modules (cachet-core, cachet-disk and their
 * dependencies, found on this test's class path, so it works on a fresh clone with no install).
 * It memoizes a function with a disk tier that core finds only through the disk module's
 * {@code provides}, gets a hit, and cannot reach the engine packages that are not exported,
 * neither when compiled nor reflectively at run time. Without the {@code opens} that core asks
 * for, the application is told which line to add. A second application caches LLM answers
 * (cachet-llm, exact caching, on the disk tier) and binds their meters (cachet-micrometer, on
 * Micrometer's automatic modules).
 */
class ModulePathTest {
  private static final Set<String> OUR_MODULES = Set.of("dev.cachet.core", "dev.cachet.disk");
  private static final Set<String> LLM_MODULES = Set.of("dev.cachet.core", "dev.cachet.disk",
      "dev.cachet.llm", "dev.cachet.micrometer");
  /** Micrometer's jars: automatic modules with a stable name each, and nothing else automatic. */
  private static final Set<String> MICROMETER = Set.of("micrometer.core", "micrometer.commons",
      "micrometer.observation");

  private static final String APP_DESCRIPTOR = """
      module cachet.modulecheck {
        requires dev.cachet.core;
        // As the core's descriptor asks of memoized code: its key and result types and its
        // lambdas are read reflectively.
        opens check to dev.cachet.core;
      }
      """;

  private static final String APP_MAIN = """
      package check;

      import dev.cachet.Cachet;
      import dev.cachet.MemoizedFunction;
      import java.lang.reflect.Method;
      import java.lang.reflect.Modifier;
      import java.nio.file.Path;
      import java.util.concurrent.atomic.AtomicInteger;

      public final class Main {
        static final AtomicInteger CALLS = new AtomicInteger();

        static Integer square(Integer x) {
          CALLS.incrementAndGet();
          return x * x;
        }

        public static void main(String[] args) throws Exception {
          Path dir = Path.of(args[0]);
          try (Cachet cachet = Cachet.builder().disk(dir).build()) {
            MemoizedFunction<Integer, Integer> square = cachet.memoize("square", Main::square);
            System.out.println("first " + square.apply(7));
            System.out.println("second " + square.apply(7));
            System.out.println("calls " + CALLS.get());
            System.out.println("hits " + cachet.stats("square").orElseThrow().hits());
            System.out.println("tier " + cachet.tiers().get(0).getClass().getModule().getName());
          }
          // A new instance on the same folder: the value comes back from the disk tier.
          try (Cachet cachet = Cachet.builder().disk(dir).build()) {
            MemoizedFunction<Integer, Integer> square = cachet.memoize("square", Main::square);
            System.out.println("reopened " + square.apply(7) + " calls " + CALLS.get());
            // CacheSpec's settings are inherited from a package-private base class.
            MemoizedFunction<Integer, Integer> bounded = cachet.function("bounded")
                .maximumSize(10).expireAfterWrite(java.time.Duration.ofMinutes(1))
                .memoize(Main::square);
            System.out.println("bounded " + bounded.apply(3) + " max "
                + bounded.cacheInfo().maxSize());
          }
          Module core = Cachet.class.getModule();
          System.out.println("core " + core.getName());
          System.out.println("exported dev.cachet.memory " + core.isExported("dev.cachet.memory"));
          System.out.println("exported dev.cachet.memo " + core.isExported("dev.cachet.memo"));
          System.out.println("exported dev.cachet.fingerprint "
              + core.isExported("dev.cachet.fingerprint"));
          Class<?> stores = Class.forName("dev.cachet.memory.MemoryStores");
          Method create = null;
          for (Method m : stores.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() == stores) {
              create = m;
            }
          }
          try {
            create.invoke(null, new Object[create.getParameterCount()]);
            System.out.println("internal call allowed");
          } catch (IllegalAccessException expected) {
            System.out.println("internal call refused");
          }
          System.out.println("internal setAccessible " + create.trySetAccessible());
        }
      }
      """;

  private static final String LLM_DESCRIPTOR = """
      module cachet.llmcheck {
        requires dev.cachet.llm;
        requires dev.cachet.micrometer;
      }
      """;

  private static final String LLM_MAIN = """
      package check;

      import dev.cachet.Cachet;
      import dev.cachet.llm.LlmCache;
      import dev.cachet.llm.LlmRequest;
      import dev.cachet.llm.LlmResponse;
      import dev.cachet.llm.LlmResult;
      import dev.cachet.llm.Lookup;
      import dev.cachet.micrometer.LlmCacheMetrics;
      import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
      import java.nio.file.Path;
      import java.util.concurrent.atomic.AtomicInteger;

      public final class Main {
        public static void main(String[] args) throws Exception {
          Path dir = Path.of(args[0]);
          AtomicInteger calls = new AtomicInteger();
          LlmRequest request = LlmRequest.builder("m").user("What is 2 + 2?").temperature(0.0)
              .build();
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          try (Cachet cachet = Cachet.builder().disk(dir).build()) {
            LlmCache llm = LlmCacheMetrics.monitor(registry, LlmCache.builder(cachet).build(),
                "answers");
            LlmResult first = llm.chat(request, r -> {
              calls.incrementAndGet();
              return LlmResponse.text("4");
            });
            LlmResult second = llm.chat(request, r -> {
              calls.incrementAndGet();
              return LlmResponse.text("5");
            });
            System.out.println("first " + first.lookup().outcome());
            System.out.println("second " + second.lookup().outcome() + " "
                + second.response().content() + " calls " + calls.get());
            System.out.println("exact-hit meter " + registry.get("cachet.llm.lookups")
                .tag("cache", "answers").tag("result", "exact-hit").functionCounter().count());
            System.out.println("llm module " + LlmCache.class.getModule().getName());
          }
          // A new instance on the same folder: the answer comes back from the disk tier.
          try (Cachet cachet = Cachet.builder().disk(dir).build()) {
            LlmCache llm = LlmCache.builder(cachet).build();
            Lookup again = llm.lookup(request);
            System.out.println("reopened " + again.outcome() + " " + again.response().content()
                + " disk hits " + llm.stats().hitsByTier().get(cachet.tiers().get(0).describe()));
          }
          Class<?> internal = Class.forName("dev.cachet.llm.AnswerTiers");
          System.out.println("internal setAccessible "
              + internal.getDeclaredConstructors()[0].trySetAccessible());
        }
      }
      """;

  @TempDir
  Path temp;

  private List<Path> modulePath;

  @BeforeEach
  void findModules() {
    modulePath = modulePath(OUR_MODULES, Set.of());
  }

  @Test
  void aModularApplicationMemoizesThroughTheExportedApiAndTheDiskTierItFindsAsAService()
      throws Exception {
    Path classes = temp.resolve("app");
    String errors = compile(classes, APP_MAIN);
    assertThat(errors).as("the application compiles against the module path").isEmpty();

    String printed = run(classes, temp.resolve("store").toString());

    assertThat(printed).contains("first 49", "second 49", "calls 1", "hits 1",
        "tier dev.cachet.disk", "reopened 49 calls 1", "core dev.cachet.core");
    assertThat(printed).contains("bounded 9 max 10");
    assertThat(printed).contains("exported dev.cachet.memory false",
        "exported dev.cachet.memo false", "exported dev.cachet.fingerprint false",
        "internal call refused", "internal setAccessible false");
  }

  @Test
  void aModuleThatDoesNotOpenItsLambdasToCoreIsToldWhatToOpen() throws Exception {
    Path classes = temp.resolve("closed");
    String errors = compile(classes, APP_MAIN,
        APP_DESCRIPTOR.replace("opens check to dev.cachet.core;", ""));
    assertThat(errors).isEmpty();

    Result result = start(classes, temp.resolve("closed-store").toString());

    assertThat(result.exitCode()).as("exit code; it printed:%n%s", result.printed()).isNotZero();
    assertThat(result.printed()).contains("its package check (module cachet.modulecheck) is not"
        + " open to dev.cachet.core", "Add 'opens check to dev.cachet.core;'");
  }

  @Test
  void theEnginePackagesAreNotVisibleToACompiledModule() throws Exception {
    String memory = compile(temp.resolve("memory"), """
        package check;

        public final class Main {
          public static void main(String[] args) {
            System.out.println(dev.cachet.memory.PolicyStore.class);
          }
        }
        """);
    assertThat(memory).contains("package dev.cachet.memory is not visible");

    String fingerprint = compile(temp.resolve("fingerprint"), """
        package check;

        public final class Main {
          public static void main(String[] args) {
            System.out.println(dev.cachet.fingerprint.CodeFingerprint.class);
          }
        }
        """);
    assertThat(fingerprint).contains("package dev.cachet.fingerprint is not visible");
  }

  @Test
  void aModularApplicationCachesLlmAnswersAndBindsTheirMeters() throws Exception {
    modulePath = modulePath(LLM_MODULES, MICROMETER);
    Path classes = temp.resolve("llm");
    String errors = compile(classes, LLM_MAIN, LLM_DESCRIPTOR);
    assertThat(errors).as("the application compiles against the module path").isEmpty();

    String printed = runMain(classes, "cachet.llmcheck/check.Main", temp.resolve("llm-store")
        .toString());

    assertThat(printed).contains("first MISS", "second EXACT_HIT 4 calls 1",
        "exact-hit meter 1.0", "llm module dev.cachet.llm", "reopened EXACT_HIT 4 disk hits 1",
        "internal setAccessible false");
  }

  /**
   * The given Cachet modules, the given automatic modules and every named module of the test
   * class path. Otherwise only named modules: an automatic one (a test jar) would be resolved
   * with the others and could split a package; and no other Cachet module, since the Redis one
   * would be bound as a provider of tiers and needs Lettuce. JUnit's modules are on it too,
   * but nothing requires them.
   */
  private static List<Path> modulePath(Set<String> ours, Set<String> automatic) {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<Path> found = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      Path path = Path.of(entry);
      // A folder without module-info.class would be read as a folder of modules.
      if (!Files.exists(path)
          || Files.isDirectory(path) && !Files.exists(path.resolve("module-info.class"))) {
        continue;
      }
      Optional<String> name = ModuleFinder.of(path).findAll().stream()
          .map(ModuleReference::descriptor)
          .filter(d -> !d.isAutomatic() || automatic.contains(d.name()))
          .map(ModuleDescriptor::name).findFirst();
      if (name.isPresent()
          && (!name.get().startsWith("dev.cachet.") || ours.contains(name.get()))) {
        found.add(path);
      }
    }
    Set<String> names = ModuleFinder.of(found.toArray(Path[]::new)).findAll().stream()
        .map(r -> r.descriptor().name()).collect(Collectors.toSet());
    assertThat(names).as("modules found on the test class path").containsAll(ours)
        .containsAll(automatic);
    return found;
  }

  private String modulePathString() {
    return modulePath.stream().map(Path::toString)
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** Compiles the application module with {@code main}; returns javac's errors, or "". */
  private String compile(Path out, String main) throws IOException {
    return compile(out, main, APP_DESCRIPTOR);
  }

  private String compile(Path out, String main, String descriptor) throws IOException {
    Path src = out.resolveSibling(out.getFileName() + "-src");
    Files.createDirectories(src.resolve("check"));
    Files.writeString(src.resolve("module-info.java"), descriptor);
    Files.writeString(src.resolve("check/Main.java"), main);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status = javac.run(null, errors, errors, "--module-path", modulePathString(),
        "-d", out.toString(), src.resolve("module-info.java").toString(),
        src.resolve("check/Main.java").toString());
    return status == 0 ? "" : errors.toString(StandardCharsets.UTF_8);
  }

  private record Result(int exitCode, String printed) {
  }

  /** Runs the application to completion; asserts it succeeded and returns what it printed. */
  private String run(Path app, String... args) throws IOException, InterruptedException {
    return runMain(app, "cachet.modulecheck/check.Main", args);
  }

  private String runMain(Path app, String main, String... args)
      throws IOException, InterruptedException {
    Result result = startMain(app, main, args);
    assertThat(result.exitCode()).as("child's exit code; it printed:%n%s", result.printed())
        .isZero();
    return result.printed();
  }

  private Result start(Path app, String... args) throws IOException, InterruptedException {
    return startMain(app, "cachet.modulecheck/check.Main", args);
  }

  private Result startMain(Path app, String main, String... args)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-Xmx256m",
        "--module-path", app + File.pathSeparator + modulePathString(),
        "-m", main));
    command.addAll(List.of(args));
    Path output = temp.resolve("child-" + System.nanoTime() + ".out");
    Process process = new ProcessBuilder(command).directory(temp.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    boolean done = process.waitFor(120, TimeUnit.SECONDS);
    if (!done) {
      process.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(done).as("child finished; it printed:%n%s", printed).isTrue();
    return new Result(process.exitValue(), printed);
  }
}
