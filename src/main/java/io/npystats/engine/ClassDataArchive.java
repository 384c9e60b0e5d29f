package io.npystats.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A class-data sharing archive for child JVMs (the JDK's dynamic AppCDS): the classes a child
 * loads, Hadoop's client above all, parsed and verified once and then mapped by every later
 * child, which takes a large share off a child's start-up. The first child that finds no archive
 * writes one as it exits; it is published under a name made from the JDK and the class path
 * (each jar's path, size and time), so a rebuilt jar or another JDK gets an archive of its own.
 * The JVM checks an archive against the class path itself and ignores one that does not match.
 * Beside each published archive a note of its size says that it was written whole by a child that
 * finished its work; an archive without it, or of another size, is written again.
 *
 * <p>Archives hold jars only: with a folder on the class path (classes run from a build tree)
 * there is none, and children start without one.
 */
final class ClassDataArchive {
  private final Path file;

  private ClassDataArchive(Path file) {
    this.file = file;
  }

  /** The archive of this JDK and class path, in the temporary folder; null where there can be none. */
  static ClassDataArchive of(List<String> classpath) {
    return of(classpath, Paths.get(System.getProperty("java.io.tmpdir")));
  }

  /** The archive of this JDK and class path, in {@code dir}; null where there can be none. */
  static ClassDataArchive of(List<String> classpath, Path dir) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      update(digest, System.getProperty("java.home"));
      update(digest, System.getProperty("java.vm.version"));
      for (String entry : classpath) {
        Path jar = Paths.get(entry);
        if (!Files.isRegularFile(jar)) {
          return null;
        }
        update(digest, jar.toAbsolutePath().toString());
        update(digest, Files.size(jar) + "/" + Files.getLastModifiedTime(jar).toMillis());
      }
      String name = "npystats-child-" + HexFormat.of().formatHex(digest.digest(), 0, 8) + ".jsa";
      return new ClassDataArchive(dir.resolve(name));
    } catch (IOException | NoSuchAlgorithmException e) {
      return null;
    }
  }

  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
  }

  Path file() {
    return file;
  }

  /** Whether the archive is there, whole, as a finished child published it. */
  boolean exists() {
    try {
      return Files.isRegularFile(file)
          && Files.readString(note(file)).strip().equals(Long.toString(Files.size(file)));
    } catch (IOException e) {
      return false;
    }
  }

  private static Path note(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".recorded");
  }

  /** The option that makes a child use the archive. */
  String useOption() {
    return "-XX:SharedArchiveFile=" + file;
  }

  /** A fresh name for one child to write the archive to as it exits. */
  Path newDraft() {
    return file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
  }

  static String writeOption(Path draft) {
    return "-XX:ArchiveClassesAtExit=" + draft;
  }

  /** Moves a complete draft into place; a draft the child did not write is ignored. */
  void publish(Path draft) {
    try {
      if (Files.isRegularFile(draft)) {
        String size = Long.toString(Files.size(draft));
        try {
          Files.move(draft, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(draft, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(note(file), size);
      }
    } catch (IOException e) {
      discard(draft); // children simply start without it
    }
  }

  static void discard(Path draft) {
    try {
      Files.deleteIfExists(draft);
    } catch (IOException e) {
      // a stray temporary file in the temporary folder; nothing depends on it
    }
  }
}
