package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.codec.EntryFrame;
import dev.cachet.disk.DiskStore;
import dev.cachet.disk.DiskStoreOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cachet stats|inspect|clear|check} against real stores in temporary directories. */
class StoreCommandsTest {
  @TempDir
  Path tmp;

  Path store;
  String bigDigest = "bbbb";

  private static byte[] text(String s, String... tags) {
    return new EntryFrame("utf8", "java.lang.String", 1_700_000_000_000L, 0L, List.of(tags),
        s.getBytes(StandardCharsets.UTF_8)).encode();
  }

  @BeforeEach
  void createStore() {
    store = tmp.resolve("store");
    try (DiskStore s = DiskStore.open(store,
        DiskStoreOptions.builder().sideFileThreshold(1024).build())) {
      s.put("fnA", "aaaa", text("hello world", "red"), 0, List.of("red"));
      s.put("fnA", bigDigest, new EntryFrame("bytes", "byte[]", 1L, 0L, List.of(),
          new byte[5000]).encode(), 0, List.of());
      s.put("fnB", "cccc", text("other", "blue"), 0, List.of("blue"));
      s.get("fnA", "aaaa");
      s.get("fnA", "missing");
    }
  }

  // ---- errors shared by all commands

  @Test
  void aDirectoryWithoutADatabaseIsAnErrorAndIsLeftAlone() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    for (String command : List.of("stats", "inspect", "clear", "check")) {
      CliRun run = CliRun.of(command, empty.toString());
      assertThat(run.exitCode()).as(command).isEqualTo(2);
      assertThat(run.err()).contains("is not a Cachet store").doesNotContain("Exception")
          .doesNotContain("\tat ");
      assertThat(run.err().strip().lines()).hasSize(1);
    }
    try (Stream<Path> files = Files.list(empty)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aMissingDirectoryIsAnError() {
    Path nowhere = tmp.resolve("nowhere");
    CliRun run = CliRun.of("stats", nowhere.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("does not exist");
    assertThat(Files.exists(nowhere)).isFalse();
  }

  @Test
  void aFileIsNotAStore() throws Exception {
    Path file = Files.writeString(tmp.resolve("f.txt"), "x");
    CliRun run = CliRun.of("check", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("is a file");
  }

  // ---- stats

  @Test
  void statsPrintsATable() {
    CliRun run = CliRun.of("stats", store.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Store " + store)
        .containsPattern("entries\\s+3")
        .containsPattern("hits\\s+1")
        .containsPattern("misses\\s+1")
        .containsPattern("writes\\s+3")
        .contains("evictions", "expirations", "corruptions", "failures", "bytes");
  }

  @Test
  void statsJsonHasAStableShape() {
    CliRun run = CliRun.of("stats", store.toString(), "--json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().strip()).matches("\\{\"directory\": \".*\", \"entries\": 3, "
        + "\"bytes\": \\d+, \"hits\": 1, \"misses\": 1, \"writes\": 3, \"evictions\": 0, "
        + "\"expirations\": 0, \"corruptions\": 0, \"failures\": 0\\}");
  }

  // ---- inspect

  @Test
  void inspectListsEntries() {
    CliRun run = CliRun.of("inspect", store.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("NAMESPACE", "DIGEST", "aaaa", bigDigest, "cccc", "utf8",
        "java.lang.String", "inline", "file", "red", "3 entries.");
  }

  @Test
  void inspectFiltersByNamespaceAndLimits() {
    CliRun ns = CliRun.of("inspect", store.toString(), "--namespace", "fnB");
    assertThat(ns.out()).contains("cccc").doesNotContain("aaaa").contains("1 entry.");
    CliRun limited = CliRun.of("inspect", store.toString(), "--limit", "2");
    assertThat(limited.out()).contains("2 entries shown (--limit 2");
    CliRun none = CliRun.of("inspect", store.toString(), "--namespace", "zzz");
    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).contains("No entries in namespace zzz.");
    CliRun bad = CliRun.of("inspect", store.toString(), "--limit", "0");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--limit must be a positive number");
  }

  @Test
  void inspectJson() {
    CliRun run = CliRun.of("inspect", store.toString(), "--namespace", "fnB", "--json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().strip()).matches("\\{\"directory\": \".*\", \"entries\": \\[\\{"
        + "\"namespace\": \"fnB\", \"digest\": \"cccc\", \"size\": \\d+, \"created\": \\d+, "
        + "\"accessed\": \\d+, \"expires\": 0, \"accessCount\": 1, \"tags\": \\[\"blue\"\\], "
        + "\"inline\": true, \"sideFile\": null, \"codecId\": \"utf8\", "
        + "\"typeFingerprint\": \"java.lang.String\", \"payloadSize\": 5, \"problem\": null"
        + "\\}\\]\\}");
  }

  @Test
  void inspectKeyShowsDetailsAndPrintablePayload() {
    CliRun run = CliRun.of("inspect", store.toString(), "--key", "aaaa");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("fnA", "aaaa", "utf8", "payload size", "11 bytes",
        "hello world", "inline");
    CliRun binary = CliRun.of("inspect", store.toString(), "--key", bigDigest);
    assertThat(binary.out()).contains("5000 bytes", "(binary)", "side file files/");
    CliRun json = CliRun.of("inspect", store.toString(), "--key", "aaaa", "--json");
    assertThat(json.out()).contains("\"payloadText\": \"hello world\"");
    // Inspecting is not using: the counters stay as they were.
    assertThat(CliRun.of("stats", store.toString(), "--json").out()).contains("\"hits\": 1,");
  }

  @Test
  void inspectUnknownKeyIsAnError() {
    CliRun run = CliRun.of("inspect", store.toString(), "--key", "nope");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("No entry with digest nope");
  }

  @Test
  void previewCutsLongTextAtACharacterBoundary() {
    byte[] text = "é".repeat(40).getBytes(StandardCharsets.UTF_8); // 80 bytes
    assertThat(InspectCommand.preview(text)).isEqualTo("é".repeat(32) + "...");
    assertThat(InspectCommand.preview(new byte[] {0, 1, 2})).isNull();
    assertThat(InspectCommand.preview(new byte[] {(byte) 0xFF})).isNull();
  }

  // ---- clear

  @Test
  void clearNamespace() {
    CliRun run = CliRun.of("clear", store.toString(), "--namespace", "fnA");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Removed 2 entries of namespace fnA");
    assertThat(CliRun.of("inspect", store.toString()).out()).contains("cccc")
        .doesNotContain("aaaa");
  }

  @Test
  void clearTagAsJson() {
    CliRun run = CliRun.of("clear", store.toString(), "--tag", "blue", "--json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().strip()).matches("\\{\"directory\": \".*\", \"scope\": \"tag\", "
        + "\"value\": \"blue\", \"removed\": 1\\}");
  }

  @Test
  void clearEverythingRemovesSideFilesToo() throws Exception {
    CliRun run = CliRun.of("clear", store.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Removed 3 entries (everything)");
    try (Stream<Path> files = Files.list(store.resolve("files"))) {
      assertThat(files).isEmpty();
    }
    assertThat(CliRun.of("stats", store.toString(), "--json").out()).contains("\"entries\": 0,");
  }

  @Test
  void clearRefusesNamespaceAndTagTogether() {
    CliRun run = CliRun.of("clear", store.toString(), "--namespace", "fnA", "--tag", "red");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("mutually exclusive");
    assertThat(CliRun.of("stats", store.toString(), "--json").out()).contains("\"entries\": 3,");
  }

  // ---- check

  @Test
  void checkCleanStore() {
    CliRun run = CliRun.of("check", store.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("3 entries, 1 side file.", "No problems found.");
    CliRun json = CliRun.of("check", store.toString(), "--json");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out().strip()).matches("\\{\"directory\": \".*\", \"fix\": false, "
        + "\"entriesChecked\": 3, \"filesChecked\": 1, \"healthy\": true, \"problems\": \\[\\]\\}");
  }

  @Test
  void checkReportsProblemsWithExitOneAndFixesThem() throws Exception {
    Path orphan = Files.write(store.resolve("files").resolve("stray.entry"), new byte[] {1});
    byte[] damaged = text("hello world", "red");
    damaged[damaged.length - 7] ^= 1;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.resolve("cachet.db"));
        PreparedStatement ps = c.prepareStatement(
            "UPDATE entries SET value = ? WHERE digest = 'aaaa'")) {
      ps.setBytes(1, damaged);
      ps.executeUpdate();
    }

    CliRun found = CliRun.of("check", store.toString());
    assertThat(found.exitCode()).isEqualTo(1);
    assertThat(found.out()).contains("ORPHAN_FILE", "CORRUPT_ENTRY", "aaaa", "present",
        "2 problems found, 0 fixed, 2 remaining. Run with --fix");
    assertThat(Files.exists(orphan)).isTrue();

    CliRun json = CliRun.of("check", store.toString(), "--json");
    assertThat(json.exitCode()).isEqualTo(1);
    assertThat(json.out()).contains("\"healthy\": false", "{\"kind\": \"CORRUPT_ENTRY\", "
        + "\"namespace\": \"fnA\", \"location\": \"aaaa\", \"detail\": ", "\"fixed\": false}");

    CliRun fixed = CliRun.of("check", store.toString(), "--fix");
    assertThat(fixed.exitCode()).isZero();
    assertThat(fixed.out()).contains("fixed", "2 problems found, 2 fixed, 0 remaining.");
    assertThat(Files.exists(orphan)).isFalse();

    CliRun after = CliRun.of("check", store.toString());
    assertThat(after.exitCode()).isZero();
    assertThat(after.out()).contains("No problems found.");
  }
  @Test
  void lookingAtAStoreLeavesAnOldOrphanForCheckToReport() throws Exception {
    // Old enough that an application's open would delete it; the read-only commands must not.
    Path orphan = Files.write(store.resolve("files").resolve("old-stray.entry"), new byte[] {1});
    Files.setLastModifiedTime(orphan, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() - java.time.Duration.ofDays(1).toMillis()));

    assertThat(CliRun.of("stats", store.toString()).exitCode()).isZero();
    assertThat(CliRun.of("inspect", store.toString()).exitCode()).isZero();
    CliRun found = CliRun.of("check", store.toString());
    assertThat(found.exitCode()).isEqualTo(1);
    assertThat(found.out()).contains("ORPHAN_FILE", "old-stray.entry");
    assertThat(Files.exists(orphan)).isTrue();

    CliRun fixed = CliRun.of("check", store.toString(), "--fix");
    assertThat(fixed.exitCode()).isZero();
    assertThat(Files.exists(orphan)).isFalse();
  }
}
