package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Keeps {@code ARCHITECTURE.md} true to the code: every class it names in backticks must exist,
 * every {@code dev.cachet} package (or Java module) it names must exist, every file it links to
 * must exist, and its table of CLI commands must be exactly the {@code cachet} command's
 * registered subcommands. The file once named classes that had been removed and listed three
 * commands of ten, and nothing noticed; this test is cheap (it reads sources, builds nothing),
 * so it runs in every build.
 *
 * <p>Classes are found by reading the repository's {@code *}{@code /src/main/java} trees (and
 * {@code src/test/java}, for the tests the file points to) rather than the test classpath, so
 * modules that {@code cachet-cli} does not depend on ({@code cachet-bench}) count too, and
 * nested types are found by their declarations.
 */
class ArchitectureDocTest {
  /** The packages a name without a package may come from when it is not Cachet's own. */
  private static final List<String> JDK_PACKAGES = List.of("java.lang", "java.util",
      "java.util.concurrent", "java.util.concurrent.atomic", "java.util.concurrent.locks",
      "java.util.function", "java.lang.invoke", "java.lang.reflect", "java.io", "java.nio",
      "java.nio.file", "java.time");

  /** An inline code span; may cross a line break, as Markdown allows. */
  private static final Pattern CODE_SPAN = Pattern.compile("(?<!`)`([^`]+)`(?!`)");
  /** A dotted Java name, possibly followed by {@code *} (a family: {@code Serializable*}). */
  private static final Pattern DOTTED_NAME =
      Pattern.compile("(?<![\\w.$])[A-Za-z_][\\w$]*(?:\\.[A-Za-z_][\\w$]*)*(\\*)?");
  /** Upper camel case with at least one lower-case letter: {@code Node}, not {@code LRU}. */
  private static final Pattern TYPE_NAME = Pattern.compile("[A-Z][A-Za-z0-9_]*[a-z][A-Za-z0-9_]*");
  /**
   * Two humps at least ({@code MemoCache}, not {@code Flight} nor {@code KiB}): in code blocks,
   * where words of prose are capitalized too.
   */
  private static final Pattern CAMEL_TYPE_NAME = Pattern.compile("[A-Z][a-z0-9]+[A-Z][a-z]\\w*");
  private static final Pattern DECLARATION =
      Pattern.compile("\\b(?:class|interface|enum|record)\\s+([A-Z][\\w$]*)");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
  private static final Pattern MODULE =
      Pattern.compile("(?m)^(?:open\\s+)?module\\s+([\\w.]+)\\s*\\{");
  /** A Markdown link's target, relative to the file: {@code [text](docs/X.md#part)}. */
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  /** A row of the CLI table: {@code | `name` | `Class` | ...}. */
  private static final Pattern COMMAND_ROW =
      Pattern.compile("(?m)^\\|\\s*`([a-z][a-z0-9-]*)`\\s*\\|\\s*`([\\w.$]+)`\\s*\\|");
  /** A command written out in prose: {@code `cachet simulate --trace ...`}. */
  private static final Pattern CACHET_COMMAND = Pattern.compile("^cachet\\s+([a-z][a-z0-9-]*)");

  private static Path root;
  private static String doc;
  /** Simple name of every type declared in the sources → the files declaring it. */
  private static final Map<String, Set<Path>> DECLARED = new HashMap<>();
  /** Every package of the sources. */
  private static final Set<String> PACKAGES = new HashSet<>();
  /** Every Java module the sources declare ({@code dev.cachet.core}), named like packages. */
  private static final Set<String> MODULES = new HashSet<>();
  /** Fully qualified top-level names of the sources, such as {@code dev.cachet.Cachet}. */
  private static final Map<String, Path> TOP_LEVEL = new HashMap<>();

