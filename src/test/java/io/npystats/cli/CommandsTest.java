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
  void aRerunWithAnotherSeedIsRefusedAndOverwriteReplacesTheFolder() throws Exception {
    Path dir = tmp.resolve("reseeded");
    CliRun first = run("generate", "--out", dir.toString(), "--files", "4", "--samples", "500",
        "--seed", "3");
    assertThat(first.code()).as(first.err()).isZero();
    byte[] seed3 = Files.readAllBytes(dir.resolve("file_0.npy"));

    CliRun same = run("generate", "--out", dir.toString(), "--files", "4", "--samples", "500",
        "--seed", "3");
    assertThat(same.code()).as(same.err()).isZero();
    assertThat(same.out()).contains("(0 written, 4 already complete)")
        .contains("nothing written: 4 files checked in").doesNotContain("MB/s");

    CliRun other = run("generate", "--out", dir.toString(), "--files", "4", "--samples", "500",
        "--seed", "7");
    assertThat(other.code()).isEqualTo(Main.USAGE);
    assertThat(other.err().lines().findFirst()).contains("error: " + dir
        + " was generated with --seed 3, not 7; add --overwrite to replace it");
    assertThat(Files.readAllBytes(dir.resolve("file_0.npy"))).isEqualTo(seed3);

    CliRun overwritten = run("generate", "--out", dir.toString(), "--files", "4", "--samples", "500",
        "--seed", "7", "--overwrite");
    assertThat(overwritten.code()).as(overwritten.err()).isZero();
    assertThat(overwritten.out()).contains("(4 written, 0 already complete)");
    Path fresh = tmp.resolve("seed-7");
    run("generate", "--out", fresh.toString(), "--files", "4", "--samples", "500", "--seed", "7");
    for (int i = 0; i < 4; i++) {
      String name = "file_" + i + ".npy";
      assertThat(Files.readAllBytes(dir.resolve(name))).as(name)
          .isEqualTo(Files.readAllBytes(fresh.resolve(name)));
    }
    assertThat(Files.readAllBytes(dir.resolve("file_0.npy"))).isNotEqualTo(seed3);
  }

  @Test
  void aResumedRunRewritesAFileOfTheRightLengthWithOtherBytes() throws Exception {
    Path dir = tmp.resolve("damaged");
    String[] args = {"generate", "--out", dir.toString(), "--files", "5", "--samples", "800",
        "--seed", "3"};
    assertThat(run(args).code()).isZero();
    byte[] good = Files.readAllBytes(dir.resolve("file_4.npy"));
    Files.copy(dir.resolve("file_3.npy"), dir.resolve("file_4.npy"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    CliRun resumed = run(args);
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("(0 written, 4 already complete, 1 rewritten that had the"
        + " right length but other bytes)");
    assertThat(Files.readAllBytes(dir.resolve("file_4.npy"))).isEqualTo(good);
  }

  @Test
  void aPathNamedTwiceIsOneRowAndTheSummarySaysOneWasDropped() throws Exception {
    Path list = tmp.resolve("twice.txt");
    Files.writeString(list, files + "/file_1.npy\nfile:" + files + "/file_1.npy\n" + files
        + "/file_2.npy\n");
    CliRun stats = run("stats", "--in", list.toString(), "--warehouse", warehouse, "--run-id", "twice");
    assertThat(stats.code()).as(stats.err()).isZero();
    assertThat(stats.out()).contains("stats: 2 files (2 ok, 0 failed), 6,000 samples, 0.0 MB;"
        + " 1 duplicate path dropped");
    CliRun rows = run("sql", "--warehouse", warehouse, "--format", "csv",
        "SELECT (SELECT count(*) FROM file_stats WHERE run_id = 'twice') AS rows, files, samples"
            + " FROM runs WHERE run_id = 'twice'");
    assertThat(rows.out().lines().toList()).containsExactly("rows,files,samples", "2,2,6000");
  }

  @Test
  void aFolderNamedLikeANpyFileInTheInputGetsAnErrorRow() throws Exception {
    Path mixed = tmp.resolve("with-folder");
    Files.createDirectories(mixed.resolve("x.npy"));
    Files.createDirectories(mixed.resolve("sub"));
    Files.copy(Path.of(files, "file_0.npy"), mixed.resolve("good.npy"));
    CliRun stats = run("stats", "--in", mixed.toString(), "--warehouse", warehouse,
        "--run-id", "with-folder");
    assertThat(stats.code()).isEqualTo(Main.FAILED);
    assertThat(stats.out()).contains("stats: 2 files (1 ok, 1 failed)");
    assertThat(stats.err()).contains("1 file(s) refused; each has a row with status 'error':")
        .contains("  " + mixed + "/x.npy: is a directory, not a .npy file");
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
