package io.npystats.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npystats.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NpyHeaderTest {
  /** A version 1.0 file from a header text, padded as numpy pads. */
  private static byte[] file(String dict) {
    byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(NpyHeader.MAGIC);
    out.write(1);
    out.write(0);
    out.write(text.length & 0xff);
    out.write(text.length >>> 8);
    out.writeBytes(text);
    return out.toByteArray();
  }

  private static NpyHeader parse(String dict) throws Exception {
    return NpyHeader.read(new ByteArrayInputStream(file(dict)));
  }

  @Test
  void encodesTheBytesNumpyWrites() throws Exception {
    for (String name : new String[] {"seed_shape_f8.npy", "small_f8.npy", "one_f8.npy"}) {
      byte[] numpy = Files.readAllBytes(Fixtures.dir().resolve(name));
      NpyHeader header = NpyHeader.read(new ByteArrayInputStream(numpy));
      byte[] ours = NpyHeader.float64Vector(header.elementCount()).encode();
      assertThat(ours).as(name).isEqualTo(Arrays.copyOf(numpy, (int) header.dataOffset()));
      assertThat(ours.length % 64).isZero();
    }
  }

  @Test
  void acceptsWhatOtherWritersWrite() throws Exception {
    NpyHeader h = parse("{\"shape\": (3L, 4L), \"fortran_order\": True, \"descr\": \"=i4\"}\n");
    assertThat(h.shape()).containsExactly(3, 4);
    assertThat(h.fortranOrder()).isTrue();
    assertThat(h.dtype().descr()).isEqualTo("<i4");
    assertThat(h.elementCount()).isEqualTo(12);
    assertThat(parse("{'descr':'<f8','fortran_order':False,'shape':()}").elementCount()).isEqualTo(1);
    assertThat(parse("{'descr': 'f8', 'fortran_order': False, 'shape': (0, 5),}").elementCount()).isZero();
  }

  @Test
  void refusesWithTheReason() {
    assertThatThrownBy(() -> parse("{'descr': '<f8', 'fortran_order': False, 'shape': (5)}"))
        .isInstanceOf(NpyFormatException.class)
        .hasMessage("shape is 5, expected a tuple of integers");
    assertThatThrownBy(() -> parse("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}"))
        .hasMessageContaining("header keys are [descr, fortran_order, shape, x]");
    assertThatThrownBy(() -> parse("{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (2,)}"))
        .hasMessageContaining("datetime and timedelta arrays are not numeric samples");
    assertThatThrownBy(() -> parse("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}"))
        .hasMessage("fortran_order is 0, expected True or False");
    assertThatThrownBy(() -> parse("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4)}"))
        .hasMessageContaining("has more elements than any file can hold");
    assertThatThrownBy(() -> parse("[".repeat(40)))
        .hasMessage("header nests deeper than 16 levels");
    assertThatThrownBy(() -> parse("{'descr': os.system('x')}"))
        .hasMessageStartingWith("header is not a Python literal: expected a literal at offset 10");
  }

  @Test
  void theLastHeaderIsTakenFromBytesThatAreItsOwnAndOnlyFromThose() throws Exception {
    byte[] file = file("{'descr': '<i2', 'fortran_order': False, 'shape': (3, 5), }      \n");
    NpyHeader parsed = NpyHeader.read(new ByteArrayInputStream(file));
    int offset = (int) parsed.dataOffset();

    ByteBuffer same = ByteBuffer.allocateDirect(offset + 30);
    same.put(file).put(new byte[30]).flip();
    assertThat(NpyHeader.sameAsLast(same)).isSameAs(parsed);
    assertThat(same.position()).isEqualTo(offset);

    for (int at : new int[] {0, 7, 8, offset - 10, offset - 1}) {
      byte[] other = file.clone();
      other[at] ^= 1;
      ByteBuffer differing = ByteBuffer.wrap(other);
      assertThat(NpyHeader.sameAsLast(differing)).as("byte %d changed", at).isNull();
      assertThat(differing.position()).isZero();
    }
    ByteBuffer cut = ByteBuffer.wrap(file, 0, offset - 1);
    assertThat(NpyHeader.sameAsLast(cut)).isNull();
    assertThat(cut.position()).isZero();
    // From the buffer's position, not its start.
    ByteBuffer later = ByteBuffer.allocate(offset + 5);
    later.put(new byte[5]).put(file).flip().position(5);
    assertThat(NpyHeader.sameAsLast(later)).isSameAs(parsed);
    assertThat(later.position()).isEqualTo(offset + 5);
  }

  @Test
  void neverAllocatesWhatTheLengthFieldClaims() {
    byte[] bytes = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
    assertThatThrownBy(() -> NpyHeader.read(new ByteArrayInputStream(bytes)))
        .hasMessage("header length 2147483647 is over numpy's max_header_size of 10000 bytes");
  }
}
