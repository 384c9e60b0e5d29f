package io.npystats.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.testing.SharedSpark;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateJobTest {
  private static final int FILES = 23;
  private static final int SAMPLES = 5_000;
  private static final long SEED = 2024;

  @TempDir static Path tmp;
  static SparkSession spark;
  static Path reference;

  @BeforeAll
  static void generateReference() throws IOException {
    spark = SharedSpark.spark();
    reference = tmp.resolve("one-partition");
    GenerateJob.Result r = GenerateJob.run(spark, reference.toString(), FILES, SAMPLES, SEED, 1);
    assertThat(r.written()).isEqualTo(FILES);
    assertThat(r.partitions()).isEqualTo(1);
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static void assertSameFolder(Path actual, Path expected) throws IOException {
    assertThat(names(actual)).isEqualTo(names(expected));
    for (String name : names(expected)) {
      assertThat(Files.readAllBytes(actual.resolve(name))).as(name)
          .isEqualTo(Files.readAllBytes(expected.resolve(name)));
    }
  }

  @Test
  void writesNumpysLayoutWithNoSideFiles() throws IOException {
    List<String> names = names(reference);
    assertThat(names).hasSize(FILES).contains("file_0.npy", "file_22.npy");
    assertThat(Files.size(reference.resolve("file_0.npy"))).isEqualTo(128 + 8L * SAMPLES);
  }

  @Test
  void anyPartitioningGivesByteIdenticalFiles() throws IOException {
    Path seven = tmp.resolve("seven-partitions");
    GenerateJob.Result r = GenerateJob.run(spark, seven.toString(), FILES, SAMPLES, SEED, 7);
    assertThat(r.partitions()).isEqualTo(7);
    assertSameFolder(seven, reference);
  }

  @Test
  void aRunAfterAnInterruptionCompletesTheSameFolder() throws IOException {
    Path dir = tmp.resolve("interrupted");
    GenerateJob.run(spark, dir.toString(), FILES, SAMPLES, SEED, 3);
    // What a run killed part-way leaves: files not yet written, a temporary being written, and
    // (from a writer that does not rename) a final name holding half a file.
    Files.delete(dir.resolve("file_20.npy"));
    Files.delete(dir.resolve("file_21.npy"));
    Files.write(dir.resolve(".file_20.npy.0f1e2d3c.tmp"), new byte[1000]);
    try (RandomAccessFile half = new RandomAccessFile(dir.resolve("file_5.npy").toFile(), "rw")) {
      half.setLength(3000);
    }

    GenerateJob.Result resumed = GenerateJob.run(spark, dir.toString(), FILES, SAMPLES, SEED, 5);

    assertThat(resumed.written()).isEqualTo(3);
    assertThat(resumed.kept()).isEqualTo(FILES - 3);
    assertThat(resumed.temporariesRemoved()).isEqualTo(1);
    assertSameFolder(dir, reference);
  }
}
