package io.npystats.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npystats.testing.ChildJvm;
import io.npystats.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fuzz target's properties ({@link NpyReaderFuzzTarget}) over numpy's fixtures and every
 * regression input, in this JVM; and a bounded coverage-guided run of Jazzer over the target, in
 * a child JVM.
 */
class NpyReaderFuzzTest {
  private static final String LITERAL = "header is not a Python literal: expected ";
  private static final String PARSED = " (headers are parsed, never evaluated)";

  /** Each regression input, what it used to do, and the refusal it gets now. */
  private static final Map<String, String> REGRESSIONS = new LinkedHashMap<>();

  static {
    // Threw NumberFormatException: BigInteger was left a bare sign.
    REGRESSIONS.put("sign-and-underscore-as-dimension",
        LITERAL + "an integer at offset 51, found '-_,), }'" + PARSED);
    // Header plus data overflowed a long, so the length check passed, the data was read, and the
    // message said the file "needs -9223372036854775724 bytes".
    REGRESSIONS.put("file-length-past-long",
        "shape (9223372036854775807,) has more elements than any file can hold");
    // The decoded newline went into the message and split it over two lines.
    REGRESSIONS.put("newline-escape-in-descr", "descr '<f\\n8' is not a numpy dtype");
    // A terminal escape went into the message, and so onto the console of whoever read it.
    REGRESSIONS.put("terminal-escape-in-key",
        "header keys are [descr, fortran_order, shape, \\x1b[2J], expected exactly"
            + " [descr, fortran_order, shape]");
    // Integer.parseInt took '+8' for hex digits, which Python does not.
    REGRESSIONS.put("signed-hex-escape",
        LITERAL + "an escape of 2 hex digits at offset 15, found '+8', 'fortran_order''" + PARSED);
    // Character.isDigit took an Arabic-Indic three for a dimension, which Python does not.
    REGRESSIONS.put("arabic-indic-digit-as-dimension",
        LITERAL + "a literal at offset 51, found '\u0663,), }'" + PARSED);
  }

  static Stream<String> fixtures() {
    return Fixtures.manifest().stream().map(Fixtures.Expected::file);
  }

  /** numpy's own files, the fuzzer's seeds, hold to the target's properties. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void fixturesReadOrAreRefusedWithinTheBudget(String file) throws IOException {
    NpyReaderFuzzTarget.check(Files.readAllBytes(Fixtures.dir().resolve(file)));
  }

  static Stream<Arguments> regressions() {
    return REGRESSIONS.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regressions")
  void regressionInputsAreRefusedWithTheirReason(String name, String message) throws Exception {
    byte[] bytes = Files.readAllBytes(regressionInputs().resolve(name));
    NpyReaderFuzzTarget.check(bytes);
    assertThatThrownBy(() -> new NpyReader(64).read(new ByteArrayInputStream(bytes), bytes.length,
        (values, count) -> {}))
        .isInstanceOf(NpyFormatException.class)
        .hasMessage(message);
  }

  /** A finding saved into the regression folder needs its expected refusal written down above. */
  @Test
  void everyRegressionInputHasItsExpectedRefusal() throws Exception {
    try (Stream<Path> files = Files.list(regressionInputs())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(REGRESSIONS.keySet());
    }
  }

  private static Path regressionInputs() throws URISyntaxException {
    return Paths.get(NpyReaderFuzzTarget.class
        .getResource("NpyReaderFuzzTargetInputs/readsOrRefuses").toURI());
  }

  /** The costliest header to parse: as long as numpy allows, one small token after another. */
  @Test
  void theCostliestHeaderUsesUnderHalfTheBudget() {
    StringBuilder dict =
        new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': (0,), 'x': [");
    while (dict.length() < NpyHeader.MAX_HEADER_SIZE - 2) {
      dict.append("1,");
    }
    byte[] bytes = npy(1, dict.append("]}").toString());
    NpyReaderFuzzTarget.check(bytes);
    assertThat(NpyReaderFuzzTarget.allocatedByOneRead(bytes))
        .isLessThan(NpyReaderFuzzTarget.FIXED_ALLOCATION_BUDGET / 2);
  }

