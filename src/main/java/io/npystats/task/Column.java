package io.npystats.task;

import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One field of a record as every copy of it is spelled: a table column, a field of the child
 * processes' result lines, a value engines must agree on. The {@code spark} package maps the
 * {@link Type} to Spark's; nothing here knows Spark.
 *
 * @param name the column's name in the tables and in messages, e.g. {@code mean_low}
 * @param nullable whether the value may be missing; only text may
 * @param stored whether the tables hold it; a value carried between processes only is not
 * @param exact whether two runs over the same files must give it bit for bit; what the file
 *     cost to read or write need not be the same
 * @param figure whether it is a figure of the data, which a record that has none (a refused
 *     file) leaves missing in the tables rather than showing a count of 0 or a NaN
 * @param derived whether the record works it out from its other components rather than holding
 *     it in a component of its own
 * @param <R> the record
 */
public record Column<R>(String name, Type type, Function<R, ?> getter, boolean nullable,
    boolean stored, boolean exact, boolean figure, boolean derived) {

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

  public Column {
    if (nullable && type != Type.TEXT) {
      throw new IllegalArgumentException(name + ": only text may be missing");
    }
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
    return of(name, Type.TEXT, getter, traits);
  }

  public static <R> Column<R> int32(String name, Function<R, Integer> getter, Trait... traits) {
    return of(name, Type.INT, getter, traits);
  }

  public static <R> Column<R> int64(String name, Function<R, Long> getter, Trait... traits) {
    return of(name, Type.LONG, getter, traits);
  }

  public static <R> Column<R> float64(String name, Function<R, Double> getter, Trait... traits) {
    return of(name, Type.DOUBLE, getter, traits);
  }

  public static <R> Column<R> bool(String name, Function<R, Boolean> getter, Trait... traits) {
    return of(name, Type.BOOLEAN, getter, traits);
  }

  public static <R> Column<R> timestamp(String name, Function<R, Timestamp> getter,
      Trait... traits) {
    return of(name, Type.TIMESTAMP, getter, traits);
  }

  private static <R> Column<R> of(String name, Type type, Function<R, ?> getter, Trait... traits) {
    List<Trait> t = List.of(traits);
    return new Column<>(name, type, getter, t.contains(Trait.NULLABLE),
        !t.contains(Trait.NOT_STORED), !t.contains(Trait.MEASURED), t.contains(Trait.FIGURE),
        t.contains(Trait.DERIVED));
  }

  public Object get(R record) {
    return getter.apply(record);
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
