package io.npystats.task;

import static io.npystats.task.Column.Trait.MEASURED;

import java.io.Serializable;

/**
 * What generating one file did.
 *
 * @param written false where a file with the same bytes was already there and was kept
 * @param otherBytes whether it was written over a file of the right length that held other bytes
 */
public record GeneratedFile(long index, String path, boolean written, boolean otherBytes, long bytes,
    double seconds)
    implements Serializable {

  /** The fields as columns, as the child processes send them. */
  public static final Columns<GeneratedFile> COLUMNS = Columns.of(GeneratedFile.class,
      Column.int64("index", GeneratedFile::index),
      Column.text("path", GeneratedFile::path),
      Column.bool("written", GeneratedFile::written),
      Column.bool("other_bytes", GeneratedFile::otherBytes),
      Column.int64("bytes", GeneratedFile::bytes, MEASURED),
      Column.float64("seconds", GeneratedFile::seconds, MEASURED));
}
