package io.npystats.cli;

import io.npystats.spark.GenerateJob;
import io.npystats.spark.SparkSessions;
import io.npystats.task.GenerateFile;
import io.npystats.task.Stores;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write file_0.npy .. file_{N-1}.npy, each M standard-normal float64 samples, on the executors.",
      "A file's bytes depend only on (seed, index): any partitioning gives the same folder. Re-running"
          + " keeps the files that already hold their bytes (each is read back and compared) and"
          + " rewrites the others, so an interrupted run resumes.",
      "The folder's parameters are kept in its hidden _npystats_generate.json; a run with other"
          + " ones is refused unless --overwrite is given."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./submit.sh generate --out data/files --files 2000 --samples 100000 --seed 42",
      "  ./submit.sh generate --out data/files --files 2000 --samples 100000 --seed 7 --overwrite",
      "  ./submit.sh --master spark://127.0.0.1:7077 generate --out hdfs://nn:8020/npy --files 100000"
    })
final class GenerateCommand implements Callable<Integer>, Checked {
  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", description = "Folder to write (default: ${sys:npystats.files}).")
  String out;

  @Option(names = "--files", paramLabel = "N", description = "How many files (default: ${DEFAULT-VALUE}).")
  long files = Defaults.FILES;

  @Option(names = "--samples", paramLabel = "M", description = "Samples per file (default: ${DEFAULT-VALUE}).")
  long samples = Defaults.SAMPLES;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the whole data set (default: ${DEFAULT-VALUE}).")
  long seed = Defaults.SEED;

  @Option(names = "--partitions", paramLabel = "P",
      description = "Spark partitions (default: 4 per core of the cluster, at most one per file).")
  Integer partitions;

  @Option(names = "--overwrite",
      description = "Write every file again, and replace a folder generated with other parameters.")
  boolean overwrite;

  @Option(names = "--direct-io", negatable = true, paramLabel = "BOOLEAN",
      description = "Write local files past the page cache, with direct I/O, where the file system"
          + " allows it: for data sets larger than memory, which would otherwise evict everything"
          + " else cached (default: spark.hadoop." + GenerateFile.DIRECT_IO + " where set, else on"
          + " for a local run whose data set is over a fifth of the machine's memory).")
  Boolean directIo;

  @Override
  public void check() {
    Checks.inRange(spec, "--files", files, 1, 100_000_000);
    Checks.inRange(spec, "--samples", samples, 0, 1L << 36);
    if (partitions != null) {
      Checks.inRange(spec, "--partitions", partitions, 1, 1_000_000);
    }
  }

  @Override
  public Integer call() throws Exception {
    check();
    String given = out != null ? out : Defaults.files();

    PrintWriter w = spec.commandLine().getOut();
    try (SparkSessions.Handle session = SparkSessions.open("npystats generate")) {
      SparkSession spark = session.spark();
      SparkSessions.warmUp(spark);
      String dir = Stores.qualify(given, spark.sparkContext().hadoopConfiguration());
      int p = partitions != null ? partitions : GenerateJob.defaultPartitions(spark.sparkContext().defaultParallelism());
      GenerateJob.Result r;
      try {
        r = GenerateJob.run(spark, dir, files, samples, seed, p, directIo, overwrite);
      } catch (GenerateJob.OtherParametersException e) {
        throw new ParameterException(spec.commandLine(), given + " was generated with "
            + e.describe("--") + "; add --overwrite to replace it");
      }
      print(w, dir, r);
      return Main.OK;
    }
  }

  static void print(PrintWriter w, String dir, GenerateJob.Result r) {
    StringBuilder also = new StringBuilder();
    if (r.rewritten() > 0) {
      also.append(String.format(", %,d rewritten that had the right length but other bytes",
          r.rewritten()));
    }
    if (r.temporariesRemoved() > 0) {
      also.append(", ").append(r.temporariesRemoved()).append(" leftover temporaries removed");
    }
    if (r.surplusRemoved() > 0) {
      also.append(String.format(", %,d files past file_%d.npy removed", r.surplusRemoved(),
          r.files() - 1));
    }
    w.printf("generate: %,d files in %s (%,d written, %,d already complete%s)%n", r.files(),
        Shown.path(dir), r.written(), r.kept(), also);
    long wrote = r.written() + r.rewritten();
    double seconds = Math.max(r.seconds(), 1e-9);
    if (wrote == 0) {
      w.printf("          nothing written: %,d files checked in %.2f s over %d partitions; %.1f s"
          + " since the command started%n", r.kept(), r.seconds(), r.partitions(),
          StatsCommand.secondsSinceJvmStart());
    } else {
      w.printf("          %.2f s, %,.0f files/s, %,.0f MB/s written%s over %d partitions; %.1f s"
          + " since the command started%n", r.seconds(), wrote / seconds,
          r.bytesWritten() / 1e6 / seconds, r.directIo() ? " (direct I/O)" : "", r.partitions(),
          StatsCommand.secondsSinceJvmStart());
    }
  }
}
