package io.npystats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.testing.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit.sh} as a user runs it, without a Spark installation: a command's first run records
 * a class-data archive that the JVM accepts for this class path, later runs use it, and neither
 * lets anything but the command's own output reach stdout.
 */
class SubmitScriptIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path tmp;

  @Test
  void theFirstRunRecordsTheClassesAndLaterRunsShareThem() throws Exception {
    LocalCluster scripts = LocalCluster.scriptsOnly(tmp);
    Path cds = scripts.root().resolve("target/cds");
    deleteSqlArchives(cds);
    String[] command = {"sql", "--format", "csv", "SELECT 41 + 1 AS answer"};

    // Help, a wrong option and a failed query load a fraction of the classes: none records.
    for (String[] early : new String[][] {{"sql", "--help"}, {"sql", "--fromat", "csv", "SELECT 1"},
        {"sql", "SELECT * FROM no_such_table"}}) {
      LocalCluster.Outcome run = scripts.submit(TIMEOUT, early);
      assertThat(run.exitCode()).as(run.tail()).isEqualTo(early[1].equals("--help") ? 0
          : early[1].equals("--fromat") ? 2 : 1);
      assertThat(sqlArchives(cds)).as("archives in %s after %s", cds, List.of(early)).isEmpty();
    }

    LocalCluster.Outcome first = scripts.submit(TIMEOUT, command);
    assertThat(first.exitCode()).as(first.tail()).isZero();
    assertThat(first.out()).isEqualTo("answer\n42\n");
    assertThat(first.err()).contains("first sql run of the build also records the classes");
    List<Path> archives = sqlArchives(cds);
    assertThat(archives).as("archives in %s", cds).hasSize(2);
    Path archive = archives.stream().filter(p -> p.toString().endsWith(".jsa")).findFirst().orElseThrow();
    assertThat(archive.resolveSibling(archive.getFileName() + ".recorded")).content()
        .startsWith(Files.size(archive) + " " + scripts.root().resolve("target/npystats-0.1.0.jar") + ":");

    // The JVM refuses, rather than ignores, an archive it cannot map with -Xshare:on.
    Path target = scripts.root().resolve("target");
    Process check = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
        "-cp", target.resolve("npystats-0.1.0.jar") + ":" + target.resolve("lib") + "/*", "-version")
        .redirectErrorStream(true).start();
    String checked = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor()).as(checked).isZero();

    LocalCluster.Outcome second = scripts.submit(TIMEOUT, command);
    assertThat(second.exitCode()).as(second.tail()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(second.err()).doesNotContain("records the classes");
    assertThat(sqlArchives(cds)).hasSize(2).contains(archive);

    // An archive that no successful run recorded whole (an older build's) is recorded again.
    Files.delete(archive.resolveSibling(archive.getFileName() + ".recorded"));
    LocalCluster.Outcome third = scripts.submit(TIMEOUT, command);
    assertThat(third.exitCode()).as(third.tail()).isZero();
    assertThat(third.err()).contains("first sql run of the build also records the classes");
    assertThat(archive.resolveSibling(archive.getFileName() + ".recorded")).exists();
  }

  @Test
  void generateReadsItsCompilerDirectivesAndKeepsTheJvmsNotesOffStdout() throws Exception {
    LocalCluster scripts = LocalCluster.scriptsOnly(tmp, false);
    Path out = tmp.resolve("files");

    LocalCluster.Outcome run = scripts.submit(TIMEOUT,
        "generate", "--out", out.toString(), "--files", "3", "--samples", "1000", "--seed", "7");

    // A directives file the JVM cannot parse stops it before the command starts; one it read
    // leaves no note on either output.
    assertThat(run.exitCode()).as(run.tail()).isZero();
    assertThat(run.err()).doesNotContain("directives");
    assertThat(run.out()).startsWith("generate: 3 files in ").doesNotContain("directives");
    for (int i = 0; i < 3; i++) {
      assertThat(out.resolve("file_" + i + ".npy")).hasSize(128 + 8 * 1000);
    }
  }

  @Test
  void childProcessesThatGenerateTakeTheDirectivesAndKeepTheirProtocol() throws Exception {
    LocalCluster scripts = LocalCluster.scriptsOnly(tmp, false);

    LocalCluster.Outcome run = scripts.submit(TIMEOUT, "compare", "--files", "4", "--samples",
        "1000", "--phase", "generate", "--engines", "processes", "--workers", "2", "--repeats", "1",
        "--work", tmp.resolve("work").toString(), "--warehouse", tmp.resolve("tables").toString(),
        "--report", tmp.resolve("report").toString());

    // The children take the parent's directives (ProcessEngineTest) without saying so: on
    // stdout, the JVM's line about them would break the protocol and fail the run.
    assertThat(run.exitCode()).as(run.tail()).isZero();
    assertThat(run.err()).doesNotContain("directives");
    assertThat(run.out()).containsPattern("(?m)^processes +2 +4 ")
        .contains("Every engine gave the same results as sequential for every file, bit for bit");
  }

  private static List<Path> sqlArchives(Path cds) throws Exception {
    if (!Files.isDirectory(cds)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cds)) {
      return files.filter(f -> f.getFileName().toString().startsWith("sql-")).toList();
    }
  }

  private static void deleteSqlArchives(Path cds) throws Exception {
    for (Path archive : sqlArchives(cds)) {
      Files.delete(archive);
    }
  }
}
