package io.npystats.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.npystats.gen.NormalSamples;
import io.npystats.task.Stores;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What made a generated folder, kept beside its files as {@value #NAME}: everything that decides
 * their bytes, so that a run with other parameters is refused instead of keeping files that are
 * not the ones it asked for. The name starts with {@code _}, so a listing of the folder for
 * {@code stats} does not take it as input, and does not end in {@code .npy}, so no glob of the
 * files matches it either. Driver only.
 *
 * <p>A small JSON object: {@code manifest} (the version of this layout), {@code files},
 * {@code samples}, {@code seed}, {@code generator} ({@link #GENERATOR}), {@code format}
 * ({@link #FORMAT}) and {@code complete}, false from the start of a run that wrote the folder
 * until it ended.
 *
 * @param complete whether the run that wrote the manifest ended; informative only, since a run
 *     checks every file it keeps in any case
 */
record GenerateManifest(long files, long samples, long seed, String generator, String format,
    boolean complete) {
  static final String NAME = "_npystats_generate.json";
  static final int VERSION = 1;
  private static final String TEMP_PREFIX = "." + NAME + ".";
  private static final String TEMP_SUFFIX = ".tmp";
  /**
   * How a file's values are drawn from (seed, index). Any change to the generator, its seeding
   * ({@code NormalSamples.mix}) or the sampler must change this text, so that folders written
   * before are refused rather than kept.
   */
  static final String GENERATOR = NormalSamples.ALGORITHM
      + " seeded by SplitMix64(seed, index), java.util.random nextGaussian";
  /** How the values are laid out in a file. */
  static final String FORMAT = "npy 1.0, <f8, shape (samples,), header padded to 64 bytes";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The manifest a run with these parameters writes. */
  static GenerateManifest of(long files, long samples, long seed, boolean complete) {
    return new GenerateManifest(files, samples, seed, GENERATOR, FORMAT, complete);
  }

  GenerateManifest completed() {
    return new GenerateManifest(files, samples, seed, generator, format, true);
  }

  /** A parameter this folder was made with that a run now asks to be different. */
  record Difference(String parameter, String recorded, String requested, boolean isOption) {}

  /** What differs between this folder's manifest and the one a run would write; empty if none. */
  List<Difference> differences(GenerateManifest requested) {
    List<Difference> out = new ArrayList<>();
    if (seed != requested.seed) {
      out.add(new Difference("seed", Long.toString(seed), Long.toString(requested.seed), true));
    }
    if (samples != requested.samples) {
      out.add(new Difference("samples", Long.toString(samples), Long.toString(requested.samples), true));
    }
    if (files != requested.files) {
      out.add(new Difference("files", Long.toString(files), Long.toString(requested.files), true));
    }
    if (!generator.equals(requested.generator)) {
      out.add(new Difference("generator", generator, requested.generator, false));
    }
    if (!format.equals(requested.format)) {
      out.add(new Difference("format", format, requested.format, false));
    }
    return out;
  }

  /** The manifest of folder {@code dir}, or null where it has none. */
  static GenerateManifest read(FileSystem fs, Path dir) throws IOException {
    Path path = new Path(dir, NAME);
    JsonNode node;
    try (InputStream in = fs.open(path)) {
      node = JSON.readTree(in);
    } catch (FileNotFoundException e) {
      return null;
    } catch (JsonProcessingException e) {
      throw new IOException(path + " is not a manifest this version can read: "
          + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject() || node.path("manifest").asInt(-1) != VERSION) {
      throw new IOException(path + " is not a manifest this version can read: expected"
          + " \"manifest\": " + VERSION + ", found " + (node == null || !node.isObject()
              ? "no JSON object" : node.get("manifest")));
    }
    for (String field : new String[] {"files", "samples", "seed"}) {
      if (!node.path(field).canConvertToLong()) {
        throw new IOException(path + " is not a manifest this version can read: \"" + field
            + "\" is " + node.get(field) + ", not a whole number");
      }
    }
    return new GenerateManifest(node.get("files").asLong(), node.get("samples").asLong(),
        node.get("seed").asLong(), node.path("generator").asText(""),
        node.path("format").asText(""), node.path("complete").asBoolean(false));
  }

  /**
   * Deletes the temporaries of a manifest write that a killed run left in {@code dir}.
   *
   * @return how many were removed
   */
  static int removeTemporaries(FileSystem fs, Path dir) throws IOException {
    int removed = 0;
    FileStatus[] entries;
    try {
      entries = fs.listStatus(dir);
    } catch (FileNotFoundException emptyOnAnObjectStore) {
      return 0; // an object store has no empty folders: a new one is not there to list
    }
    for (FileStatus status : entries) {
      String name = status.getPath().getName();
      if (status.isFile() && name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)
          && fs.delete(status.getPath(), false)) {
        removed++;
      }
    }
    return removed;
  }

  /** Writes this manifest into {@code dir} under a temporary name, then renames it into place. */
  void write(FileSystem fs, Path dir) throws IOException {
    ObjectNode node = JSON.createObjectNode()
        .put("manifest", VERSION)
        .put("files", files)
        .put("samples", samples)
        .put("seed", seed)
        .put("generator", generator)
        .put("format", format)
        .put("complete", complete);
    byte[] bytes = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n")
        .getBytes(StandardCharsets.UTF_8);
    Path target = new Path(dir, NAME);
    // Where a fault test stops a run: the manifest's new state written but not yet in place.
    String landing = complete ? "generate-complete" : "generate-manifest";
    if (!Stores.renamesAreAtomic(fs)) {
      // An object store shows an object only once its upload completes, and a rename there is a
      // copy that will not replace the old manifest: the new one is put in place whole.
      PausePoint.reach(landing);
      try (OutputStream out = fs.create(target, true)) {
        out.write(bytes);
      }
      return;
    }
    Path temp = new Path(dir, TEMP_PREFIX + UUID.randomUUID() + TEMP_SUFFIX);
    boolean renamed = false;
    try {
      try (OutputStream out = fs.create(temp, true)) {
        out.write(bytes);
      }
      PausePoint.reach(landing);
      // HDFS and object stores will not rename onto an existing file.
      if (!fs.rename(temp, target)) {
        fs.delete(target, false);
        if (!fs.rename(temp, target)) {
          throw new IOException("could not rename " + temp + " to " + target);
        }
      }
      renamed = true;
    } finally {
      if (!renamed) {
        fs.delete(temp, false);
      }
    }
  }
}