  @BeforeAll
  static void readDocAndSources() throws IOException {
    root = RepositoryRoot.path();
    Path file = root.resolve("ARCHITECTURE.md");
    assertThat(file).as("ARCHITECTURE.md at the repository's root").isRegularFile();
    doc = Files.readString(file);
    List<Path> sourceRoots;
    try (Stream<Path> modules = Files.list(root)) {
      sourceRoots = modules
          .flatMap(m -> Stream.of(m.resolve("src/main/java"), m.resolve("src/test/java")))
          .filter(Files::isDirectory)
          .toList();
    }
    assertThat(sourceRoots).as("modules with src/main/java under %s", root).isNotEmpty();
    for (Path sources : sourceRoots) {
      try (Stream<Path> files = Files.walk(sources)) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(ArchitectureDocTest::index);
      }
    }
  }

  private static void index(Path javaFile) {
    String text;
    try {
      text = Files.readString(javaFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (javaFile.getFileName().toString().equals("module-info.java")) {
      Matcher module = MODULE.matcher(text.replaceAll("(?s)/\\*.*?\\*/", ""));
      if (module.find()) {
        MODULES.add(module.group(1));
      }
      return;
    }
    Matcher pkg = PACKAGE.matcher(text);
    String packageName = pkg.find() ? pkg.group(1) : "";
    PACKAGES.add(packageName);
    String fileName = javaFile.getFileName().toString();
    String topLevel = fileName.substring(0, fileName.length() - ".java".length());
    if (!topLevel.equals("package-info")) {
      TOP_LEVEL.put(packageName + "." + topLevel, javaFile);
      DECLARED.computeIfAbsent(topLevel, k -> new HashSet<>()).add(javaFile);
    }
    // Comments are dropped first, so that "the class Foo" in prose declares nothing.
    String code = text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
    Matcher m = DECLARATION.matcher(code);
    while (m.find()) {
      DECLARED.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(javaFile);
    }
  }

  @Test
  void everyClassItNamesExists() {
    List<String> problems = new ArrayList<>();
    Matcher span = CODE_SPAN.matcher(doc);
    while (span.find()) {
      checkNames(span.group(1), span.start(1), TYPE_NAME, problems);
    }
    // Fenced blocks (the call walk-through) name classes too.
    Matcher fence = Pattern.compile("(?ms)^```[^\\n]*\\n(.*?)^```").matcher(doc);
    while (fence.find()) {
      checkNames(fence.group(1), fence.start(1), CAMEL_TYPE_NAME, problems);
    }
    assertThat(problems)
        .as("classes and packages ARCHITECTURE.md names that the code does not have; update"
            + " the file (or restore the class)")
        .isEmpty();
  }

  @Test
  void everyFileItLinksToExists() {
    List<String> problems = new ArrayList<>();
    Matcher m = LINK.matcher(doc);
    while (m.find()) {
      String target = m.group(1);
      if (target.startsWith("#") || target.matches("[a-z]+:.*")) {
        continue;
      }
      String path = target.replaceFirst("#.*$", "");
      Path resolved = root.resolve(path).normalize();
      if (!resolved.startsWith(root)) {
        problems.add(where(m.start(1)) + ": the link " + target
            + " leaves the repository; everything it documents must be inside it");
      } else if (!Files.exists(resolved)) {
        problems.add(where(m.start(1)) + ": the link " + target + " points to nothing");
      }
    }
    assertThat(problems).as("broken links in ARCHITECTURE.md").isEmpty();
  }

  @Test
  void itsCommandTableIsExactlyTheRegisteredSubcommands() {
    String section = section("## CLI");
    int sectionStart = doc.indexOf(section);
    Map<String, CommandLine> registered = CachetCommand.newCommandLine().getSubcommands();
    List<String> problems = new ArrayList<>();
    Set<String> listed = new LinkedHashSet<>();
    Matcher row = COMMAND_ROW.matcher(section);
    while (row.find()) {
      String name = row.group(1);
      String className = row.group(2);
      listed.add(name);
      CommandLine command = registered.get(name);
      if (command == null) {
        problems.add(where(sectionStart + row.start(1)) + ": `" + name + "` is not a"
            + " subcommand of cachet (registered: " + new TreeSet<>(registered.keySet()) + ")");
        continue;
      }
      Class<?> actual = command.getCommandSpec().userObject().getClass();
      String simple = className.substring(className.lastIndexOf('.') + 1);
      if (!actual.getSimpleName().equals(simple)) {
        problems.add(where(sectionStart + row.start(2)) + ": `" + name + "` is implemented by "
            + actual.getName() + ", not " + className);
      }
    }
    Set<String> undocumented = new TreeSet<>(registered.keySet());
    undocumented.removeAll(listed);
    if (!undocumented.isEmpty()) {
      problems.add("ARCHITECTURE.md, section \"## CLI\": the table lacks the registered"
          + " subcommands " + undocumented);
    }
    // Commands written out elsewhere, such as `cachet simulate`, must exist too.
    Matcher span = CODE_SPAN.matcher(doc);
    while (span.find()) {
      Matcher c = CACHET_COMMAND.matcher(span.group(1).strip());
      if (c.find() && !registered.containsKey(c.group(1))) {
        problems.add(where(span.start(1)) + ": `" + span.group(1) + "` names no subcommand"
            + " of cachet");
      }
    }
    assertThat(listed).as("command rows in ARCHITECTURE.md's \"## CLI\" table").isNotEmpty();
    assertThat(problems).as("ARCHITECTURE.md against the cachet command's subcommands")
        .isEmpty();
  }

  /** Checks every Java-looking name in {@code text}, which starts at {@code offset} in the doc. */
  private static void checkNames(String text, int offset, Pattern typeName, List<String> problems) {
    Matcher m = DOTTED_NAME.matcher(text);
    while (m.find()) {
      String name = m.group().replace("*", "");
      boolean family = m.group(1) != null;
      String problem = check(name, family, typeName);
      if (problem != null) {
        problems.add(where(offset + m.start()) + ": `" + m.group() + "` " + problem);
      }
    }
  }

  /**
   * Why {@code dotted} does not resolve, or null when it does (or holds no type name). Leading
   * lower-case parts are a package, the upper-case parts that follow are a type and its nested
   * types, and anything after them (a method, a constant) is not checked.
   */
  private static String check(String dotted, boolean family, Pattern typeName) {
    String[] parts = dotted.split("\\.");
    int first = 0;
    while (first < parts.length && !Character.isUpperCase(parts[first].charAt(0))) {
      first++;
    }
    String packageName = String.join(".", List.of(parts).subList(0, first));
    if (first == parts.length) {
      // No type: a package or module of ours must exist; anything else (a method, a word) is
      // not checked.
      if (packageName.startsWith("dev.cachet") && parts.length > 1
          && !MODULES.contains(packageName)
          && PACKAGES.stream().noneMatch(p -> p.equals(packageName)
              || p.startsWith(packageName + "."))) {
        return "names no package (nor module) of the code";
      }
      return null;
    }
    List<String> types = new ArrayList<>();
    for (int i = first; i < parts.length && Character.isUpperCase(parts[i].charAt(0)); i++) {
      types.add(parts[i]);
    }
    if (!typeName.matcher(types.get(0)).matches()) {
      return null;  // LRU, POWER_LOSS, KEY: constants or acronyms, not class names
    }
    if (family && types.size() == 1 && packageName.isEmpty()) {
      String prefix = types.get(0);
      return DECLARED.keySet().stream().anyMatch(n -> n.startsWith(prefix)) ? null
          : "matches no class of the code";
    }
    if (packageName.isEmpty()) {
      return resolvesInCode(types) || resolvesInJdk(types) ? null
          : "names no class of any dev.cachet package (nor of the JDK)";
    }
    if (packageName.startsWith("dev.cachet")) {
      Path file = TOP_LEVEL.get(packageName + "." + types.get(0));
      return file != null && nestedIn(file, types) ? null
          : "names no class of the code (no " + packageName + "." + String.join(".", types) + ")";
    }
    return loads(packageName + "." + String.join("$", types)) ? null
        : "names no class on the classpath";
  }

  private static boolean resolvesInCode(List<String> types) {
    Set<Path> files = DECLARED.get(types.get(0));
    return files != null && files.stream().anyMatch(f -> nestedIn(f, types));
  }

  /** Whether every nested type of {@code types} after the first is declared in {@code file}. */
  private static boolean nestedIn(Path file, List<String> types) {
    for (String nested : types.subList(1, types.size())) {
      Set<Path> files = DECLARED.get(nested);
      if (files == null || !files.contains(file)) {
        return false;
      }
    }
    return true;
  }

  private static boolean resolvesInJdk(List<String> types) {
    return JDK_PACKAGES.stream().anyMatch(p -> loads(p + "." + String.join("$", types)));
  }

  private static boolean loads(String binaryName) {
    try {
      Class.forName(binaryName, false, ArchitectureDocTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The text of the section whose heading is {@code heading}, up to the next heading. */
  private static String section(String heading) {
    int start = doc.indexOf("\n" + heading + "\n");
    assertThat(start).as("a section \"%s\" in ARCHITECTURE.md", heading).isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    return doc.substring(start + 1, end < 0 ? doc.length() : end + 1);
  }

  /** {@code ARCHITECTURE.md:LINE} for an offset into the file. */
  private static String where(int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (doc.charAt(i) == '\n') {
        line++;
      }
    }
    return "ARCHITECTURE.md:" + line;
  }
}
