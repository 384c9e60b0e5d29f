package io.npystats.spark;

import io.npystats.task.Column;
import io.npystats.task.Columns;
import io.npystats.task.Stores;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One Parquet file of a table's records, laid out as Spark's own writer lays out that table's
 * files: the same column names, physical types (text as UTF-8 strings, times as INT96), required
 * and optional columns, compression, and Spark's schema in the footer, so that Spark reads these
 * files and its own side by side as one table. Written with Parquet's own library, without Spark
 * SQL: a {@code stats} run that writes its tables through Spark SQL spends about a second of a
 * fresh JVM starting the SQL engine, planning and compiling the writes, and running a second job,
 * for tables of a few thousand rows (docs/performance.md#writing-the-tables).
 *
 * <p>Rows are taken in batches and written a column at a time, straight to Parquet's column
 * writers, as Parquet's own writer lays out a file's row groups and pages: a {@code stats} task
 * writes a row for every file it reads, and Parquet's record API, which takes a row a field at a
 * time and finds each field's column and levels on the way, cost a small file a sixth of its time
 * (docs/performance.md, "Where the warm job's time goes"). A batch ends on a row, and so does
 * every page: Parquet starts a page only where the rows written so far end.
 *
 * @param <R> the record
 */
final class ParquetRecords<R> implements Closeable {
  private static final int BUFFER_BYTES = 64 * 1024;
  /** Rows a batch: its records are held until their columns are written. */
  static final int BATCH_ROWS = 1024;
  /** The key under which Spark keeps a file's schema in its footer, and reads it back. */
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";
  static final String SPARK_VERSION_KEY = "org.apache.spark.version";
  /** Spark's setting for the tables' compression, which these files follow too. */
  static final String CODEC_SETTING = "spark.sql.parquet.compression.codec";
  /** Spark's compression where the setting is not given. */
  static final String SPARK_DEFAULT_CODEC = "snappy";
  private static final long MICROS_PER_DAY = 86_400_000_000L;
  /** The Julian day of 1970-01-01, where INT96 times count days from. */
  private static final int JULIAN_DAY_OF_EPOCH = 2_440_588;

  private final Columns<R> columns;
  private final List<Column<R>> stored;
  private final MessageType schema;
  private final ColumnDescriptor[] descriptors;
  private final Map<String, String> footer;
  private final ParquetProperties properties;
  private final CodecFactory codecs;
  private final CodecFactory.BytesCompressor compressor;
  private final ParquetFileWriter out;
  /** For each stored column: its last text, and the bytes written for it. */
  private final String[] lastText;
  private final Binary[] lastBytes;
  private final Object[] batch = new Object[BATCH_ROWS];
  private int batched;
  /** The row group being written: its pages, its columns, and its rows so far. */
  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore group;
  private ColumnWriter[] writers;
  private long groupRows;

  /**
   * Creates {@code file}, which must not exist.
   *
   * @param sparkSchema {@link #storedSchema} of the table's schema: Spark's schema of the file's
   *     columns, as its footer gives it to Spark, made on the driver so that a task touches none
   *     of Spark's types (their first use in a JVM costs a task tens of milliseconds)
   * @param codec Spark's name of the compression ({@code zstd}, {@code snappy}, {@code none}...)
   * @param dictionary whether to build Parquet's dictionaries, as {@code parquet.enable.dictionary}
   */
  ParquetRecords(Configuration conf, Path file, Columns<R> columns, String sparkSchema,
      String sparkVersion, String codec, boolean dictionary) throws IOException {
    this.columns = columns;
    this.stored = columns.stored();
    this.schema = parquetSchema(columns);
    this.descriptors = schema.getColumns().toArray(new ColumnDescriptor[0]);
    this.footer = new HashMap<>();
    footer.put(SPARK_VERSION_KEY, sparkVersion);
    footer.put(SPARK_SCHEMA_KEY, sparkSchema);
    this.lastText = new String[stored.size()];
    this.lastBytes = new Binary[stored.size()];
    this.properties = ParquetProperties.builder()
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withDictionaryEncoding(dictionary)
        .build();
    // The compression first: a name Parquet does not have is refused before the file is made.
    CompressionCodecName compression = codec(codec);
    this.codecs = new CodecFactory(conf, properties.getPageSizeThreshold());
    try {
      this.compressor = codecs.getCompressor(compression);
      this.out = new ParquetFileWriter(inExistingFolder(file, conf), schema,
          ParquetFileWriter.Mode.CREATE, ParquetWriter.DEFAULT_BLOCK_SIZE,
          ParquetWriter.MAX_PADDING_SIZE_DEFAULT, properties.getColumnIndexTruncateLength(),
          properties.getStatisticsTruncateLength(), properties.getPageWriteChecksumEnabled());
      out.start();
    } catch (IOException | RuntimeException | FSError e) {
      codecs.release();
      throw e instanceof IOException io ? io : unchecked(e);
    }
    startRowGroup();
  }

  /**
   * {@code file}, created only where its folder exists. A task of a failed job can still be
   * running when the driver removes the job's staging folder; creating the folder again, as
   * Hadoop's {@code create} would, would leave it behind. A local file is created by Parquet's own
   * {@link LocalOutputFile}, with {@code java.nio} ({@link Stores#localPathOf}): through Hadoop,
   * every task's file started a {@code chmod} process, and the task waited for it. The file gets
   * the process's umask, as {@code chmod} with Hadoop's default umask gives it, and no {@code .crc}
   * beside it, as the warehouse's file system writes none.
   */
  private static OutputFile inExistingFolder(Path file, Configuration conf) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    long blockSize = fs.getDefaultBlockSize(file);
    java.nio.file.Path local = Stores.localPathOf(fs, file);
    return new OutputFile() {
      @Override
      public PositionOutputStream create(long blockSizeHint) throws IOException {
        return local != null ? new LocalOutputFile(local).create(blockSizeHint)
            : HadoopStreams.wrap(fs.createNonRecursive(file, false, BUFFER_BYTES,
                fs.getDefaultReplication(file), Math.max(blockSize, blockSizeHint), null));
      }

      @Override
      public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        return local != null ? new LocalOutputFile(local).createOrOverwrite(blockSizeHint)
            : HadoopStreams.wrap(fs.createNonRecursive(file, true, BUFFER_BYTES,
                fs.getDefaultReplication(file), Math.max(blockSize, blockSizeHint), null));
      }

      @Override
      public boolean supportsBlockSize() {
        return blockSize > 0;
      }

      @Override
      public long defaultBlockSize() {
        return blockSize;
      }

      @Override
      public String getPath() {
        return file.toString();
      }
    };
  }

  /** The compression Spark's setting names; Spark's {@code none} is Parquet's uncompressed. */
  static CompressionCodecName codec(String sparkName) {
    String name = (sparkName == null ? SPARK_DEFAULT_CODEC : sparkName).trim()
        .toUpperCase(Locale.ROOT);
    if (name.equals("NONE")) {
      return CompressionCodecName.UNCOMPRESSED;
    }
    try {
      return CompressionCodecName.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(CODEC_SETTING + " names no compression Parquet has: "
          + sparkName, e);
    }
  }

  void write(R record) throws IOException {
    batch[batched++] = record;
    if (batched == BATCH_ROWS) {
      writeBatch();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      writeBatch();
      endRowGroup();
      out.end(footer);
    } catch (RuntimeException | FSError e) {
      throw unchecked(e);
    } finally {
      codecs.release();
    }
  }

  private void startRowGroup() {
    pages = new ColumnChunkPageWriteStore(compressor, schema, properties.getAllocator(),
        properties.getColumnIndexTruncateLength(), properties.getPageWriteChecksumEnabled());
    group = properties.newColumnWriteStore(schema, pages);
    writers = new ColumnWriter[descriptors.length];
    for (int i = 0; i < descriptors.length; i++) {
      writers[i] = group.getColumnWriter(descriptors[i]);
    }
    groupRows = 0;
  }

  /** Writes the row group's pages to the file, where it has any rows. */
  private void endRowGroup() throws IOException {
    if (groupRows > 0) {
      out.startBlock(groupRows);
      group.flush();
      pages.flushToFileWriter(out);
      out.endBlock();
    }
    group.close();
  }

  /**
   * The batch's rows, a column at a time, then the end of each row for the column store, which
   * ends a page where one is full; a row group as large as Parquet's own goes to the file.
   */
  private void writeBatch() throws IOException {
    try {
      for (int i = 0; i < writers.length; i++) {
        writeColumn(i);
      }
      for (int r = 0; r < batched; r++) {
        group.endRecord();
      }
    } catch (RuntimeException | FSError e) {
      throw unchecked(e);
    }
    groupRows += batched;
    Arrays.fill(batch, 0, batched, null);
    batched = 0;
    if (group.getBufferedSize() >= ParquetWriter.DEFAULT_BLOCK_SIZE) {
      endRowGroup();
      startRowGroup();
    }
  }

  /** Column {@code i} of every row in the batch; a missing value as no value. */
  @SuppressWarnings("unchecked")
  private void writeColumn(int i) {
    Column<R> column = stored.get(i);
    ColumnWriter writer = writers[i];
    // A present value is defined at the column's level: 1 for an optional column, 0 otherwise.
    int defined = descriptors[i].getMaxDefinitionLevel();
    for (int r = 0; r < batched; r++) {
      R record = (R) batch[r];
      if (!columns.tableShows(column, record)) {
        writer.writeNull(0, 0);
        continue;
      }
      switch (column.type()) {
        case TEXT -> {
          String text = (String) column.get(record);
          if (text == null) {
            writer.writeNull(0, 0);
          } else {
            writer.write(bytesOf(i, text), 0, defined);
          }
        }
        case INT -> writer.write(column.getInt(record), 0, defined);
        case LONG -> writer.write(column.getLong(record), 0, defined);
        case DOUBLE -> writer.write(column.getDouble(record), 0, defined);
        case BOOLEAN -> writer.write(column.getBoolean(record), 0, defined);
        case TIMESTAMP -> {
          Timestamp time = (Timestamp) column.get(record);
          if (time == null) {
            writer.writeNull(0, 0);
          } else {
            writer.write(int96(time), 0, defined);
          }
        }
      }
    }
  }

  /**
   * A text's UTF-8 bytes as they are (Binary.fromString wraps them in a buffer besides), encoded
   * once while the column's text stays the same object: a file's dtype and shape, its status.
   */
  private Binary bytesOf(int column, String text) {
    if (text != lastText[column]) {
      lastBytes[column] = Binary.fromConstantByteArray(text.getBytes(StandardCharsets.UTF_8));
      lastText[column] = text;
    }
    return lastBytes[column];
  }

  /**
   * Parquet's writer reports a failed write unchecked (a file it could not close), and Hadoop's
   * local file system a full disk as an {@link FSError}: both as the I/O failures they are.
   */
  private static IOException unchecked(Throwable e) {
    return new IOException("could not write a Parquet file: " + e.getMessage(), e);
  }

  /**
   * Spark's schema of a table's files, as JSON: the table's schema without the partition column
   * {@code run_id}, which Spark's partitioned write leaves out of the files.
   */
  static String storedSchema(StructType tableSchema) {
    List<StructField> fields = new ArrayList<>();
    for (StructField field : tableSchema.fields()) {
      if (!field.name().equals(Tables.RUN_ID)) {
        fields.add(field);
      }
    }
    return new StructType(fields.toArray(new StructField[0])).json();
  }

  /** The stored columns as Spark's schema converter writes them. */
  static <R> MessageType parquetSchema(Columns<R> columns) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (Column<R> column : columns.stored()) {
      Repetition repetition = columns.tableNullable(column) ? Repetition.OPTIONAL
          : Repetition.REQUIRED;
      switch (column.type()) {
        case TEXT -> message.primitive(PrimitiveTypeName.BINARY, repetition)
            .as(LogicalTypeAnnotation.stringType()).named(column.name());
        case INT -> message.primitive(PrimitiveTypeName.INT32, repetition).named(column.name());
        case LONG -> message.primitive(PrimitiveTypeName.INT64, repetition).named(column.name());
        case DOUBLE -> message.primitive(PrimitiveTypeName.DOUBLE, repetition).named(column.name());
        case BOOLEAN -> message.primitive(PrimitiveTypeName.BOOLEAN, repetition)
            .named(column.name());
        case TIMESTAMP -> message.primitive(PrimitiveTypeName.INT96, repetition)
            .named(column.name());
      }
    }
    return message.named("spark_schema");
  }

  /**
   * A time as Spark writes it by default: nanoseconds of the day, then the Julian day, both
   * little-endian, in UTC.
   */
  static Binary int96(Timestamp time) {
    Instant instant = time.toInstant();
    long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
        instant.getNano() / 1_000);
    long day = Math.floorDiv(micros, MICROS_PER_DAY);
    long nanosOfDay = Math.floorMod(micros, MICROS_PER_DAY) * 1_000;
    ByteBuffer bytes = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(nanosOfDay).putInt(Math.toIntExact(day + JULIAN_DAY_OF_EPOCH));
    return Binary.fromConstantByteArray(bytes.array());
  }
}
