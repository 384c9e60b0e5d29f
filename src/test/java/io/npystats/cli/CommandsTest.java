package io.npystats.cli;

import static io.npystats.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end, in-process, on the shared session: what a user types and reads. */
class CommandsTest {
  @TempDir static Path tmp;
  static String files;
  static String warehouse;


  @BeforeAll
  static void generateAndSummarise() {
    SharedSpark.spark();
    files = tmp.resolve("files").toString();
    warehouse = tmp.resolve("warehouse").toString();
    CliRun gen = run("generate", "--out", files, "--files", "9", "--samples", "3000", "--seed", "3",
        "--partitions", "2");
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(gen.out()).contains("generate: 9 files in " + files + " (9 written, 0 already complete)");
    CliRun stats = run("stats", "--in", files, "--warehouse", warehouse, "--run-id", "first");
    assertThat(stats.code()).as(stats.err()).isZero();
    assertThat(stats.out())
        .contains("stats: 9 files (9 ok, 0 failed), 27,000 samples")
        .contains("run_id = first")
        .contains("file_stats");
  }

  @Test
  void sqlSeesTheTablesInEachFormat() {
    CliRun table = run("sql", "--warehouse", warehouse,
        "SELECT count(*) AS files, sum(n) AS samples FROM file_stats WHERE run_id = 'first'");
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out()).contains("| files | samples |").contains("| 9     | 27000   |").contains("1 row");

    CliRun csv = run("sql", "--warehouse", warehouse, "--format", "csv",
        "SELECT path, status FROM file_stats WHERE run_id = 'first' ORDER BY path LIMIT 2");
    assertThat(csv.out().lines().toList()).containsExactly("path,status",
        "file:" + files + "/file_0.npy,ok", "file:" + files + "/file_1.npy,ok");

    CliRun json = run("sql", "--warehouse", warehouse, "--format", "json",
        "SELECT run_id, files, failed FROM runs WHERE run_id = 'first'");
    assertThat(json.out()).isEqualTo("[\n{\"run_id\":\"first\",\"files\":9,\"failed\":0}\n]\n");
  }

  @Test
  void refusedFilesAreRowsAndTheExitCodeSaysSo() throws Exception {
    Path mixed = tmp.resolve("mixed");
    Files.createDirectories(mixed);
    Files.copy(Path.of(files, "file_0.npy"), mixed.resolve("good.npy"));
    Files.writeString(mixed.resolve("notes.npy"), "not numbers");
    CliRun stats = run("stats", "--in", mixed.toString(), "--warehouse", warehouse, "--run-id", "mixed");
    assertThat(stats.code()).isEqualTo(Main.FAILED);
    assertThat(stats.out()).contains("stats: 2 files (1 ok, 1 failed)");
    assertThat(stats.err()).contains("1 file(s) refused; each has a row with status 'error':")
        .contains("notes.npy: not a .npy file: expected the magic \\x93NUMPY, found 'not nu'");
  }

  @Test
  void generationWithDirectIoWritesTheSameFiles() throws Exception {
    String direct = tmp.resolve("direct").toString();
    CliRun gen = run("generate", "--out", direct, "--files", "9", "--samples", "3000", "--seed", "3",
        "--direct-io");
    assertThat(gen.code()).as(gen.err()).isZero();
    for (int i = 0; i < 9; i++) {
      String name = "file_" + i + ".npy";
      assertThat(Files.readAllBytes(Path.of(direct, name))).as(name)
          .isEqualTo(Files.readAllBytes(Path.of(files, name)));
    }
  }

  @Test
  void aMissingInputIsOneLineAndExitCodeOne() {
    CliRun stats = run("stats", "--in", tmp.resolve("nowhere").toString(), "--warehouse", warehouse);
    assertThat(stats.code()).isEqualTo(Main.FAILED);
    assertThat(stats.err().strip()).isEqualTo("error: input " + tmp.resolve("nowhere") + " does not exist");
  }

  @Test
  void aBadRunIdIsAUsageError() {
    CliRun stats = run("stats", "--in", files, "--run-id", "../escape");
    assertThat(stats.code()).isEqualTo(Main.USAGE);
    assertThat(stats.err()).startsWith("error: --run-id '../escape' must be 1 to 128 letters");
  }
}
