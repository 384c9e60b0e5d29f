package io.npystats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Numbers to six significant digits in one notation; local paths without their scheme. */
class ShownTest {
  @Test
  void numbersKeepSixSignificantDigitsInOneNotation() {
    assertThat(Shown.number(4.5)).isEqualTo("4.5");
    assertThat(Shown.number(-0.010529118825736962)).isEqualTo("-0.0105291");
    assertThat(Shown.number(1.0029803816626401)).isEqualTo("1.00298");
    assertThat(Shown.number(5.4591735342835274E-5)).isEqualTo("5.45917e-05");
    assertThat(Shown.number(123456789.0)).isEqualTo("123457000");
    assertThat(Shown.number(1.5e12)).isEqualTo("1.5e+12");
    assertThat(Shown.number(0.0)).isEqualTo("0");
    assertThat(Shown.number(-1e-300)).isEqualTo("-1e-300");
    assertThat(Shown.number(Double.NaN)).isEqualTo("NaN");
    assertThat(Shown.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
  }

  @Test
  void secondsToTheMillisecondUnderOneAndToTheHundredthAbove() {
    assertThat(Shown.seconds(0.1423)).isEqualTo("0.142");
    assertThat(Shown.seconds(0.0004)).isEqualTo("0.000");
    assertThat(Shown.seconds(0.9994)).isEqualTo("0.999");
    assertThat(Shown.seconds(0.9996)).isEqualTo("1.00");
    assertThat(Shown.seconds(1.583)).isEqualTo("1.58");
    assertThat(Shown.seconds(12.0)).isEqualTo("12.00");
  }

  @Test
  void localPathsLoseTheirSchemeAndOthersKeepIt() {
    assertThat(Shown.path("file:/data/warehouse/runs")).isEqualTo("/data/warehouse/runs");
    assertThat(Shown.path("file:///data/files")).isEqualTo("/data/files");
    assertThat(Shown.path("hdfs://nn:8020/warehouse")).isEqualTo("hdfs://nn:8020/warehouse");
    assertThat(Shown.path("/already/plain")).isEqualTo("/already/plain");
  }
}
