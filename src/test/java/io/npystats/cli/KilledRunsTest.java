package io.npystats.cli;

import static io.npystats.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.spark.GenerateJob;
import io.npystats.spark.Tables;
import io.npystats.testing.ChildJvm;
import io.npystats.testing.PausingCommitProtocol;
import io.npystats.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A command killed outright (SIGKILL: no shutdown hook, no cleanup) part way through, then run
 * again: {@code stats} leaves no rows of the killed run and a re-run with the same run id replaces
 * rather than duplicates; {@code generate} resumes into a folder byte-identical to one never
 * interrupted. The killed command runs in a child JVM on {@code local[2]}, as {@code submit.sh}
 * would start it; the re-runs run in this JVM.
 */
@Tag("slow")
class KilledRunsTest {
  @TempDir static Path tmp;
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.spark();
  }


  static ChildJvm child(Path log) {
    return ChildJvm.logTo(log, "1g")
        .flag("-Dspark.master=local[2]")
        .flag("-Dspark.ui.enabled=false")
        .flag("-Dspark.driver.host=127.0.0.1")
        .flag("-Dspark.driver.bindAddress=127.0.0.1");
  }

  @Test
  void statsKilledWhileWritingLeavesNoRowsAndARerunReplacesRatherThanDuplicates() throws Exception {
    int files = 1000;
    Path in = tmp.resolve("stats-input");
    GenerateJob.run(spark, in.toString(), files, 8, 21, 4);
    String warehouse = tmp.resolve("warehouse").toString();
    Path table = tmp.resolve("warehouse").resolve(Tables.FILE_STATS);
    CliRun earlier = run("stats", "--in", in.toString(), "--warehouse", warehouse, "--run-id", "earlier");
    assertThat(earlier.code()).as(earlier.err()).isZero();

    String killed = killDuringTableWrite(tmp, table, child -> { }, "--in", in.toString(),
        "--warehouse", warehouse, "--partitions", "4");

    Dataset<Row> stats = spark.read().parquet(table.toString());
    assertThat(stats.where("run_id = '" + killed + "'").count()).as("rows of the killed run").isZero();
    assertThat(stats.where("run_id = 'earlier'").count()).as("rows of the earlier run").isEqualTo(files);
    assertThat(runsOf(warehouse, killed)).as("runs rows of the killed run").isZero();

    for (int rerun = 1; rerun <= 2; rerun++) {
      CliRun again = run("stats", "--in", in.toString(), "--warehouse", warehouse, "--run-id", killed);
      assertThat(again.code()).as(again.err()).isZero();
      Dataset<Row> now = spark.read().parquet(table.toString());
      Dataset<Row> rows = now.where("run_id = '" + killed + "'");
      assertThat(rows.count()).as("rows of %s after re-run %d", killed, rerun).isEqualTo(files);
      assertThat(rows.select("path").distinct().count()).isEqualTo(files);
      assertThat(rows.where("status = 'ok'").count()).isEqualTo(files);
      assertThat(now.where("run_id = 'earlier'").count()).isEqualTo(files);
      assertThat(runsOf(warehouse, killed)).as("runs rows of %s after re-run %d", killed, rerun)
          .isEqualTo(1);
    }
  }

  /**
   * A stats run killed at each moment it passes, in order, re-running a run id that is already
   * committed, with another committed run beside it. After the kill, readers see whole runs only:
   * the re-run's run as it was before its write began, or nothing of it from then until its
   * commit, or the new run. Then a run with a new id and a re-run with the killed one's id each
   * leave only whole runs, and nothing else, on disk.
   */
  @ParameterizedTest
  @ValueSource(strings = {"listing", "tasks", "file_stats-write", "file_stats-commit", "runs-write",
      "runs-commit", "done"})
  void statsKilledAtEachPhaseLeavesWholeRunsOnlyAndTheNextRunClearsTheRest(String phase)
      throws Exception {
    Path before = smallInput("before", 6);
    Path after = smallInput("after", 9);
    String warehouse = tmp.resolve("phase-" + phase).toString();
    for (String[] run : new String[][] {{"kept", before.toString()}, {"again", before.toString()}}) {
      CliRun done = run("stats", "--in", run[1], "--warehouse", warehouse, "--run-id", run[0]);
      assertThat(done.code()).as(done.err()).isEqualTo(0);
    }

    // C1 alone, as submit.sh starts stats: it halves a child's Spark start-up.
    ChildJvm child = child(tmp.resolve("phase-" + phase + ".log"))
        .flag("-XX:TieredStopAtLevel=1")
        .flag("-Dnpystats.pause.at=" + phase)
        .flag("-Dspark.sql.sources.commitProtocolClass=" + PausingCommitProtocol.class.getName());
    Process process = child.main(Main.class.getName(), "stats", "--in", after.toString(),
        "--warehouse", warehouse, "--run-id", "again", "--partitions", "2");
    awaitLine(child, process, "npystats: paused at " + phase, 120);
    process.destroyForcibly();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("killed child ended").isTrue();

    Map<String, Long> visible = wholeRunsAsReadersSeeThem(warehouse);
    Map<String, Long> expected = new TreeMap<>(Map.of("kept", 6L));
    switch (phase) {
      case "listing", "tasks" -> expected.put("again", 6L); // its write had not begun
      case "done" -> expected.put("again", 9L);
      default -> { } // withdrawn for its re-write, which did not commit
    }
    assertThat(visible).as("runs and their file counts after a kill at %s", phase).isEqualTo(expected);

    CliRun next = run("stats", "--in", before.toString(), "--warehouse", warehouse, "--run-id", "next");
    assertThat(next.code()).as(next.err()).isEqualTo(0);
    expected.put("next", 6L);
    assertThat(wholeRunsAsReadersSeeThem(warehouse)).isEqualTo(expected);
    assertOnlyCommittedRunsOnDisk(warehouse, expected.keySet());

    CliRun again = run("stats", "--in", after.toString(), "--warehouse", warehouse, "--run-id", "again");
    assertThat(again.code()).as(again.err()).isEqualTo(0);
    expected.put("again", 9L);
    assertThat(wholeRunsAsReadersSeeThem(warehouse)).isEqualTo(expected);
    assertOnlyCommittedRunsOnDisk(warehouse, expected.keySet());
  }

  /** A folder of {@code files} small .npy files, made once per name. */
  private static Path smallInput(String name, int files) throws IOException {
    Path dir = tmp.resolve("input-" + name);
    if (!Files.isDirectory(dir)) {
      GenerateJob.run(spark, dir.toString(), files, 100, 5, 2);
    }
    return dir;
  }

  /**
   * Each run id in the views {@code sql} queries, with its file count, after checking that the
   * {@code file_stats} and {@code runs} views hold the same run ids and each run's
   * {@code file_stats} rows are as many as its {@code runs} row says.
   */
  private static Map<String, Long> wholeRunsAsReadersSeeThem(String warehouse) throws IOException {
    Tables.register(spark, warehouse);
    Map<String, Long> runs = new TreeMap<>();
    for (Row row : spark.sql("SELECT run_id, files FROM runs").collectAsList()) {
      runs.put(row.getString(0), row.getLong(1));
    }
    Map<String, Long> rows = new TreeMap<>();
    for (Row row : spark.sql("SELECT run_id, count(*) FROM file_stats GROUP BY run_id").collectAsList()) {
      rows.put(row.getString(0), row.getLong(1));
    }
    assertThat(rows).as("file_stats rows per run, against runs' file counts").isEqualTo(runs);
    return runs;
  }

  /** Every table's partitions are the committed runs', and no staging or temporary file is left. */
  private static void assertOnlyCommittedRunsOnDisk(String warehouse, Set<String> runIds)
      throws IOException {
    Set<String> partitions = runIds.stream().map(id -> Tables.RUN_ID + "=" + id)
        .collect(Collectors.toCollection(TreeSet::new));
    for (String table : List.of(Tables.FILE_STATS, Tables.RUNS)) {
      assertThat(contents(Path.of(warehouse, table))).as("%s in %s", table, warehouse)
          .containsExactlyElementsOf(partitions);
    }
    try (Stream<Path> all = Files.walk(Path.of(warehouse))) {
      assertThat(all.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith(".") || name.equals("_temporary")
              || name.endsWith(".tmp"));
    }
  }

  /** Waits for {@code line} in the child's output; fails with the output if it ends first. */
  private static void awaitLine(ChildJvm child, Process process, String line, int timeoutSeconds)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(child.log()) && Files.readString(child.log()).contains(line)) {
        return;
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(20);
    }
    process.destroyForcibly();
    throw new AssertionError("the child never printed '" + line + "'; its output ends:\n"
        + child.tail(40));
  }

  /** Polls the table folder for Spark's staging folder until it appears or the process ends. */
  /**
   * Starts {@code stats} with {@code args} in a child JVM, its run id {@code killed-N}, and kills it
   * with SIGKILL between the start of its table write (Spark's staging folder appears under
   * {@code table}) and its commit (the staging folder goes); a try that misses is made again, up
   * to three.
   *
   * @param configure flags the child needs beyond the usual (a store's settings, say)
   * @return the run id of the run that was killed during its write
   */
  static String killDuringTableWrite(Path logs, Path table, Consumer<ChildJvm> configure,
      String... args) throws Exception {
    String killed = null;
    List<String> misses = new ArrayList<>();
    for (int attempt = 1; attempt <= 3 && killed == null; attempt++) {
      String runId = "killed-" + attempt;
      ChildJvm child = child(logs.resolve(runId + ".log"));
      configure.accept(child);
      List<String> command = new ArrayList<>(List.of("stats", "--run-id", runId));
      command.addAll(List.of(args));
      Process process = child.main(Main.class.getName(), command.toArray(String[]::new));
      Path staging = awaitStaging(process, table, 180);
      if (staging == null) {
        process.waitFor(60, TimeUnit.SECONDS);
        misses.add(runId + ": ended (exit " + (process.isAlive() ? "none" : process.exitValue())
            + ") before its write was seen; output ends:\n" + child.tail(20));
        continue;
      }
      process.destroyForcibly();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("killed child ended").isTrue();
      if (Files.exists(staging)) {
        killed = runId;
      } else {
        misses.add(runId + ": the write committed between seeing its staging folder and the kill");
      }
    }
    assertThat(killed).as("a kill during the write, in 3 tries: %s", misses).isNotNull();
    return killed;
  }

  static Path awaitStaging(Process process, Path table, int timeoutSeconds)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (process.isAlive() && System.nanoTime() < deadline) {
      if (Files.isDirectory(table)) {
        try (Stream<Path> entries = Files.list(table)) {
          Path staging = entries
              .filter(p -> p.getFileName().toString().startsWith(".spark-staging-")
                  || p.getFileName().toString().startsWith(".npystats-staging-")
                  || p.getFileName().toString().equals("_temporary"))
              .findFirst().orElse(null);
          if (staging != null) {
            return staging;
          }
        } catch (java.nio.file.NoSuchFileException e) {
          // listed while Spark moved things: look again
        }
      }
      Thread.sleep(1);
    }
    return null;
  }

  private static long runsOf(String warehouse, String runId) {
    return spark.read().parquet(Tables.path(warehouse, Tables.RUNS))
        .where("run_id = '" + runId + "'").count();
  }

  @Test
  void generateKilledAtARandomMomentThenRerunGivesTheSameBytes() throws Exception {
    long seed = Long.getLong("npystats.kill.seed", System.nanoTime());
    Random random = new Random(seed);
    String[] args = {"--files", "400", "--samples", "40000", "--seed", "77", "--partitions", "4"};
    Path reference = tmp.resolve("reference");
    CliRun whole = run(concat(new String[] {"generate", "--out", reference.toString()}, args));
    assertThat(whole.code()).as(whole.err()).isZero();

    Path resumed = tmp.resolve("resumed");
    String interrupted = null;
    long delay = 0;
    for (int attempt = 1; attempt <= 3 && interrupted == null; attempt++) {
      ChildJvm child = child(tmp.resolve("generate-" + attempt + ".log"));
      Process process = child.main(Main.class.getName(),
          concat(new String[] {"generate", "--out", resumed.toString()}, args));
      // From the moment the job has made its folder, a uniformly random wait, shorter each try.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (process.isAlive() && !Files.isDirectory(resumed) && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      delay = random.nextInt(2000 >> (attempt - 1));
      Thread.sleep(delay);
      if (!process.isAlive()) {
        child.assertExit(process, 0, 1);
        continue; // finished before the kill: nothing was interrupted, try again
      }
      process.destroyForcibly();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("killed child ended").isTrue();
      interrupted = "attempt " + attempt + ", killed " + delay + " ms after the folder appeared, "
          + contents(resumed).size() + " files there";
    }
    String what = "seed " + seed + " (rerun with -Dnpystats.kill.seed=" + seed + "): " + interrupted;
    assertThat(interrupted).as("a kill while generating, in 3 tries; %s", what).isNotNull();

    CliRun rerun = run(concat(new String[] {"generate", "--out", resumed.toString()}, args));
    assertThat(rerun.code()).as(rerun.err()).isZero();
    assertThat(rerun.out()).as(what).containsPattern(
        "generate: 400 files in /\\S+ \\([0-9]+ written, [0-9]+ already complete");

    List<String> names = contents(resumed);
    assertThat(names).as(what).isEqualTo(contents(reference));
    assertThat(names).as(what).noneMatch(name -> name.startsWith(".file_") || name.endsWith(".tmp"));
    for (String name : names) {
      assertThat(Files.readAllBytes(resumed.resolve(name))).as("%s; %s", name, what)
          .isEqualTo(Files.readAllBytes(reference.resolve(name)));
    }
  }

  private static final String[] SMALL_SET = {"--files", "20", "--samples", "1000", "--seed", "5",
      "--partitions", "4"};
  private static final String MANIFEST = "_npystats_generate.json";

  /** Each name in a folder generated once, uninterrupted, with {@link #SMALL_SET}, and its CRC. */
  private static Map<String, Long> smallSetReference;

  /**
   * A generate run killed at each moment it passes, in order: its manifest written but not in
   * place, a task part way through its files, the last file in place but the manifest not yet
   * marked complete (written but not in place), and the end. The folder shows no partial file;
   * a run with another seed is refused without touching it wherever the manifest is in place;
   * and a re-run with the killed one's parameters leaves the folder byte for byte as a run never
   * interrupted does, with no temporary left.
   */
  @ParameterizedTest
  @ValueSource(strings = {"generate-manifest", "generate-tasks", "generate-complete",
      "generate-done"})
  void generateKilledAtEachPhaseThenRerunGivesTheSameBytes(String phase) throws Exception {
    Map<String, Long> reference = smallSetReference();
    Path dir = tmp.resolve("generate-" + phase);
    ChildJvm child = child(tmp.resolve("generate-" + phase + ".log"))
        .flag("-XX:TieredStopAtLevel=1")
        .flag("-Dnpystats.pause.at=" + phase);
    Process process = child.main(Main.class.getName(),
        concat(new String[] {"generate", "--out", dir.toString()}, SMALL_SET));
    awaitLine(child, process, "npystats: paused at " + phase, 120);
    process.destroyForcibly();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("killed child ended").isTrue();

    Map<String, Long> left = crcs(dir);
    List<String> files = left.keySet().stream().filter(name -> name.startsWith("file_")).toList();
    for (String name : files) {
      assertThat(left.get(name)).as("CRC of %s after a kill at %s", name, phase)
          .isEqualTo(reference.get(name));
    }
    long temporaries = left.keySet().stream().filter(name -> name.startsWith(".")).count();
    String manifest = left.containsKey(MANIFEST) ? Files.readString(dir.resolve(MANIFEST)) : null;
    switch (phase) {
      case "generate-manifest" -> {
        assertThat(files).as("files after a kill at %s", phase).isEmpty();
        assertThat(manifest).as("manifest after a kill at %s", phase).isNull();
        assertThat(temporaries).as("manifest temporaries after a kill at %s", phase).isOne();
      }
      case "generate-tasks" -> {
        assertThat(files).as("files after a kill at %s", phase).isNotEmpty().hasSizeLessThan(20);
        assertThat(manifest).contains("\"seed\" : 5,").contains("\"complete\" : false");
      }
      case "generate-complete" -> {
        assertThat(files).as("files after a kill at %s", phase).hasSize(20);
        assertThat(manifest).contains("\"seed\" : 5,").contains("\"complete\" : false");
        assertThat(temporaries).as("manifest temporaries after a kill at %s", phase).isOne();
      }
      default -> assertThat(left).as("folder after a kill at %s", phase)
          .containsExactlyEntriesOf(reference);
    }

    if (manifest != null) {
      // The manifest records the seed before the first file is written, so no other run takes
      // over a folder that is part way through.
      CliRun reseeded = run("generate", "--out", dir.toString(), "--files", "20", "--samples",
          "1000", "--seed", "6", "--partitions", "4");
      assertThat(reseeded.code()).as(reseeded.err()).isEqualTo(Main.USAGE);
      assertThat(reseeded.err()).startsWith("error: " + dir
          + " was generated with --seed 5, not 6; add --overwrite to replace it\n");
      assertThat(crcs(dir)).as("folder after the refused run").containsExactlyEntriesOf(left);
    }

    CliRun rerun = run(concat(new String[] {"generate", "--out", dir.toString()}, SMALL_SET));
    assertThat(rerun.code()).as(rerun.err()).isZero();
    Map<String, Long> after = crcs(dir);
    assertThat(after.keySet()).as("after the re-run of a kill at %s", phase)
        .noneMatch(name -> name.startsWith(".") || name.endsWith(".tmp"));
    assertThat(after).as("folder after the re-run of a kill at %s", phase)
        .containsExactlyEntriesOf(reference);
    assertThat(rerun.out()).as("re-run after a kill at %s", phase).contains(" ("
        + (20 - files.size()) + " written, " + files.size() + " already complete"
        + (temporaries > 0 ? ", " + temporaries + " leftover temporaries removed" : "") + ")\n");
  }

  private static synchronized Map<String, Long> smallSetReference() throws IOException {
    if (smallSetReference == null) {
      Path dir = tmp.resolve("generate-reference");
      CliRun whole = run(concat(new String[] {"generate", "--out", dir.toString()}, SMALL_SET));
      assertThat(whole.code()).as(whole.err()).isZero();
      smallSetReference = crcs(dir);
      assertThat(smallSetReference).hasSize(21).containsKey(MANIFEST);
      assertThat(Files.readString(dir.resolve(MANIFEST))).contains("\"complete\" : true");
    }
    return smallSetReference;
  }

  /** Each name in a folder, hidden ones included, with the CRC-32 of its bytes, sorted by name. */
  private static Map<String, Long> crcs(Path dir) throws IOException {
    Map<String, Long> crcs = new TreeMap<>();
    for (String name : contents(dir)) {
      CRC32 crc = new CRC32();
      crc.update(Files.readAllBytes(dir.resolve(name)));
      crcs.put(name, crc.getValue());
    }
    return crcs;
  }

  /** Every name in a folder, hidden ones included, sorted; empty if there is no folder. */
  private static List<String> contents(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
