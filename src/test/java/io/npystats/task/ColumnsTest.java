package io.npystats.task;

import static io.npystats.task.Column.Trait.DERIVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.sql.Timestamp;
import org.junit.jupiter.api.Test;

class ColumnsTest {
  record Part(int cores, String os) {}

  /** A record with one held in a component, and a value it works out. */
  record Whole(String name, Part part, long n) {
    boolean big() {
      return n > 10;
    }
  }

  static final Columns<Whole> WHOLE = Columns.of(Whole.class,
      Column.text("name", Whole::name),
      Column.int32("cores", w -> w.part().cores()),
      Column.text("os", w -> w.part().os()),
      Column.bool("big", Whole::big, DERIVED),
      Column.int64("n", Whole::n));

  @Test
  void everyColumnReadsTheComponentOfItsName() throws Exception {
    eachColumnReadsItsComponent(FileSummary.COLUMNS, FileSummary.class);
    eachColumnReadsItsComponent(GeneratedFile.COLUMNS, GeneratedFile.class);
  }

  /**
   * A record made of a different value in every component (and one true boolean at a time, as two
   * booleans cannot differ otherwise): each column must give back the value of its own component,
   * so a getter that reads another component of the same type fails.
   */
  private static <R> void eachColumnReadsItsComponent(Columns<R> columns, Class<R> type)
      throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    for (int k = 0; k < columns.size(); k++) {
      Object[] values = new Object[columns.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = switch (columns.all().get(i).type()) {
          case TEXT -> "text " + i;
          case INT -> 100 + i;
          case LONG -> 1000L + i;
          case DOUBLE -> i + 0.25;
          case BOOLEAN -> i == k;
          case TIMESTAMP -> new Timestamp(1000L * i);
        };
      }
      R record = columns.create(values);
      for (int i = 0; i < values.length; i++) {
        Column<R> column = columns.all().get(i);
        assertThat(components[i].getAccessor().invoke(record)).isEqualTo(values[i]);
        assertThat(column.get(record)).as(type.getSimpleName() + "." + column.name())
            .isEqualTo(values[i]);
        Object unboxed = switch (column.type()) {
          case INT -> column.getInt(record);
          case LONG -> column.getLong(record);
          case DOUBLE -> column.getDouble(record);
          case BOOLEAN -> column.getBoolean(record);
          case TEXT, TIMESTAMP -> column.get(record);
        };
        assertThat(unboxed).as(type.getSimpleName() + "." + column.name() + ", unboxed")
            .isEqualTo(values[i]);
      }
    }
  }

  @Test
  void aNumberIsReadOnlyAsItsOwnType() {
    Whole whole = new Whole("w", new Part(4, "linux"), 12);
    Column<Whole> n = WHOLE.all().get(4);
    assertThat(n.getLong(whole)).isEqualTo(12);
    assertThatThrownBy(() -> n.getDouble(whole)).isInstanceOf(IllegalStateException.class)
        .hasMessage("n is LONG, not DOUBLE");
    assertThatThrownBy(() -> WHOLE.all().get(0).getInt(whole))
        .hasMessage("name is TEXT, not INT");
  }

  @Test
  void aRecordWrittenIsReadBackTheSame() throws Exception {
    String longError = "x".repeat(70_000) + "\u00e9";
    FileSummary[] summaries = {
        new FileSummary("file:/data/m\u00e9t\u00e9o.npy", FileSummary.OK, null, "<f8", "(3,)", 3,
            -0.0, 1.5, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_VALUE, -1e-300,
            Long.MAX_VALUE, 0.125),
        new FileSummary("file:/data/bad.npy", FileSummary.ERROR, longError, null, null, 0,
            Double.NaN, Double.longBitsToDouble(0x7ff8000000000001L), Double.NaN, Double.NaN,
            Double.NaN, 0, 0, 1e-9)};
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
    for (FileSummary s : summaries) {
      FileSummary.COLUMNS.write(s, out);
    }
    java.io.DataInputStream in =
        new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()));
    for (FileSummary s : summaries) {
      FileSummary read = FileSummary.COLUMNS.read(in);
      assertThat(read).isEqualTo(s);
      for (Column<FileSummary> column : FileSummary.COLUMNS.all()) {
        if (column.type() == Column.Type.DOUBLE) {
          assertThat(Double.doubleToRawLongBits((Double) column.get(read))).as(column.name())
              .isEqualTo(Double.doubleToRawLongBits((Double) column.get(s)));
        }
      }
    }
    assertThat(in.read()).isEqualTo(-1);

    GeneratedFile generated = new GeneratedFile(7, "file:/data/file_7.npy", true, false, 8128, 0.5);
    bytes.reset();
    GeneratedFile.COLUMNS.write(generated, out);
    assertThat(GeneratedFile.COLUMNS.read(new java.io.DataInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray())))).isEqualTo(generated);
  }

  @Test
  void columnsOutOfTheRecordsOrderAreRefused() {
    assertThatThrownBy(() -> Columns.of(GeneratedFile.class,
        Column.text("path", GeneratedFile::path),
        Column.int64("index", GeneratedFile::index),
        Column.bool("written", GeneratedFile::written),
        Column.bool("other_bytes", GeneratedFile::otherBytes),
        Column.int64("bytes", GeneratedFile::bytes),
        Column.float64("seconds", GeneratedFile::seconds)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("GeneratedFile's component 0 is long index, its column path text");
    assertThatThrownBy(() -> Columns.of(GeneratedFile.class,
        Column.int64("index", GeneratedFile::index)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("GeneratedFile has 6 components, 1 columns");
  }

  @Test
  void theTablesHoldEveryColumnButTheMeansLowBits() {
    assertThat(FileSummary.COLUMNS.stored()).extracting(Column::name).containsExactly("path",
        "status", "error", "dtype", "shape", "n", "mean", "std", "min", "max", "m2", "bytes",
        "seconds");
  }

  @Test
  void theFirstDifferenceComparesDoublesByTheirBitsAndSkipsWhatReadingCost() {
    FileSummary a = new FileSummary("f.npy", "ok", null, "<f8", "(3,)", 3, 0.5, 1, -1, 1, 3, 0.0,
        152, 0.01);
    FileSummary negativeZero = new FileSummary("f.npy", "ok", null, "<f8", "(3,)", 3, 0.5, 1, -1, 1,
        3, -0.0, 160, 0.02);
    FileSummary nan = new FileSummary("f.npy", "error", "bad", null, null, 0, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 152, 0.03);
    assertThat(FileSummary.COLUMNS.firstDifference(nan, nan)).isNull();
    assertThat(FileSummary.COLUMNS.firstDifference(a, negativeZero))
        .isEqualTo("mean_low -0.0, expected 0.0");
    assertThat(FileSummary.COLUMNS.firstDifference(a, nan))
        .isEqualTo("status 'error', expected 'ok'");
  }

  @Test
  void aRecordInAComponentIsSpreadOverItsColumnsAndADerivedValueIsWorkedOut() {
    Whole whole = new Whole("w", new Part(4, "Linux"), 12);
    assertThat(WHOLE.all()).extracting(c -> c.get(whole)).containsExactly("w", 4, "Linux", true,
        12L);
    assertThat(WHOLE.create("w", 4, "Linux", true, 12L)).isEqualTo(whole);
    assertThatThrownBy(() -> WHOLE.create("w", 4, "Linux", true, 3L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Whole's big is false, not true");
  }

  @Test
  void theColumnsOfARecordInAComponentAreCheckedAgainstItsComponents() {
    assertThatThrownBy(() -> Columns.of(Whole.class,
        Column.text("name", Whole::name),
        Column.text("os", w -> w.part().os()),
        Column.int32("cores", w -> w.part().cores()),
        Column.int64("n", Whole::n)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Part's component 0 is int cores, its column os text");
    assertThatThrownBy(() -> Columns.of(Whole.class,
        Column.text("name", Whole::name),
        Column.bool("big", Whole::big, DERIVED),
        Column.int64("n", Whole::n)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Whole has 4 components, 2 columns");
  }
}
