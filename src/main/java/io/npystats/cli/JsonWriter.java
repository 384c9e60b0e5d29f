package io.npystats.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Query results as JSON: one array of objects ({@code json}) or one object a line
 * ({@code jsonl}). Every column is a key in every object, a null value included (Spark's own
 * {@code toJSON} drops those keys); NaN and the infinities, which JSON cannot hold, are {@code null};
 * doubles are written in full, so that they read back to the same value.
 */
final class JsonWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonWriter() {}

  static void write(Dataset<Row> result, PrintWriter out, boolean asArray) {
    StructField[] fields = result.schema().fields();
    Iterator<Row> rows = result.toLocalIterator();
    try {
      boolean first = true;
      if (asArray) {
        out.print('[');
      }
      while (rows.hasNext()) {
        if (asArray) {
          out.print(first ? "\n" : ",\n");
        }
        first = false;
        out.print(object(fields, rows.next()));
        if (!asArray) {
          out.println();
        }
      }
      if (asArray) {
        out.println(first ? "]" : "\n]");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One row as one line of JSON. */
  static String object(StructField[] fields, Row row) throws IOException {
    java.io.StringWriter text = new java.io.StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.writeStartObject();
      for (int c = 0; c < fields.length; c++) {
        json.writeFieldName(fields[c].name());
        value(json, row.isNullAt(c) ? null : row.get(c));
      }
      json.writeEndObject();
    }
    return text.toString();
  }

  private static void value(JsonGenerator json, Object v) throws IOException {
    if (v == null) {
      json.writeNull();
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        json.writeNull();
      } else {
        json.writeNumber(d);
      }
    } else if (v instanceof Float f) {
      if (f.isNaN() || f.isInfinite()) {
        json.writeNull();
      } else {
        json.writeNumber(f);
      }
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      json.writeNumber(((Number) v).longValue());
    } else if (v instanceof BigDecimal d) {
      json.writeNumber(d);
    } else if (v instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (v instanceof Timestamp t) {
      json.writeString(t.toInstant().toString());
    } else if (v instanceof Date d) {
      json.writeString(d.toLocalDate().toString());
    } else if (v instanceof byte[] bytes) {
      json.writeString(Base64.getEncoder().encodeToString(bytes));
    } else if (v instanceof Row struct) {
      json.writeStartObject();
      StructField[] fields = struct.schema().fields();
      for (int c = 0; c < fields.length; c++) {
        json.writeFieldName(fields[c].name());
        value(json, struct.isNullAt(c) ? null : struct.get(c));
      }
      json.writeEndObject();
    } else if (v instanceof scala.collection.Map<?, ?> map) {
      json.writeStartObject();
      for (Map.Entry<?, ?> e : CollectionConverters.asJava(map).entrySet()) {
        json.writeFieldName(String.valueOf(e.getKey()));
        value(json, e.getValue());
      }
      json.writeEndObject();
    } else if (v instanceof scala.collection.Iterable<?> seq) {
      json.writeStartArray();
      for (Object element : CollectionConverters.asJava(seq)) {
        value(json, element);
      }
      json.writeEndArray();
    } else {
      json.writeString(String.valueOf(v));
    }
  }
}
