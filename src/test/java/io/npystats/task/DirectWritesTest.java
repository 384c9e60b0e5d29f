package io.npystats.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectWritesTest {
  @TempDir Path dir;

  /** Whether this folder's file system takes direct I/O; the tests that need it skip otherwise. */
  private static boolean directIoWorksIn(Path folder) {
    try {
      int block = DirectFileOutputStream.blockSize(folder);
      Path probe = folder.resolve("probe");
      DirectFileOutputStream.create(probe, DirectFileOutputStream.buffer(block, block), block).close();
      Files.delete(probe);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  @Test
  void everyLengthIsWrittenExactlyWhateverTheBlocksAndPieces() throws Exception {
    assumeTrue(directIoWorksIn(dir), "the temporary folder's file system refuses direct I/O");
    int block = DirectFileOutputStream.blockSize(dir);
    ByteBuffer buffer = DirectFileOutputStream.buffer(4 * block, block);
    Random random = new Random(7);
    int[] lengths = {0, 1, block - 1, block, block + 1, 4 * block, 4 * block + 3, 13 * block + 77};
    for (int length : lengths) {
      byte[] expected = new byte[length];
      random.nextBytes(expected);
      Path file = dir.resolve("f" + length);
      Files.write(file, new byte[3 * length + 5]); // an older, longer file is replaced
      try (DirectFileOutputStream out = DirectFileOutputStream.create(file, buffer, block)) {
        for (int at = 0; at < length; ) {
          int piece = Math.min(length - at, 1 + random.nextInt(3 * block));
          if (piece == 1) {
            out.write(expected[at]);
          } else if (random.nextBoolean()) {
            out.write(expected, at, piece);
          } else {
            // As a channel, from a direct buffer whose bytes do not start at its beginning.
            ByteBuffer source = ByteBuffer.allocateDirect(piece + 5).position(5);
            source.put(expected, at, piece).position(5);
            assertThat(out.write(source)).isEqualTo(piece);
            assertThat(source.hasRemaining()).isFalse();
          }
          at += piece;
        }
      }
      assertThat(Files.readAllBytes(file)).as("length %d", length).isEqualTo(expected);
    }
  }

  @Test
  void directAndBufferedGenerationWriteTheSameBytes() throws Exception {
    Configuration direct = new Configuration(false);
    direct.setBoolean(GenerateFile.DIRECT_IO, true);
    Configuration buffered = new Configuration(false);
    String a = dir.resolve("direct").toString();
    String b = dir.resolve("buffered").toString();
    GenerateFile viaDirect = new GenerateFile(direct, a, 3, 70_001);
    GenerateFile viaBuffered = new GenerateFile(buffered, b, 3, 70_001);
    for (int i = 0; i < 3; i++) {
      viaDirect.apply(i);
      viaBuffered.apply(i);
      String name = GenerateFile.fileName(i);
      assertThat(Files.size(Path.of(a, name))).isEqualTo(viaDirect.fileLength());
      assertThat(Files.readAllBytes(Path.of(a, name))).isEqualTo(Files.readAllBytes(Path.of(b, name)));
    }
    try (var left = Files.list(Path.of(a))) {
      assertThat(left).hasSize(3); // no temporaries
    }
  }

  @Test
  void writtenBehindEveryFileIsInPlaceOnceFinished() throws Exception {
    assumeTrue(directIoWorksIn(dir), "the temporary folder's file system refuses direct I/O");
    // One write a file, and files larger than the 1 MiB buffer, written in several; with each
    // write waited for, one under way at a time, several, and as many as there are files or more.
    for (int writes : new int[] {0, 1, 2, 5, 8}) {
      Configuration direct = new Configuration(false);
      direct.setBoolean(GenerateFile.DIRECT_IO, true);
      direct.setInt(GenerateFile.WRITES_BEHIND, writes);
      for (long samples : new long[] {70_001, 150_000}) {
        writeBehindAndCompare(direct, writes + "-" + samples, samples);
      }
    }
  }

  private void writeBehindAndCompare(Configuration direct, String label, long samples)
      throws IOException {
    String behind = dir.resolve("behind-" + label).toString();
    String buffered = dir.resolve("buffered-" + label).toString();
    GenerateFile viaBehind = new GenerateFile(direct, behind, 5, samples, false, true);
    GenerateFile viaBuffered = new GenerateFile(new Configuration(false), buffered, 5, samples);
    for (int i = 0; i < 5; i++) {
      assertThat(viaBehind.apply(i).written()).isTrue();
      viaBuffered.apply(i);
    }
    viaBehind.finish();
    for (int i = 0; i < 5; i++) {
      String name = GenerateFile.fileName(i);
      assertThat(Files.readAllBytes(Path.of(behind, name))).as("%s, %s", name, label)
          .isEqualTo(Files.readAllBytes(Path.of(buffered, name)));
    }
    try (var left = Files.list(Path.of(behind))) {
      assertThat(left).hasSize(5); // no temporaries
    }
  }

  @Test
  void everyWriteThatFailsBehindIsReportedOnceAllAreDone() throws Exception {
    assumeTrue(directIoWorksIn(dir), "the temporary folder's file system refuses direct I/O");
    Configuration direct = new Configuration(false);
    direct.setBoolean(GenerateFile.DIRECT_IO, true);
    direct.setInt(GenerateFile.WRITES_BEHIND, 4);
    Path out = dir.resolve("out");
    // Folders in the places of file_1.npy and file_2.npy: their writes succeed, their moves cannot.
    for (int i : new int[] {1, 2}) {
      Files.createDirectories(out.resolve(GenerateFile.fileName(i)).resolve("inside"));
    }
    GenerateFile generate = new GenerateFile(direct, out.toString(), 5, 1000, false, true);
    for (int i = 0; i < 4; i++) {
      generate.apply(i); // four writes fit under way: none is waited for yet
    }
    assertThatThrownBy(generate::finish).isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("could not write ")
        .hasMessageContaining(GenerateFile.fileName(1) + ": ")
        .satisfies(e -> assertThat(e.getCause().getSuppressed()).singleElement()
            .satisfies(other -> assertThat(other).hasMessageContaining(GenerateFile.fileName(2) + ": ")));
    generate.finish(); // nothing left under way, and no second report
    try (var left = Files.list(out)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          GenerateFile.fileName(0), GenerateFile.fileName(1), GenerateFile.fileName(2),
          GenerateFile.fileName(3));
    }
  }

  @Test
  void aNegativeOrUnreadableNumberOfWritesBehindIsRefused() {
    for (String setting : new String[] {"-1", "four"}) {
      Configuration conf = new Configuration(false);
      conf.set(GenerateFile.WRITES_BEHIND, setting);
      assertThatThrownBy(() -> GenerateFile.writesBehind(conf))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("spark.hadoop." + GenerateFile.WRITES_BEHIND
              + " must be a whole number of 0 or more, not " + setting);
    }
    Configuration unset = new Configuration(false);
    assertThat(GenerateFile.writesBehind(unset)).isEqualTo(GenerateFile.DEFAULT_WRITES_BEHIND);
  }

  @Test
  void aWriteThatFailsBehindIsReportedWithItsOwnFile() throws Exception {
    assumeTrue(directIoWorksIn(dir), "the temporary folder's file system refuses direct I/O");
    Configuration direct = new Configuration(false);
    direct.setBoolean(GenerateFile.DIRECT_IO, true);
    // One write under way at a time: file_1's failure stops file_2 from being written.
    direct.setInt(GenerateFile.WRITES_BEHIND, 1);
    // A folder in file_1.npy's place: its write succeeds, and moving it into place cannot.
    Files.createDirectories(dir.resolve("out").resolve(GenerateFile.fileName(1)).resolve("inside"));
    GenerateFile generate = new GenerateFile(direct, dir.resolve("out").toString(), 5, 1000, false, true);
    generate.apply(0);
    generate.apply(1);
    assertThatThrownBy(() -> {
      generate.apply(2);
      generate.finish();
    }).isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("could not write ")
        .hasMessageContaining(GenerateFile.fileName(1) + ": ");
    generate.finish(); // nothing left under way, and no second report
    try (var left = Files.list(dir.resolve("out"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(GenerateFile.fileName(0), GenerateFile.fileName(1));
    }
  }

  @Test
  void aFileSystemWithoutDirectIoGetsBufferedWrites() throws Exception {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm) && !directIoWorksIn(shm),
        "no writable file system that refuses direct I/O (tmpfs at /dev/shm) here");
    Path folder = Files.createTempDirectory(shm, "npystats-test-");
    try {
      Configuration direct = new Configuration(false);
      direct.setBoolean(GenerateFile.DIRECT_IO, true);
      GenerateFile generate = new GenerateFile(direct, folder.toString(), 1, 1000);
      GeneratedFile file = generate.apply(0);
      assertThat(file.written()).isTrue();
      assertThat(Files.size(folder.resolve(GenerateFile.fileName(0)))).isEqualTo(generate.fileLength());
    } finally {
      try (var files = Files.list(folder)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.delete(p);
        }
      }
      Files.delete(folder);
    }
  }
}
