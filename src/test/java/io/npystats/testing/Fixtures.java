package io.npystats.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npystats.npy.NpyReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The .npy files numpy 2.4.6 wrote, with numpy's own answer for each from manifest.jsonl, the
 * exact answer beside it (make_exact_fixtures.py), and for a file to refuse the reason.
 */
public final class Fixtures {
  /**
   * One manifest line. {@code expect} is "stats" or "refuse"; {@code refusal} is the reader's
   * whole message for a file it refuses; {@code exactMean} and {@code exactStd} are NaN where the
   * manifest has none (no values, or an infinity or a NaN among them).
   */
  public record Expected(String file, boolean refuse, String why, String refusal, String dtype,
      long[] shape, long n, double numpyMean, double numpyStd, double exactMean, double exactStd,
      double min, double max) {

    /**
     * The mean the reader must give: numpy's where numpy's is an infinity or a NaN (its IEEE
     * behaviour is the reference), otherwise the exactly rounded one.
     */
    public double mean() {
      return !Double.isFinite(numpyMean) || Double.isNaN(exactMean) ? numpyMean : exactMean;
    }

    /** The standard deviation the reader must give, as {@link #mean()} chooses. */
    public double std() {
      return !Double.isFinite(numpyStd) || Double.isNaN(exactStd) ? numpyStd : exactStd;
    }
  }

  private Fixtures() {}

  public static Path dir() {
    try {
      return Paths.get(Fixtures.class.getResource("/npy/manifest.jsonl").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<Expected> manifest() {
    ObjectMapper mapper = new ObjectMapper();
    List<Expected> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(dir().resolve("manifest.jsonl"))) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = mapper.readTree(line);
        boolean refuse = node.get("expect").asText().equals("refuse");
        long[] shape = null;
        if (node.has("shape")) {
          shape = new long[node.get("shape").size()];
          for (int i = 0; i < shape.length; i++) {
            shape[i] = node.get("shape").get(i).asLong();
          }
        }
        out.add(new Expected(node.get("file").asText(), refuse, text(node, "why"),
            text(node, "refusal"), text(node, "dtype"), shape,
            node.has("n") ? node.get("n").asLong() : -1, number(node, "mean"),
            number(node, "std"), number(node, "exact_mean"), number(node, "exact_std"),
            number(node, "min"), number(node, "max")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String text(JsonNode node, String key) {
    return node.has(key) ? node.get(key).asText() : null;
  }

  private static double number(JsonNode node, String key) {
    if (!node.has(key)) {
      return Double.NaN;
    }
    JsonNode v = node.get(key);
    return v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
  }

  /** numpy agreement: 1e-12 relative, or absolute for values near zero; NaN and infinities exactly. */
  public static void assertClose(String what, double actual, double expected) {
    assertClose(what, actual, expected, 1e-12);
  }

  /** As above with a chosen relative tolerance; 0 asks for the exact value (min and max). */
  public static void assertClose(String what, double actual, double expected, double relative) {
    if (Double.isNaN(expected)) {
      assertThat(actual).as(what).isNaN();
      return;
    }
    if (Double.isInfinite(expected) || relative == 0) {
      assertThat(actual).as(what).isEqualTo(expected);
      return;
    }
    double tolerance = relative * Math.max(1.0, Math.abs(expected));
    assertThat(actual).as(what).isCloseTo(expected, Offset.offset(tolerance));
  }

  /** Every value of fixture {@code file} as a double, in the file's order, read by our reader. */
  public static double[] values(String file) throws IOException {
    Path path = dir().resolve(file);
    double[][] all = {new double[16]};
    int[] size = {0};
    try (InputStream in = Files.newInputStream(path)) {
      new NpyReader(256).read(in, Files.size(path), (chunk, count) -> {
        if (size[0] + count > all[0].length) {
          all[0] = Arrays.copyOf(all[0], Math.max(2 * all[0].length, size[0] + count));
        }
        System.arraycopy(chunk, 0, all[0], size[0], count);
        size[0] += count;
      });
    }
    return Arrays.copyOf(all[0], size[0]);
  }
}
