package io.npystats.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ChildMainTest {
  @Test
  void aFailureIsDescribedWithWhatCausedIt() {
    Throwable failedClass = new ExceptionInInitializerError(new IllegalStateException(
        "-Dnpystats.kernel.lanes=simd: the JVM has no optimising compiler"));
    assertThat(ChildMain.described(failedClass)).isEqualTo("java.lang.ExceptionInInitializerError,"
        + " caused by java.lang.IllegalStateException: -Dnpystats.kernel.lanes=simd: the JVM has"
        + " no optimising compiler");

    Throwable twoDeep = new UncheckedIOException("reading", new IOException("disk gone"));
    assertThat(ChildMain.described(twoDeep)).isEqualTo("java.io.UncheckedIOException: reading,"
        + " caused by java.io.IOException: disk gone");
    assertThat(ChildMain.described(new IOException("plain")))
        .isEqualTo("java.io.IOException: plain");

    IOException first = new IOException("first");
    IOException second = new IOException("second", first);
    first.initCause(second);
    assertThat(ChildMain.described(first)).startsWith("java.io.IOException: first, caused by"
        + " java.io.IOException: second, caused by java.io.IOException: first,");
  }
}
