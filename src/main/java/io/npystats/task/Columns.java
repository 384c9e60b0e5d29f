package io.npystats.task;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A record's columns, in the order of its components, and the way back from values to the
 * record. Whatever spells the record out field by field (a schema, a row, a line of text, a
 * comparison) derives it from here, so a column is added in one place. The columns are checked
 * against the record's components when they are made: a column out of order fails at once.
 *
 * <p>A component that is itself a record (a benchmark's machine) is spread over its own
 * components' columns, in place. A {@link Column#derived() derived} column stands for no
 * component and may sit anywhere.
 *
 * @param <R> the record
 */
public final class Columns<R> {
  private final Class<R> type;
  private final List<Column<R>> all;
  private final List<Column<R>> stored;
  private final Shape shape;
  private final Predicate<R> hasFigures;

  private Columns(Class<R> type, List<Column<R>> all, Predicate<R> hasFigures) {
    this.type = type;
    this.hasFigures = hasFigures;
    this.all = List.copyOf(all);
    this.stored = all.stream().filter(Column::stored).toList();
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type.getSimpleName() + " is not a record");
    }
    List<Column<R>> held = all.stream().filter(c -> !c.derived()).toList();
    int leaves = leaves(type);
    if (leaves != held.size()) {
      throw new IllegalArgumentException(type.getSimpleName() + " has " + leaves
          + " components, " + held.size() + " columns");
    }
    this.shape = Shape.of(type, held.iterator());
  }

  /** How many columns {@code type}'s components take: a component that is a record, its own. */
  private static int leaves(Class<?> type) {
    int n = 0;
    for (RecordComponent component : type.getRecordComponents()) {
      n += component.getType().isRecord() ? leaves(component.getType()) : 1;
    }
    return n;
  }

  /**
   * How a record is made from the values of its columns: its canonical constructor, and for
   * each component that is a record, that record's shape (null for a component of one column).
   */
  private record Shape(Constructor<?> constructor, List<Shape> parts) {
    static Shape of(Class<?> type, Iterator<? extends Column<?>> columns) {
      RecordComponent[] components = type.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      List<Shape> parts = new ArrayList<>(components.length);
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        if (types[i].isRecord()) {
          parts.add(of(types[i], columns));
          continue;
        }
        Column<?> column = columns.next();
        if (!components[i].getName().equals(column.componentName())
            || types[i] != column.type().javaType()) {
          throw new IllegalArgumentException(type.getSimpleName() + "'s component " + i + " is "
              + types[i].getSimpleName() + " " + components[i].getName() + ", its column "
              + column);
        }
        parts.add(null);
      }
      try {
        return new Shape(type.getDeclaredConstructor(types), parts);
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException(type.getSimpleName() + " has no canonical constructor",
            e);
      }
    }

    Object make(Iterator<Object> values) throws ReflectiveOperationException {
      Object[] args = new Object[parts.size()];
      for (int i = 0; i < args.length; i++) {
        args[i] = parts.get(i) == null ? values.next() : parts.get(i).make(values);
      }
      return constructor.newInstance(args);
    }
  }

  /** {@code columns}, one for each of {@code type}'s components, in order. */
  @SafeVarargs
  public static <R> Columns<R> of(Class<R> type, Column<R>... columns) {
    return new Columns<>(type, List.of(columns), record -> true);
  }

  /**
   * These columns, with the {@link Column#figure() figures} of a record for which
   * {@code hasFigures} is false left missing in the tables: a refused file has no count or mean.
   */
  public Columns<R> figuresOnlyWhen(Predicate<R> hasFigures) {
    return new Columns<>(type, all, hasFigures);
  }

  /**
   * Whether the tables show {@code record}'s value of {@code column}: not a {@link Column#figure()
   * figure} of a record without figures, which is missing. A text may be missing besides (null).
   */
  public boolean tableShows(Column<R> column, R record) {
    return !column.figure() || hasFigures.test(record);
  }

  /** The value {@code column} shows in the tables for {@code record}. */
  public Object tableValue(Column<R> column, R record) {
    return tableShows(column, record) ? column.get(record) : null;
  }

  /** Whether the tables may hold no value in {@code column}. */
  public boolean tableNullable(Column<R> column) {
    return column.nullable() || column.figure();
  }

  public List<Column<R>> all() {
    return all;
  }

  /** The columns the tables hold, in order. */
  public List<Column<R>> stored() {
    return stored;
  }

  public int size() {
    return all.size();
  }

  /**
   * The record of {@code values}, one per column in order, each of its column's Java type. A
   * derived column's value is not given to the record but must be the one it works out.
   */
  public R create(Object... values) {
    if (values.length != all.size()) {
      throw new IllegalArgumentException(values.length + " values for " + all.size() + " columns of "
          + type.getSimpleName());
    }
    List<Object> held = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      if (!all.get(i).derived()) {
        held.add(values[i]);
      }
    }
    R record;
    try {
      record = type.cast(shape.make(held.iterator()));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r
          : new IllegalStateException("could not make a " + type.getSimpleName(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("could not make a " + type.getSimpleName(), e);
    }
    for (int i = 0; i < values.length; i++) {
      Column<R> column = all.get(i);
      if (column.derived() && !column.same(column.get(record), values[i])) {
        throw new IllegalArgumentException(type.getSimpleName() + "'s " + column.name() + " is "
            + column.get(record) + ", not " + values[i]);
      }
    }
    return record;
  }

  /**
   * Writes {@code record} as its values, column by column, in a compact binary form that
   * {@link #read} takes back: a fraction of the bytes and of the time of Java's serialization,
   * which describes every record's class and fields anew in each stream. A double keeps its bits.
   */
  public void write(R record, DataOutput out) throws IOException {
    for (Column<R> column : all) {
      Object value = column.get(record);
      switch (column.type()) {
        case TEXT -> {
          if (value == null) {
            out.writeInt(-1);
          } else {
            // Not writeUTF: it refuses a text of more than 65,535 bytes.
            byte[] bytes = ((String) value).getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
          }
        }
        case INT -> out.writeInt((Integer) value);
        case LONG -> out.writeLong((Long) value);
        case DOUBLE -> out.writeLong(Double.doubleToRawLongBits((Double) value));
        case BOOLEAN -> out.writeBoolean((Boolean) value);
        case TIMESTAMP -> {
          Timestamp t = (Timestamp) value;
          out.writeLong(t.getTime());
          out.writeInt(t.getNanos());
        }
      }
    }
  }

  /** The record {@link #write} wrote, read from {@code in}. */
  public R read(DataInput in) throws IOException {
    Object[] values = new Object[all.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (all.get(i).type()) {
        case TEXT -> {
          int length = in.readInt();
          if (length < 0) {
            yield null;
          }
          byte[] bytes = new byte[length];
          in.readFully(bytes);
          yield new String(bytes, StandardCharsets.UTF_8);
        }
        case INT -> in.readInt();
        case LONG -> in.readLong();
        case DOUBLE -> Double.longBitsToDouble(in.readLong());
        case BOOLEAN -> in.readBoolean();
        case TIMESTAMP -> {
          Timestamp t = new Timestamp(in.readLong());
          t.setNanos(in.readInt());
          yield t;
        }
      };
    }
    return create(values);
  }

  /**
   * The first column in which {@code actual} differs from {@code expected}, among those two runs
   * must give {@link Column#exact() exactly}: its name and both values; null when none does.
   */
  public String firstDifference(R expected, R actual) {
    for (Column<R> column : all) {
      Object e = column.get(expected);
      Object a = column.get(actual);
      if (column.exact() && !column.same(e, a)) {
        return column.type() == Column.Type.TEXT
            ? column.name() + " '" + a + "', expected '" + e + "'"
            : column.name() + " " + a + ", expected " + e;
      }
    }
    return null;
  }
}
