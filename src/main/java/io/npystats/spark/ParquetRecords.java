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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
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
 * @param <R> the record
 */
final class ParquetRecords<R> implements Closeable {
  private static final int BUFFER_BYTES = 64 * 1024;
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

  private final ParquetWriter<R> writer;

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
    MessageType schema = parquetSchema(columns);
    Map<String, String> footer = new HashMap<>();
    footer.put(SPARK_VERSION_KEY, sparkVersion);
    footer.put(SPARK_SCHEMA_KEY, sparkSchema);
    this.writer = new Builder<>(inExistingFolder(file, conf),
        new RecordWriteSupport<>(columns, schema, footer))
        .withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.CREATE)
        .withCompressionCodec(codec(codec))
        .withDictionaryEncoding(dictionary)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .build();
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
    try {
      writer.write(record);
    } catch (RuntimeException | FSError e) {
      throw unchecked(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      writer.close();
    } catch (RuntimeException | FSError e) {
      throw unchecked(e);
    }
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

  /**
   * Hands each record's stored values to Parquet, a missing value as no value. A number goes
   * unboxed ({@link Column#getDouble} and the like), and a text that is the same object as the
   * last row's in its column (a file's dtype and shape, its status) as the same bytes, encoded
   * once: a {@code stats} task writes a row for every file it reads, and these were a large share
   * of a small file's time (docs/performance.md, "Where the warm job's time goes").
   */
  private static final class RecordWriteSupport<R> extends WriteSupport<R> {
    private final Columns<R> columns;
    private final List<Column<R>> stored;
    private final MessageType schema;
    private final Map<String, String> footer;
    /** For each stored column: its last text, and the bytes written for it. */
    private final String[] lastText;
    private final Binary[] lastBytes;
    private RecordConsumer out;

    RecordWriteSupport(Columns<R> columns, MessageType schema, Map<String, String> footer) {
      this.columns = columns;
      this.stored = columns.stored();
      this.schema = schema;
      this.footer = footer;
      this.lastText = new String[stored.size()];
      this.lastBytes = new Binary[stored.size()];
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, footer);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(R record) {
      boolean figures = columns.hasFigures(record);
      out.startMessage();
      for (int i = 0; i < lastText.length; i++) {
        Column<R> column = stored.get(i);
        if (column.figure() && !figures) {
          continue;
        }
        switch (column.type()) {
          case TEXT -> {
            String text = (String) column.get(record);
            if (text == null) {
              continue;
            }
            if (text != lastText[i]) {
              // The text's UTF-8 bytes as they are: Binary.fromString wraps them in a buffer
              // besides, for every value.
              lastBytes[i] = Binary.fromConstantByteArray(text.getBytes(StandardCharsets.UTF_8));
              lastText[i] = text;
            }
            out.startField(column.name(), i);
            out.addBinary(lastBytes[i]);
          }
          case INT -> {
            out.startField(column.name(), i);
            out.addInteger(column.getInt(record));
          }
          case LONG -> {
            out.startField(column.name(), i);
            out.addLong(column.getLong(record));
          }
          case DOUBLE -> {
            out.startField(column.name(), i);
            out.addDouble(column.getDouble(record));
          }
          case BOOLEAN -> {
            out.startField(column.name(), i);
            out.addBoolean(column.getBoolean(record));
          }
          case TIMESTAMP -> {
            Timestamp time = (Timestamp) column.get(record);
            if (time == null) {
              continue;
            }
            out.startField(column.name(), i);
            out.addBinary(int96(time));
          }
        }
        out.endField(column.name(), i);
      }
      out.endMessage();
    }
  }

  private static final class Builder<R> extends ParquetWriter.Builder<R, Builder<R>> {
    private final WriteSupport<R> support;

    Builder(OutputFile file, WriteSupport<R> support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder<R> self() {
      return this;
    }

    @Override
    protected WriteSupport<R> getWriteSupport(Configuration conf) {
      return support;
    }
  }
}
