package io.npystats.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.task.FileSummary;
import io.npystats.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Children write a class-data archive once and start from it after; results do not change. */
class ClassDataArchiveTest {
  @TempDir Path tmp;

  /** This build's classes as a jar: archives take jars only. */
  static Path jarOf(Path classes, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        try (var in = Files.newInputStream(file)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return jar;
  }

  @Test
  void noArchiveForAFolderOnTheClassPathAndANewOneForAChangedJar() throws Exception {
    Path jar = Files.write(tmp.resolve("a.jar"), new byte[] {1, 2, 3});
    assertThat(ClassDataArchive.of(List.of(jar.toString(), tmp.toString()), tmp)).isNull();
    ClassDataArchive first = ClassDataArchive.of(List.of(jar.toString()), tmp);
    assertThat(first.file().getParent()).isEqualTo(tmp);
    assertThat(first.file().getFileName().toString()).matches("npystats-child-[0-9a-f]{16}\\.jsa");
    assertThat(ClassDataArchive.of(List.of(jar.toString()), tmp).file()).isEqualTo(first.file());
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    assertThat(ClassDataArchive.of(List.of(jar.toString()), tmp).file()).isNotEqualTo(first.file());
    assertThat(first.exists()).isFalse();
  }

  @Test
  void theFirstRunWritesTheArchiveAndTheNextStartsFromIt() throws Exception {
    ClassDataArchive archive = runTwice(null);
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("app.jar",
          archive.file().getFileName().toString(), archive.file().getFileName() + ".recorded");
    }
  }

  /** An archive that no finished child published whole (cut short, or left by an older build). */
  @Test
  void anArchiveWithoutItsNoteIsWrittenAgainRatherThanUsed() throws Exception {
    ClassDataArchive archive = runTwice(new byte[] {'n', 'o', 't', ' ', 'a', 'n', ' ', 'a', 'r', 'c'});
    assertThat(Files.size(archive.file())).isGreaterThan(1_000_000);
    assertThat(Files.readString(archive.file().resolveSibling(archive.file().getFileName() + ".recorded")))
        .isEqualTo(Long.toString(Files.size(archive.file())));
  }

  /**
   * Runs the process engine twice on this build as a jar, over an archive holding {@code found}
   * (or none): the first run must write the archive, the second start from it.
   */
  private ClassDataArchive runTwice(byte[] found) throws Exception {
    Configuration conf = new Configuration();
    List<String> command = new ArrayList<>(ProcessEngine.defaultCommand());
    int cp = command.indexOf("-cp") + 1;
    List<String> entries = new ArrayList<>(List.of(command.get(cp).split(":")));
    Path classes = Paths.get(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    entries.set(entries.indexOf(classes.toString()), jarOf(classes, tmp.resolve("app.jar")).toString());
    command.set(cp, String.join(":", entries));
    ClassDataArchive archive = ClassDataArchive.of(entries, tmp);
    if (found != null) {
      Files.write(archive.file(), found);
    }
    ProcessEngine engine = new ProcessEngine(conf, command, archive, ProcessEngine.READY_TIMEOUT,
        ProcessEngine.SILENCE_TIMEOUT);
    List<String> paths = List.of(Fixtures.dir().resolve("small_f8.npy").toString(),
        Fixtures.dir().resolve("i4.npy").toString());
    try (EngineSession session = engine.open(2)) {
      EngineRun<FileSummary> writing = session.run(new StatsWork(paths), Progress.NONE);
      assertThat(writing.detail()).endsWith(" s, the first writing the class-data archive");
      assertThat(archive.exists()).isTrue();
      EngineRun<FileSummary> sharing = session.run(new StatsWork(paths), Progress.NONE);
      assertThat(sharing.detail()).endsWith(" s, with the class-data archive");
      assertThat(Agreement.summaries(writing.results(), sharing.results(), 10)).isEmpty();
    }
    return archive;
  }
}
