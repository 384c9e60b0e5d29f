package io.npystats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Statements cut at each ';' that ends one, whatever the lines, quotes and comments around it. */
class SqlPromptTest {
  private static List<String> split(String... lines) {
    SqlPrompt.Splitter splitter = new SqlPrompt.Splitter();
    List<String> statements = new ArrayList<>();
    for (String line : lines) {
      statements.addAll(splitter.add(line));
    }
    statements.addAll(splitter.rest());
    return statements;
  }

  @Test
  void aStatementEndsAtASemicolonOutsideQuotesAndComments() {
    assertThat(split("SELECT 1; SELECT 2;")).containsExactly("SELECT 1", "SELECT 2");
    assertThat(split("SELECT a", "  FROM t", " WHERE b = 'x;y';")).containsExactly("SELECT a\n  FROM t\n WHERE b = 'x;y'");
    assertThat(split("SELECT `odd;name`, \"it's\" -- the end; of nothing", ";"))
        .containsExactly("SELECT `odd;name`, \"it's\"");
    assertThat(split("SELECT /* one; */ 1;", "SELECT 'don\\'t;'")).containsExactly("SELECT /* one; */ 1",
        "SELECT 'don\\'t;'");
    assertThat(split(";;", "   ")).isEmpty();
  }

  @Test
  void aScriptStopsAtTheFirstFailureAndAtQuit() throws Exception {
    List<String> ran = new ArrayList<>();
    StringWriter err = new StringWriter();
    int code = SqlPrompt.script(new StringReader("SELECT 1;\nSELECT bad;\nSELECT 3;\n"), sql -> {
      ran.add(sql);
      if (sql.contains("bad")) {
        throw new IllegalArgumentException("no column bad\nplan follows");
      }
    }, new PrintWriter(err));
    assertThat(code).isEqualTo(Main.FAILED);
    assertThat(ran).containsExactly("SELECT 1", "SELECT bad");
    assertThat(err.toString()).isEqualTo("error: no column bad (in: SELECT bad)\n");

    ran.clear();
    assertThat(SqlPrompt.script(new StringReader("SELECT 1;\n\\q\nSELECT 2;\n"), ran::add,
        new PrintWriter(new StringWriter()))).isEqualTo(Main.OK);
    assertThat(ran).containsExactly("SELECT 1");
  }
}
