package io.npystats.task;

import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * One field of a record as every copy of it is spelled: a table column, a field of the child
 * processes' result lines, a value engines must agree on. The {@code spark} package maps the
 * {@link Type} to Spark's; nothing here knows Spark.
 *
 * <p>A number is read from its record unboxed ({@link #getDouble} and the like): a table's
 * writer takes every row's numbers that way, where {@link #get} makes an object of each.
 *
 * @param <R> the record
 */
public final class Column<R> {
  private final String name;
  private final Type type;
  /** By {@link #type}: a Function, ToIntFunction, ToLongFunction, ToDoubleFunction or Predicate. */
  private final Object getter;
  private final boolean nullable;
  private final boolean stored;
  private final boolean exact;
  private final boolean figure;
  private final boolean derived;

  /**
   * The Java type of a value: {@link String}, {@link Integer}, {@link Long}, {@link Double},
   * {@link Boolean}, {@link Timestamp}.
   */
  public enum Type {
    TEXT(String.class),
    INT(int.class),
    LONG(long.class),
    DOUBLE(double.class),
    BOOLEAN(boolean.class),
    TIMESTAMP(Timestamp.class);

    private final Class<?> javaType;

    Type(Class<?> javaType) {
      this.javaType = javaType;
    }

    /** The type a record component of this column has. */
    public Class<?> javaType() {
      return javaType;
    }
  }

  private Column(String name, Type type, Object getter, List<Trait> traits) {
    this.name = name;
    this.type = type;
    this.getter = Objects.requireNonNull(getter, "getter");
    this.nullable = traits.contains(Trait.NULLABLE);
    this.stored = !traits.contains(Trait.NOT_STORED);
    this.exact = !traits.contains(Trait.MEASURED);
    this.figure = traits.contains(Trait.FIGURE);
    this.derived = traits.contains(Trait.DERIVED);
    if (nullable && type != Type.TEXT) {
      throw new IllegalArgumentException(name + ": only text may be missing");
    }
  }

  /** The column's name in the tables and in messages, e.g. {@code mean_low}. */
  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  /** Whether the value may be missing; only text may. */
  public boolean nullable() {
    return nullable;
  }

  /** Whether the tables hold it; a value carried between processes only is not. */
  public boolean stored() {
    return stored;
  }

  /**
   * Whether two runs over the same files must give it bit for bit; what the file cost to read or
   * write need not be the same.
   */
  public boolean exact() {
    return exact;
  }

  /**
   * Whether it is a figure of the data, which a record that has none (a refused file) leaves
   * missing in the tables rather than showing a count of 0 or a NaN.
   */
  public boolean figure() {
    return figure;
  }

  /**
   * Whether the record works it out from its other components rather than holding it in a
   * component of its own.
   */
  public boolean derived() {
    return derived;
  }

  /** What sets a column apart from the plain one: stored, exact, never missing. */
  public enum Trait {
    /** The value may be missing; only text may. */
    NULLABLE,
    /** Carried between processes, not written to the tables. */
    NOT_STORED,
    /** What reading or writing the file cost, which two runs need not agree on. */
    MEASURED,
    /** A figure of the data: missing in the tables for a record that has none. */
    FIGURE,
    /**
     * Worked out by a method of the record from its other components, not a component itself: a
     * benchmark's {@code warmup} is its {@code repeat} 0.
     */
    DERIVED
  }

  public static <R> Column<R> text(String name, Function<R, String> getter, Trait... traits) {
    return new Column<>(name, Type.TEXT, getter, List.of(traits));
  }

  public static <R> Column<R> int32(String name, ToIntFunction<R> getter, Trait... traits) {
    return new Column<>(name, Type.INT, getter, List.of(traits));
  }

  public static <R> Column<R> int64(String name, ToLongFunction<R> getter, Trait... traits) {
    return new Column<>(name, Type.LONG, getter, List.of(traits));
  }

  public static <R> Column<R> float64(String name, ToDoubleFunction<R> getter, Trait... traits) {
    return new Column<>(name, Type.DOUBLE, getter, List.of(traits));
  }

  public static <R> Column<R> bool(String name, Predicate<R> getter, Trait... traits) {
    return new Column<>(name, Type.BOOLEAN, getter, List.of(traits));
  }

  public static <R> Column<R> timestamp(String name, Function<R, Timestamp> getter,
      Trait... traits) {
    return new Column<>(name, Type.TIMESTAMP, getter, List.of(traits));
  }

  /** The value, boxed where it is a number or a truth value: a {@link Type#javaType} of it. */
  @SuppressWarnings("unchecked")
  public Object get(R record) {
    return switch (type) {
      case TEXT, TIMESTAMP -> ((Function<R, ?>) getter).apply(record);
      case INT -> getInt(record);
      case LONG -> getLong(record);
      case DOUBLE -> getDouble(record);
      case BOOLEAN -> getBoolean(record);
    };
  }

  /** The value of an {@link Type#INT} column. */
  @SuppressWarnings("unchecked")
  public int getInt(R record) {
    return ((ToIntFunction<R>) typed(Type.INT)).applyAsInt(record);
  }

  /** The value of a {@link Type#LONG} column. */
  @SuppressWarnings("unchecked")
  public long getLong(R record) {
    return ((ToLongFunction<R>) typed(Type.LONG)).applyAsLong(record);
  }

  /** The value of a {@link Type#DOUBLE} column. */
  @SuppressWarnings("unchecked")
  public double getDouble(R record) {
    return ((ToDoubleFunction<R>) typed(Type.DOUBLE)).applyAsDouble(record);
  }

  /** The value of a {@link Type#BOOLEAN} column. */
  @SuppressWarnings("unchecked")
  public boolean getBoolean(R record) {
    return ((Predicate<R>) typed(Type.BOOLEAN)).test(record);
  }

  private Object typed(Type wanted) {
    if (type != wanted) {
      throw new IllegalStateException(name + " is " + type + ", not " + wanted);
    }
    return getter;
  }

  /** Whether two values are the same: doubles bit for bit, so NaN is NaN and -0.0 is not 0.0. */
  public boolean same(Object a, Object b) {
    if (type == Type.DOUBLE && a instanceof Double x && b instanceof Double y) {
      return Double.doubleToLongBits(x) == Double.doubleToLongBits(y);
    }
    return Objects.equals(a, b);
  }

  /** The record component this column reads: {@code mean_low} is {@code meanLow}. */
  String componentName() {
    StringBuilder b = new StringBuilder(name.length());
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        b.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return name + " " + type.name().toLowerCase(Locale.ROOT);
  }
}
