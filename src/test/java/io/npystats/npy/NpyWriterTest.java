package io.npystats.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NpyWriterTest {
  @Test
  void whatItWritesReadsBackValueForValue() throws Exception {
    double[] values = new double[10_007];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.sin(i) * 1e3 + (i == 5 ? Double.NaN : 0);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    NpyWriter writer = new NpyWriter(out, values.length, 64);
    writer.write(values, 5000);
    writer.write(java.util.Arrays.copyOfRange(values, 5000, values.length), values.length - 5000);
    writer.finish();
    assertThat((long) out.size()).isEqualTo(NpyWriter.fileLength(values.length));

    List<Double> read = new ArrayList<>();
    NpyHeader header = new NpyReader(128).read(new ByteArrayInputStream(out.toByteArray()),
        out.size(), (chunk, n) -> {
          for (int i = 0; i < n; i++) {
            read.add(chunk[i]);
          }
        });
    assertThat(header.shape()).containsExactly(values.length);
    assertThat(read).hasSize(values.length);
    for (int i = 0; i < values.length; i++) {
      assertThat(Double.doubleToRawLongBits(read.get(i))).isEqualTo(Double.doubleToRawLongBits(values[i]));
    }
  }

  @Test
  void everyWriteButTheLastFillsTheBufferSoWritesStayOnItsBoundaries() throws Exception {
    List<Integer> writes = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WritableByteChannel channel = new WritableByteChannel() {
      @Override
      public int write(ByteBuffer source) {
        int n = source.remaining();
        writes.add(n);
        byte[] bytes = new byte[n];
        source.get(bytes);
        out.write(bytes, 0, n);
        return n;
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {}
    };
    double[] chunk = new double[1000]; // 8,000 bytes: chunks and buffer do not line up
    NpyWriter writer = new NpyWriter(channel, 10_000, ByteBuffer.allocateDirect(4096));
    for (int i = 0; i < 10; i++) {
      writer.write(chunk, chunk.length);
    }
    writer.finish();

    long total = NpyWriter.fileLength(10_000); // 128 + 80,000
    assertThat(writes).hasSize((int) ((total + 4095) / 4096));
    assertThat(writes.subList(0, writes.size() - 1)).containsOnly(4096);
    assertThat(writes.get(writes.size() - 1)).isEqualTo((int) (total % 4096));
    assertThat(out.toByteArray()).startsWith(NpyHeader.float64Vector(10_000).encode());
  }

  @Test
  void refusesToWriteMoreOrFewerValuesThanTheHeaderPromised() throws Exception {
    NpyWriter writer = new NpyWriter(new ByteArrayOutputStream(), 3, 8);
    writer.write(new double[] {1, 2}, 2);
    assertThatThrownBy(writer::finish).hasMessage("header promised 3 values, wrote 2");
    assertThatThrownBy(() -> writer.write(new double[] {1, 2}, 2))
        .hasMessage("header promised 3 values, got 4");
  }
}
