package io.npystats.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a run keeps, and which it writes again; GenerateJobTest covers whole folders. */
class GenerateFileTest {
  private static final long SEED = 5;
  private static final long SAMPLES = 20_000;

  @TempDir Path dir;
  final Configuration conf = new Configuration();

  private GenerateFile task(boolean overwrite) {
    return new GenerateFile(conf, dir.toString(), SEED, SAMPLES, overwrite);
  }

  @Test
  void aFileIsKeptOnlyWhereItHoldsItsOwnBytes() throws Exception {
    GenerateFile generate = task(false);
    assertThat(generate.apply(0).written()).isTrue();
    assertThat(generate.apply(1).written()).isTrue();
    byte[] first = Files.readAllBytes(dir.resolve("file_0.npy"));

    GeneratedFile kept = generate.apply(0);
    assertThat(kept.written()).isFalse();
    assertThat(kept.otherBytes()).isFalse();

    // The same length, the other file's bytes: its header is the same, its samples are not.
    Files.copy(dir.resolve("file_1.npy"), dir.resolve("file_0.npy"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    GeneratedFile rewritten = task(false).apply(0);
    assertThat(rewritten.written()).isTrue();
    assertThat(rewritten.otherBytes()).isTrue();
    assertThat(Files.readAllBytes(dir.resolve("file_0.npy"))).isEqualTo(first);

    // Only the very last byte differs.
    byte[] lastByteOff = first.clone();
    lastByteOff[lastByteOff.length - 1] ^= 0x40;
    Files.write(dir.resolve("file_0.npy"), lastByteOff);
    assertThat(task(false).apply(0).otherBytes()).isTrue();
    assertThat(Files.readAllBytes(dir.resolve("file_0.npy"))).isEqualTo(first);
  }

  @Test
  void overwritingWritesAFileThatAlreadyHoldsItsBytes() {
    task(false).apply(3);
    GeneratedFile again = task(true).apply(3);
    assertThat(again.written()).isTrue();
    assertThat(again.otherBytes()).isFalse();
  }

  @Test
  void onlyGeneratedNamesFromTheFirstIndexOnAreRemoved() throws Exception {
    for (String name : new String[] {"file_1.npy", "file_2.npy", "file_10.npy", "file_02.npy",
        "file_3.npy.bak", "notes.txt", "file_-4.npy"}) {
      Files.writeString(dir.resolve(name), "x");
    }
    Files.createDirectories(dir.resolve("file_7.npy"));
    assertThat(GenerateFile.removeFilesFrom(2, dir.toString(), conf)).isEqualTo(2);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "file_1.npy", "file_02.npy", "file_3.npy.bak", "notes.txt", "file_-4.npy", "file_7.npy");
    }
  }

  @Test
  void theComparingChannelTellsEqualFromShorterAndLonger() throws Exception {
    byte[] held = {1, 2, 3, 4, 5, 6};
    SameBytesChannel same = new SameBytesChannel(4);

    same.reset(Channels.newChannel(new java.io.ByteArrayInputStream(held)));
    assertThat(same.write(ByteBuffer.wrap(held))).isEqualTo(6); // split over the 4-byte buffer
    assertThat(same.atEnd()).isTrue();

    same.reset(Channels.newChannel(new java.io.ByteArrayInputStream(held)));
    same.write(ByteBuffer.wrap(held, 0, 5));
    assertThat(same.atEnd()).as("a file with a byte more").isFalse();

    same.reset(Channels.newChannel(new java.io.ByteArrayInputStream(held, 0, 5)));
    assertThatThrownBy(() -> same.write(ByteBuffer.wrap(held)))
        .isInstanceOf(SameBytesChannel.Differs.class).hasMessage("the file holds other bytes");

    same.reset(Channels.newChannel(new java.io.ByteArrayInputStream(held)));
    assertThatThrownBy(() -> same.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 7})))
        .isInstanceOf(SameBytesChannel.Differs.class);
  }
}