  @Test
  void aLengthFieldClaimingFourGigabytesIsRefusedBeforeAllocatingThem() {
    byte[] bytes = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, -1, -1, -1, -1, '{'};
    NpyReaderFuzzTarget.check(bytes);
    assertThat(NpyReaderFuzzTarget.allocatedByOneRead(bytes)).isLessThan(64 * 1024);
    assertThatThrownBy(() -> new NpyReader(64).read(new ByteArrayInputStream(bytes), bytes.length,
        (values, count) -> {}))
        .isInstanceOf(NpyFormatException.class)
        .hasMessage("header length 4294967295 is over numpy's max_header_size of 10000 bytes");
  }

  @Test
  void aShapeOfEightPetabytesInATinyFileIsRefusedBeforeReading() {
    byte[] bytes = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000000), }");
    NpyReaderFuzzTarget.check(bytes);
    assertThat(NpyReaderFuzzTarget.allocatedByOneRead(bytes)).isLessThan(64 * 1024);
    assertThatThrownBy(() -> new NpyReader(64).read(new ByteArrayInputStream(bytes), bytes.length,
        (values, count) -> {}))
        .isInstanceOf(NpyFormatException.class)
        .hasMessage("data shorter than the shape needs: shape (1000000, 1000000000) of <f8 needs"
            + " 8000000000000084 bytes with the header, file has 84");
  }

  /**
   * Fuzzes the target with Jazzer, coverage-guided, for a bounded time (40 s unless
   * {@code -Dnpystats.fuzz.seconds=N} says otherwise), in a child JVM so that Jazzer's agent stays
   * out of this one. numpy's fixtures and the regression inputs are the seeds; the corpus grows in
   * {@code <build dir>/fuzz/corpus} from run to run, and a finding lands in
   * {@code <build dir>/fuzz/findings}.
   */
  @Test
  @Tag("slow")
  void jazzerFindsNothingInABoundedRun() throws Exception {
    int seconds = Integer.getInteger("npystats.fuzz.seconds", 40);
    Path buildDir = Paths.get(NpyReaderFuzzTest.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI()).getParent();
    Path fuzz = buildDir.resolve("fuzz");
    Path corpus = Files.createDirectories(fuzz.resolve("corpus"));
    Path findings = Files.createDirectories(fuzz.resolve("findings"));
    ChildJvm child = ChildJvm.logTo(fuzz.resolve("fuzz.log"), "1g").in(fuzz);
    Process process = child.main("com.code_intelligence.jazzer.Jazzer",
        "--target_class=" + NpyReaderFuzzTarget.class.getName(),
        "--target_method=readsOrRefuses",
        "--instrumentation_includes=io.npystats.npy.**",
        "--custom_hook_includes=io.npystats.npy.**",
        "-max_total_time=" + seconds,
        // Longer inputs only repeat data chunks; longer seeds are cut to this.
        "-max_len=16384",
        "-artifact_prefix=" + findings + "/",
        corpus.toString(),
        Fixtures.dir().toString());
    child.assertExit(process, 0, seconds + 180L);
    assertThat(child.tail(5)).as("libFuzzer's closing line").containsPattern("Done [0-9]+ runs");
    try (Stream<Path> found = Files.list(findings)) {
      assertThat(found).as("inputs Jazzer saved as findings").isEmpty();
    }
  }

  /** A .npy file of the given version with {@code dict} as its header, unpadded and no data. */
  static byte[] npy(int version, String dict) {
    byte[] text = dict.getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int lengthBytes = version == 1 ? 2 : 4;
    byte[] out = new byte[8 + lengthBytes + text.length];
    System.arraycopy(NpyHeader.MAGIC, 0, out, 0, 6);
    out[6] = (byte) version;
    for (int i = 0; i < lengthBytes; i++) {
      out[8 + i] = (byte) (text.length >>> (8 * i));
    }
    System.arraycopy(text, 0, out, 8 + lengthBytes, text.length);
    return out;
  }
}
