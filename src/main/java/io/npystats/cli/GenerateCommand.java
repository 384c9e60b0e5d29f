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
import picocli.CommandLine.Spec;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write file_0.npy .. file_{N-1}.npy, each M standard-normal float64 samples, on the executors.",
      "A file's bytes depend only on (seed, index): any partitioning gives the same folder. Re-running"
          + " keeps complete files and rewrites partial ones, so an interrupted run resumes."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./submit.sh generate --out data/files --files 2000 --samples 100000 --seed 42",
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

  @Option(names = "--direct-io", negatable = true, paramLabel = "BOOLEAN",
      description = "Write local files past the page cache, with direct I/O, where the file system"
          + " allows it: for data sets larger than memory, which would otherwise evict everything"
          + " else cached (default: off, or spark.hadoop." + GenerateFile.DIRECT_IO + ").")
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
    String dir = out != null ? out : Defaults.files();

    PrintWriter w = spec.commandLine().getOut();
    try (SparkSessions.Handle session = SparkSessions.open("npystats generate")) {
      SparkSession spark = session.spark();
      SparkSessions.warmUp(spark);
      dir = Stores.qualify(dir, spark.sparkContext().hadoopConfiguration());
      int p = partitions != null ? partitions : spark.sparkContext().defaultParallelism() * 4;
      GenerateJob.Result r = GenerateJob.run(spark, dir, files, samples, seed, p, directIo);
      print(w, dir, r);
      return Main.OK;
    }
  }

  static void print(PrintWriter w, String dir, GenerateJob.Result r) {
    w.printf("generate: %,d files in %s (%,d written, %,d already complete%s)%n", r.files(), Shown.path(dir),
        r.written(), r.kept(),
        r.temporariesRemoved() > 0 ? ", " + r.temporariesRemoved() + " leftover temporaries removed" : "");
    w.printf("          %.2f s, %,.0f files/s, %,.0f MB/s over %d partitions; %.1f s since the command"
        + " started%n", r.seconds(), r.files() / Math.max(r.seconds(), 1e-9),
        r.bytes() / 1e6 / Math.max(r.seconds(), 1e-9), r.partitions(),
        StatsCommand.secondsSinceJvmStart());
  }
}
