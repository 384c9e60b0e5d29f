package io.npystats.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.npystats.task.FileSummary;
import io.npystats.task.GeneratedFile;
import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class ChildProtocolTest {
  @Test
  void textFieldsEscapeTheSeparatorsAndRoundTrip() throws Exception {
    String odd = "a\tb\nc\rd\\e \\N";
    assertThat(ChildProtocol.escape(odd)).isEqualTo("a\\tb\\nc\\rd\\\\e \\\\N");
    assertThat(ChildProtocol.unescape(ChildProtocol.escape(odd))).isEqualTo(odd);
    assertThat(ChildProtocol.escape("plain")).isSameAs("plain");
    assertThatThrownBy(() -> ChildProtocol.unescape("x\\q"))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("unknown escape \\q in 'x\\q'");
    assertThatThrownBy(() -> ChildProtocol.unescape("x\\"))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("text ends with a lone backslash: 'x\\'");
  }

  @Test
  void summariesCrossBitForBit() throws Exception {
    StatsWork work = new StatsWork(List.of("p\tq.npy"));
    double[] values = {Double.NaN, -0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 0.1 + 0.2,
        -0x1.fffffffffffffp-60};
    FileSummary s = new FileSummary("p\tq.npy", "ok", null, "<f8", "(5,)", 5, values[0], values[1],
        values[2], values[3], values[4], values[5], 168, 1e-5);
    FileSummary back = ChildProtocol.parseResult(work, 0, ChildProtocol.result(work, 0, s));
    assertThat(back).isEqualTo(s);
    assertThat(Double.doubleToRawLongBits(back.std())).isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(back.m2()).isEqualTo(0.30000000000000004);
    assertThat(back.meanLow()).isEqualTo(-0x1.fffffffffffffp-60);
  }

  @Test
  void generatedFilesCross() throws Exception {
    GenerateWork work = new GenerateWork("/d", 1, 10, 40, 2);
    GeneratedFile g = new GeneratedFile(41, "/d/file_41.npy", true, false, 208, 0.5);
    assertThat(ChildProtocol.parseResult(work, 1, ChildProtocol.result(work, 1, g))).isEqualTo(g);
    assertThatThrownBy(() -> ChildProtocol.parseResult(work, 0, ChildProtocol.result(work, 0, g)))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("result 0 is for 41, expected 40");
  }

  @Test
  void resultLinesAreCheckedFieldByField() {
    StatsWork work = new StatsWork(List.of("a.npy", "b.npy"));
    FileSummary a = new FileSummary("a.npy", "ok", null, "<f8", "(1,)", 1, 2, 0, 2, 2, 0, 0, 136, 0);
    String line = ChildProtocol.result(work, 0, a);
    assertThatThrownBy(() -> ChildProtocol.parseResult(work, 1, line))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("expected the result of item 1, found item 0");
    assertThatThrownBy(() -> ChildProtocol.parseResult(work, 0, line.replace("\t2.0\t", "\t2,0\t")))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("mean is not a number: '2,0'");
    assertThatThrownBy(() -> ChildProtocol.parseResult(work, 0, "result\t0\ta.npy"))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("a stats result has 16 fields, this line has 3: 'result\t0\ta.npy'");
    assertThatThrownBy(() -> ChildProtocol.parseResult(work, 0, line.replace("a.npy", "b.npy")))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("result 0 is for b.npy, expected a.npy");
  }

  @Test
  void readyAndDoneLinesAreChecked() throws Exception {
    assertThat(ChildProtocol.parseReady(ChildProtocol.ready(7))).isEqualTo(7);
    assertThatThrownBy(() -> ChildProtocol.parseReady("npystats-child\t1\tready\t7"))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("child speaks protocol version 1, not 2");
    assertThatThrownBy(() -> ChildProtocol.parseReady("Picked up JAVA_TOOL_OPTIONS"))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("expected 'npystats-child 2 ready ITEMS', found 'Picked up JAVA_TOOL_OPTIONS'");
    assertThat(ChildProtocol.parseDone(ChildProtocol.done(3, 12345), 3)).isEqualTo(12345);
    assertThatThrownBy(() -> ChildProtocol.parseDone("done\t3\t1", 2))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("done line says 3 results, 2 came");
  }

  @Test
  void theInputCarriesTheConfigurationAndTheWork() throws Exception {
    Configuration conf = new Configuration(false);
    conf.set("fs.s3a.endpoint", "http://minio:9000");
    StringWriter text = new StringWriter();
    ChildProtocol.writeInput(text, ChildProtocol.encodeConf(conf),
        new GenerateWork("/out\tdir", 5, 100, 10, 3));
    ChildProtocol.Input input = ChildProtocol.readInput(new BufferedReader(new StringReader(text.toString())));
    assertThat(input.conf().get("fs.s3a.endpoint")).isEqualTo("http://minio:9000");
    GenerateWork work = (GenerateWork) input.work();
    assertThat(work.dir()).isEqualTo("/out\tdir");
    assertThat(work.first()).isEqualTo(10);
    assertThat(work.size()).isEqualTo(3);
    assertThat(work.samples()).isEqualTo(100);

    String truncated = text.toString().substring(0, text.toString().indexOf("end\t"));
    assertThatThrownBy(() -> ChildProtocol.readInput(new BufferedReader(new StringReader(truncated))))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("input ended before an item or the end line");
    String gap = text.toString().replace("item\t11\n", "item\t12\n");
    assertThatThrownBy(() -> ChildProtocol.readInput(new BufferedReader(new StringReader(gap))))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("file indices must be consecutive: item 1 is 12, expected 11");
  }

  @Test
  void eachKindOfWorkCrossesWithItsParameters() throws Exception {
    String conf = ChildProtocol.encodeConf(new Configuration(false));
    StringWriter stats = new StringWriter();
    ChildProtocol.writeInput(stats, conf, new StatsWork(List.of("a.npy", "b\tc.npy")));
    assertThat(stats.toString()).contains("\nwork\tstats\nitem\ta.npy\nitem\tb\\tc.npy\nend\t2\n");
    StatsWork back = (StatsWork) ChildProtocol.readInput(
        new BufferedReader(new StringReader(stats.toString()))).work();
    assertThat(back.paths()).containsExactly("a.npy", "b\tc.npy");

    String extra = stats.toString().replace("work\tstats\n", "work\tstats\t/d\n");
    assertThatThrownBy(() -> ChildProtocol.readInput(new BufferedReader(new StringReader(extra))))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("a 'work stats' line has 0 parameters, found 1");
    String unknown = stats.toString().replace("work\tstats\n", "work\tcopy\n");
    assertThatThrownBy(() -> ChildProtocol.readInput(new BufferedReader(new StringReader(unknown))))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("unknown work 'copy', expected stats or generate");

    StringWriter generate = new StringWriter();
    ChildProtocol.writeInput(generate, conf, new GenerateWork("/out", 5, 100, 10, 2));
    assertThat(generate.toString()).contains("\nwork\tgenerate\t/out\t5\t100\nitem\t10\nitem\t11\n");
    String noSeed = generate.toString().replace("\t5\t100\n", "\t100\n");
    assertThatThrownBy(() -> ChildProtocol.readInput(new BufferedReader(new StringReader(noSeed))))
        .isInstanceOf(ChildProtocol.ProtocolException.class)
        .hasMessage("a 'work generate' line has 3 parameters, found 2");
  }
}
