package io.npystats.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.npystats.testing.ChildJvm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ./submit.sh} command in README.md's code blocks runs, in the README's order, in
 * one fresh project folder: what an earlier command makes (the demo's tables, generate's files)
 * is there for a later one, as for a reader who runs them top to bottom. Sizes are cut down
 * ({@code --files N} to N/100, at least 2; {@code --samples} to at most 2,000), nothing else is
 * changed. The commands run through {@link Main#run} in one child JVM whose working directory and
 * {@code NPYSTATS_HOME} are that folder, as {@code submit.sh} sets them, so relative paths and
 * the default {@code data/} land there and not in the checkout.
 */
class ReadmeCommandsIT {
  /** The only commands not run, with why; each must still be in the README. */
  static final Map<String, String> SKIPPED = Map.of(
      "./submit.sh cluster start --workers 2 --cores 1 --memory 1g",
      "starts a standalone cluster on ports 7077 and 8080-8082; ClusterIT starts one",
      "./submit.sh --master spark://127.0.0.1:7077 generate --out data/files --files 2000",
      "needs the cluster; ClusterIT runs generate on one",
      "./submit.sh --master spark://127.0.0.1:7077 stats --in data/files",
      "needs the cluster; ClusterIT runs stats on one",
      "./submit.sh --master spark://127.0.0.1:7077 compare --in data/files",
      "needs the cluster; ClusterIT runs compare on one",
      "./submit.sh cluster stop",
      "stops the cluster that start started",
      "./submit.sh generate --out s3a://bucket/npy --files 1000 --samples 100000 --seed 42",
      "needs an S3 store and its keys; S3CommandsTest runs generate on S3Proxy",
      "./submit.sh stats --in s3a://bucket/npy --warehouse s3a://bucket/warehouse",
      "needs an S3 store and its keys; S3CommandsTest runs stats on S3Proxy",
      "./submit.sh sql --warehouse s3a://bucket/warehouse \"SELECT count(*) FROM file_stats\"",
      "needs an S3 store and its keys; S3CommandsTest runs sql on S3Proxy");
  private static final Set<String> SIZED = Set.of("demo", "generate", "compare");
  private static final String SEPARATOR = "\u0000";
  private static final long TIMEOUT_SECONDS = 300;

  @TempDir Path tmp;

  @Test
  void everySubmitCommandInTheReadmeRunsAsWritten() throws Exception {
    Path basedir = Paths.get(System.getProperty("npystats.basedir", "")).toAbsolutePath();
    List<String> lines = submitLines(Files.readString(basedir.resolve("README.md")));
    assertThat(lines).as("./submit.sh commands in README.md").hasSizeGreaterThan(5);
    assertThat(lines).as("skipped commands still in the README").containsAll(SKIPPED.keySet());

    List<String> run = new ArrayList<>();
    List<String> commands = new ArrayList<>();
    for (String line : lines) {
      if (SKIPPED.containsKey(line)) {
        continue;
      }
      List<String> args = arguments(words(line));
      run.add(line);
      commands.add(String.join(SEPARATOR, shrunk(args)));
    }
    Path project = Files.createDirectories(tmp.resolve("project"));
    Path list = tmp.resolve("commands.txt");
    Files.write(list, commands, StandardCharsets.UTF_8);
    Path results = Files.createDirectories(tmp.resolve("results"));
    ChildJvm child = ChildJvm.logTo(tmp.resolve("child.log"), "2g")
        .flag("-Dspark.master=local[2]")
        .flag("-Dspark.ui.enabled=false")
        .in(project)
        .env("NPYSTATS_HOME", project.toString());
    Process process = child.main(Runner.class.getName(), list.toString(), results.toString());
    child.assertExit(process, 0, TIMEOUT_SECONDS);
    System.out.println(child.tail(run.size())); // each command's exit code and seconds

    for (int i = 0; i < run.size(); i++) {
      Path result = results.resolve(Integer.toString(i));
      String out = Files.readString(result.resolve("out"));
      String err = Files.readString(result.resolve("err"));
      int code = Integer.parseInt(Files.readString(result.resolve("code")).strip());
      assertThat(code).as("%s%n  ran as: %s%n--- stdout%n%s%n--- stderr%n%s", run.get(i),
          commands.get(i).replace(SEPARATOR, " "), out, err).isZero();
      assertThat(out).as("what %s printed", run.get(i)).isNotBlank();
    }
  }

  @Test
  void readsQuotesContinuationsAndCommentsAsTheShellDoes() {
    String readme = "Text ./submit.sh not code\n\n"
        + "    ./submit.sh sql \"SELECT 'a b', \\`x\\` FROM t\"   # a comment\n"
        + "    ./submit.sh compare --files 200 \\\n      --samples 100000 # why\n\n"
        + "```\n./submit.sh generate --out 'data/a b' --files 2000\n```\n"
        + "    $ bench/cluster.sh\n";
    List<String> lines = submitLines(readme);
    assertThat(lines).containsExactly("./submit.sh sql \"SELECT 'a b', \\`x\\` FROM t\"",
        "./submit.sh compare --files 200 --samples 100000",
        "./submit.sh generate --out 'data/a b' --files 2000");
    assertThat(words(lines.get(0))).containsExactly("./submit.sh", "sql", "SELECT 'a b', `x` FROM t");
    assertThat(shrunk(arguments(words(lines.get(1)))))
        .containsExactly("compare", "--files", "2", "--samples", "2000");
    assertThat(shrunk(arguments(words(lines.get(2)))))
        .containsExactly("generate", "--out", "data/a b", "--files", "20", "--samples", "2000");
    assertThat(shrunk(arguments(words("./submit.sh compare --files 200,2000,20000 --samples 500"))))
        .containsExactly("compare", "--files", "2,20,200", "--samples", "500");
    assertThat(shrunk(arguments(words("./submit.sh"))))
        .containsExactly("demo", "--files", "20", "--samples", "2000");
  }

  /**
   * The {@code ./submit.sh} lines of the README's code blocks (indented by four spaces, or
   * fenced), continuation lines joined and comments removed.
   */
  static List<String> submitLines(String readme) {
    List<String> lines = new ArrayList<>();
    boolean fenced = false;
    StringBuilder pending = null;
    for (String raw : readme.split("\n", -1)) {
      if (raw.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      boolean code = fenced || raw.startsWith("    ");
      String line = raw.strip();
      if (pending != null) {
        pending.append(' ').append(line);
      } else if (code && line.startsWith("./submit.sh")) {
        pending = new StringBuilder(line);
      } else {
        continue;
      }
      if (pending.toString().endsWith("\\")) {
        pending.setLength(pending.length() - 1);
        continue;
      }
      lines.add(withoutComment(pending.toString()).strip().replaceAll(" +", " "));
      pending = null;
    }
    return lines;
  }

  private static String withoutComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && quote != '\'') {
        i++;
      } else if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** The words a POSIX shell makes of {@code line}: quotes and backslashes as bash reads them. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        continue;
      }
      word = word == null ? new StringBuilder() : word;
      if (c == '\\') {
        word.append(line.charAt(++i));
      } else if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        word.append(line, i + 1, end);
        i = end;
      } else if (c == '"') {
        for (i++; line.charAt(i) != '"'; i++) {
          char d = line.charAt(i);
          if (d == '\\' && "\"\\`$".indexOf(line.charAt(i + 1)) >= 0) {
            d = line.charAt(++i);
          }
          word.append(d);
        }
      } else {
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  /**
   * The application's arguments: {@code submit.sh} and nothing before the command, which would
   * be Spark's options; no command is the demo, as in {@code submit.sh}.
   */
  static List<String> arguments(List<String> words) {
    assertThat(words.get(0)).isEqualTo("./submit.sh");
    List<String> args = words.subList(1, words.size());
    assertThat(args.isEmpty() || !args.get(0).startsWith("-"))
        .as("%s: Spark options reach Main only through submit.sh; run it there, or list it in"
            + " SKIPPED with the reason", String.join(" ", words)).isTrue();
    assertThat(args.isEmpty() || !args.get(0).equals("cluster"))
        .as("%s: list a cluster command in SKIPPED with the reason", String.join(" ", words))
        .isTrue();
    return args.isEmpty() ? List.of("demo") : args;
  }

  /** The same command on fewer, smaller files. */
  static List<String> shrunk(List<String> args) {
    List<String> out = new ArrayList<>(args);
    boolean samples = false;
    for (int i = 1; i + 1 < out.size(); i++) {
      if (out.get(i).equals("--files")) {
        List<String> sizes = new ArrayList<>();
        for (String n : out.get(i + 1).split(",")) {
          sizes.add(Long.toString(Math.max(2, Long.parseLong(n) / 100)));
        }
        out.set(i + 1, String.join(",", sizes));
      } else if (out.get(i).equals("--samples")) {
        out.set(i + 1, Long.toString(Math.min(2_000, Long.parseLong(out.get(i + 1)))));
        samples = true;
      }
    }
    if (out.get(0).equals("demo") && !out.contains("--files")) {
      out.addAll(List.of("--files", Long.toString(DemoCommand.FILES / 50)));
    }
    if (SIZED.contains(out.get(0)) && !samples && out.contains("--files")) {
      out.addAll(List.of("--samples", "2000"));
    }
    return out;
  }

  /**
   * Runs each line of a file of commands (arguments separated by NUL) through {@link Main#run},
   * one after the other in this JVM, and writes each one's exit code, stdout and stderr under a
   * folder named by its index. Exits 0 once every command has run, whatever their exit codes.
   */
  static final class Runner {
    private Runner() {}

    public static void main(String[] args) throws Exception {
      List<String> commands = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
      Path results = Path.of(args[1]);
      Map<String, String> done = new LinkedHashMap<>();
      for (int i = 0; i < commands.size(); i++) {
        String[] command = commands.get(i).split(SEPARATOR);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int code = Main.run(command, new PrintWriter(out), new PrintWriter(err));
        Path result = Files.createDirectories(results.resolve(Integer.toString(i)));
        Files.writeString(result.resolve("code"), Integer.toString(code));
        Files.writeString(result.resolve("out"), out.toString());
        Files.writeString(result.resolve("err"), err.toString());
        done.put(String.join(" ", command), String.format("exit %d, %.1f s", code,
            (System.nanoTime() - start) / 1e9));
      }
      done.forEach((command, outcome) -> System.out.println(outcome + ": " + command));
    }
  }
}
