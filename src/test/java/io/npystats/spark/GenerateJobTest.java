package io.npystats.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npystats.testing.SharedSpark;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
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
  void directWritesFinishedBehindGiveTheSameFolder() throws IOException {
    Path direct = tmp.resolve("direct");
    GenerateJob.Result r = GenerateJob.run(spark, direct.toString(), FILES, SAMPLES, SEED, 3, true, false);
    assertThat(r.directIo()).isTrue();
    assertThat(r.written()).isEqualTo(FILES);
    // Every file in place, none left as a temporary, by the time the job returns.
    assertSameFolder(direct, reference);
  }

  @Test
  void aSmallDataSetIsWrittenThroughThePageCacheByDefault() throws IOException {
    // 23 files of 40 KB: far under a fifth of any machine's memory.
    GenerateJob.Result r = GenerateJob.run(spark, tmp.resolve("small").toString(), FILES, SAMPLES, SEED, 2);
    assertThat(r.directIo()).isFalse();
  }

  @Test
  void writesNumpysLayoutWithOnlyAHiddenManifestBeside() throws IOException {
    List<String> names = names(reference);
    assertThat(names).hasSize(FILES + 1).contains("file_0.npy", "file_22.npy", GenerateManifest.NAME);
    assertThat(Files.size(reference.resolve("file_0.npy"))).isEqualTo(128 + 8L * SAMPLES);
    assertThat(Files.readString(reference.resolve(GenerateManifest.NAME))).isEqualTo("""
        {
          "manifest" : 1,
          "files" : 23,
          "samples" : 5000,
          "seed" : 2024,
          "generator" : "Xoroshiro128PlusPlus seeded by SplitMix64(seed, index), java.util.random nextGaussian",
          "format" : "npy 1.0, <f8, shape (samples,), header padded to 64 bytes",
          "complete" : true
        }
        """);
  }

  static Path copyOfReference(String name) throws IOException {
    Path copy = tmp.resolve(name);
    Files.createDirectories(copy);
    for (String file : names(reference)) {
      Files.copy(reference.resolve(file), copy.resolve(file));
    }
    return copy;
  }

  @Test
  void aRunWithOtherParametersIsRefusedBeforeAnythingIsTouched() throws IOException {
    Path dir = copyOfReference("other-seed");
    Files.write(dir.resolve(".file_3.npy.0f1e2d3c.tmp"), new byte[10]);
    FileTime before = Files.getLastModifiedTime(dir.resolve("file_0.npy"));

    assertThatThrownBy(() -> GenerateJob.run(spark, dir.toString(), FILES, SAMPLES, 7, 2))
        .isInstanceOf(GenerateJob.OtherParametersException.class)
        .hasMessage(dir + " was generated with seed 2024, not 7");
    assertThatThrownBy(() -> GenerateJob.run(spark, dir.toString(), 30, 100, SEED, 2))
        .isInstanceOf(GenerateJob.OtherParametersException.class)
        .hasMessage(dir + " was generated with samples 5000, not 100 and files 23, not 30");

    // Not even the leftover temporary went: the refusal came first.
    assertThat(names(dir)).contains(".file_3.npy.0f1e2d3c.tmp");
    assertThat(Files.getLastModifiedTime(dir.resolve("file_0.npy"))).isEqualTo(before);
    Files.delete(dir.resolve(".file_3.npy.0f1e2d3c.tmp"));
    assertSameFolder(dir, reference);
  }

  @Test
  void aManifestThisVersionCannotReadStopsTheRunUnlessOverwriting() throws IOException {
    Path dir = copyOfReference("newer-manifest");
    Path manifest = dir.resolve(GenerateManifest.NAME);
    Files.writeString(manifest, "{\"manifest\": 2, \"files\": 23}");
    assertThatThrownBy(() -> GenerateJob.run(spark, dir.toString(), FILES, SAMPLES, SEED, 2))
        .isInstanceOf(IOException.class)
        .hasMessage(dir.resolve(GenerateManifest.NAME) + " is not a manifest this version can"
            + " read: expected \"manifest\": 1, found 2");

    GenerateJob.Result r = GenerateJob.run(spark, dir.toString(), FILES, SAMPLES, SEED, 2, null, true);
    assertThat(r.written()).isEqualTo(FILES);
    assertSameFolder(dir, reference);
  }

  @Test
  void overwritingRewritesEveryFileAndTheManifest() throws IOException {
    Path dir = copyOfReference("overwritten");
    GenerateJob.Result r = GenerateJob.run(spark, dir.toString(), 20, SAMPLES, 7, 3, null, true);
    assertThat(r.written()).isEqualTo(20);
    assertThat(r.kept()).isZero();
    assertThat(r.surplusRemoved()).isEqualTo(3);

    Path fresh = tmp.resolve("seed-7");
    GenerateJob.run(spark, fresh.toString(), 20, SAMPLES, 7, 1);
    assertSameFolder(dir, fresh);
    assertThat(Files.readString(dir.resolve(GenerateManifest.NAME))).contains("\"seed\" : 7,");

    // Every file, even one that already held its bytes.
    GenerateJob.Result again = GenerateJob.run(spark, dir.toString(), 20, SAMPLES, 7, 3, null, true);
    assertThat(again.written()).isEqualTo(20);
  }

  @Test
  void aFileOfTheRightLengthWithOtherBytesIsRewritten() throws IOException {
    Path dir = copyOfReference("other-bytes");
    // Another file's bytes, and one byte changed near the end of a third: lengths all right.
    Files.copy(dir.resolve("file_1.npy"), dir.resolve("file_2.npy"), StandardCopyOption.REPLACE_EXISTING);
    try (RandomAccessFile damaged = new RandomAccessFile(dir.resolve("file_9.npy").toFile(), "rw")) {
      damaged.seek(damaged.length() - 3);
      int b = damaged.read();
      damaged.seek(damaged.length() - 3);
      damaged.write(b ^ 1);
    }

    GenerateJob.Result r = GenerateJob.run(spark, dir.toString(), FILES, SAMPLES, SEED, 4);

    assertThat(r.rewritten()).isEqualTo(2);
    assertThat(r.written()).isZero();
    assertThat(r.kept()).isEqualTo(FILES - 2);
    assertThat(r.bytesWritten()).isEqualTo(2 * (128 + 8L * SAMPLES));
    assertSameFolder(dir, reference);
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
    // The manifest as the killed run left it, written before its first file, and one file that a
    // writer other than this one left with the right length but zeros.
    Path manifest = dir.resolve(GenerateManifest.NAME);
    Files.writeString(manifest, Files.readString(manifest).replace("\"complete\" : true", "\"complete\" : false"));
    Files.write(dir.resolve("file_6.npy"), new byte[128 + 8 * SAMPLES]);

    GenerateJob.Result resumed = GenerateJob.run(spark, dir.toString(), FILES, SAMPLES, SEED, 5);

    assertThat(resumed.written()).isEqualTo(3);
    assertThat(resumed.rewritten()).isEqualTo(1);
    assertThat(resumed.kept()).isEqualTo(FILES - 4);
    assertThat(resumed.temporariesRemoved()).isEqualTo(1);
    assertSameFolder(dir, reference);
  }
}
