package io.npystats.cli;

import static io.npystats.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.npystats.testing.ChildJvm;
import io.npystats.testing.SharedSpark;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse that cannot be written, a full disk and SIGTERM each end a command with one line
 * naming the cause and the right exit code; no stack trace reaches the console. The read-only
 * and full file systems are real: small tmpfs mounts, which need root (where a read-only folder
 * would not stop writes anyway); elsewhere a read-only folder stands in and the full disk is
 * skipped.
 */
@Tag("slow")
class WriteFailuresTest {
  @TempDir static Path tmp;
  static String files;
  static final List<Path> mounts = new ArrayList<>();

  @BeforeAll
  static void input() {
    SharedSpark.spark();
    files = tmp.resolve("files").toString();
    assertThat(run("generate", "--out", files, "--files", "20", "--samples", "100").code()).isZero();
  }

  @AfterAll
  static void unmount() throws Exception {
    for (Path mount : mounts) {
      new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWarehouseUnderARegularFileIsOneLine() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
    String warehouse = file.resolve("warehouse").toString();
    CliRun stats = run("stats", "--in", files, "--warehouse", warehouse);
    assertThat(stats.code()).isEqualTo(Main.FAILED);
    assertThat(stats.err()).isEqualTo("error: cannot write file:" + warehouse + ": " + warehouse
        + " is not writable (part of its path is a file, not a folder)" + System.lineSeparator());
  }

  @Test
  void aReadOnlyWarehouseIsOneLine() throws Exception {
    Path readOnly = tmp.resolve("read-only");
    Files.createDirectories(readOnly);
    String reason;
    if (isRoot()) {
      mount(readOnly, "ro,size=1m");
      reason = "read-only file system";
    } else {
      readOnly.toFile().setWritable(false, false);
      reason = "permission denied";
    }
    String warehouse = readOnly.resolve("warehouse").toString();
    CliRun stats = run("stats", "--in", files, "--warehouse", warehouse);
    assertThat(stats.code()).isEqualTo(Main.FAILED);
    assertThat(stats.err()).isEqualTo("error: cannot write file:" + warehouse + ": " + warehouse
        + " is not writable (" + reason + ")" + System.lineSeparator());
  }

  /** In a JVM of its own, so that everything Spark logs to the console is seen. */
  @Test
  void aFullDiskIsOneLineAndNoStackTrace() throws Exception {
    assumeThat(isRoot()).as("a full file system needs a tmpfs mount, which needs root").isTrue();
    Path full = tmp.resolve("full");
    Files.createDirectories(full);
    mount(full, "size=1m");
    fill(full.resolve("filler"));
    String warehouse = full.resolve("warehouse").toString();
    ChildJvm child = child("full-disk");
    Process process = child.main(Main.class.getName(), "stats", "--in", files, "--warehouse", warehouse);
    child.assertExit(process, Main.FAILED, 180);
    assertOneLineEnds(child, "error: cannot write file:" + warehouse + "/file_stats: no space left on device");
  }

  @Test
  void sigtermIsOneLineAndExitCode143() throws Exception {
    String ignored = Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("SigIgn:")).findFirst().orElse("SigIgn: 0").split("\\s+")[1];
    assumeThat(Long.parseLong(ignored, 16) & (1L << 14)).as("SIGTERM is ignored by this JVM,"
        + " and so by its children: nothing to test").isZero();
    ChildJvm child = child("sigterm").flag("-Dnpystats.pause.at=tasks");
    Process process = child.main(Main.class.getName(), "stats", "--in", files, "--warehouse",
        tmp.resolve("sigterm-warehouse").toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (process.isAlive() && System.nanoTime() < deadline
        && !(Files.exists(child.log()) && Files.readString(child.log()).contains("paused at tasks"))) {
      Thread.sleep(20);
    }
    process.destroy(); // SIGTERM
    child.assertExit(process, 143, 120);
    assertOneLineEnds(child, "error: interrupted by signal SIGTERM");
  }

  private static ChildJvm child(String name) {
    return ChildJvm.logTo(tmp.resolve(name + ".log"), "1g")
        .flag("-XX:TieredStopAtLevel=1")
        .flag("-Dspark.master=local[2,4]")
        .flag("-Dspark.ui.enabled=false")
        .flag("-Dspark.ui.showConsoleProgress=false")
        .flag("-Dspark.driver.host=127.0.0.1")
        .flag("-Dspark.driver.bindAddress=127.0.0.1");
  }

  /** The child's output ends with {@code last}, and nothing in it is a stack trace or an error log. */
  private static void assertOneLineEnds(ChildJvm child, String last) throws IOException {
    List<String> lines = new String(Files.readAllBytes(child.log()), StandardCharsets.UTF_8).lines()
        .filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(child.tail(60)).isNotEmpty();
    assertThat(lines.get(lines.size() - 1)).as(child.tail(60)).isEqualTo(last);
    assertThat(lines).as(child.tail(60)).noneMatch(l -> l.startsWith("\tat ")
        || l.contains("Exception") || l.contains(" ERROR ") || l.startsWith("Caused by"));
  }

  private static boolean isRoot() throws Exception {
    Process id = new ProcessBuilder("id", "-u").start();
    return new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().equals("0");
  }

  private static void mount(Path dir, String options) throws Exception {
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())
        .redirectErrorStream(true).start();
    String said = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assumeThat(mount.waitFor()).as("mount -t tmpfs (%s): %s", options, said).isZero();
    mounts.add(dir);
  }

  /** Writes {@code file} until the file system is full. */
  private static void fill(Path file) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException e) {
      assertThat(e).hasMessageContaining("No space left on device");
    }
  }
}
