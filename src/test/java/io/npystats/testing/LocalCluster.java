package io.npystats.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1, started and stopped with the project's own
 * {@code scripts/cluster.sh} and used through its own {@code submit.sh}, for integration tests.
 *
 * <p>The scripts run from a scratch copy of the project root: {@code submit.sh},
 * {@code scripts/cluster.sh}, {@code conf/} and {@code pom.xml} copied unchanged, {@code target}
 * a link to the folder Maven built into. The cluster's state (secret, pids, logs, work folders)
 * therefore stays out of the checkout's {@code data/}, a cluster a developer started there is
 * never touched, and a build with {@code -Dbuild.dir} tests its own jar. The ports are
 * cluster.sh's own; when one is taken, {@link #start} refuses rather than use a cluster it did
 * not start.
 */
public final class LocalCluster implements AutoCloseable {
  public static final String MASTER = "spark://127.0.0.1:7077";
  private static final int MASTER_PORT = 7077;
  private static final int MASTER_UI_PORT = 8080;
  private static final String JAR = "npystats-0.1.0.jar";
  private static final String EXECUTOR_CLASS = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(2);

  private final Path root;
  private final Path buildDir;
  private final boolean classDataSharing;
  private boolean started;

  /** What a finished child process printed. */
  public record Outcome(int exitCode, String out, String err) {
    /** The last lines of both streams, for an assertion message. */
    public String tail() {
      return "exit " + exitCode + "\n--- stdout\n" + lastLines(out, 20) + "\n--- stderr\n"
          + lastLines(err.replace('\r', '\n'), 40);
    }
  }

  private LocalCluster(Path root, Path buildDir, boolean classDataSharing) {
    this.root = root;
    this.buildDir = buildDir;
    this.classDataSharing = classDataSharing;
  }

  /**
   * A scratch project to run {@code submit.sh} commands in, with no cluster started, and with the
   * class-data archive on as for a user.
   */
  public static LocalCluster scriptsOnly(Path scratch) throws IOException {
    return scriptsOnly(scratch, true);
  }

  /** As {@link #scriptsOnly(Path)}, with the class-data archive on or off. */
  public static LocalCluster scriptsOnly(Path scratch, boolean classDataSharing) throws IOException {
    Path root = scratchProject(scratch);
    return new LocalCluster(root, root.resolve("target").toRealPath(), classDataSharing);
  }

  /**
   * A scratch copy of the project root under {@code scratch} (the scripts, pom.xml and conf/,
   * with target/ linking to the build's output), where {@code submit.sh} runs the built jar.
   *
   * @throws IllegalStateException when the build has no jar
   */
  public static Path scratchProject(Path scratch) throws IOException {
    Path basedir = Paths.get(System.getProperty("npystats.basedir", "")).toAbsolutePath();
    Path buildDir = Paths.get(System.getProperty("npystats.build.dir", basedir.resolve("target").toString()));
    Path jar = buildDir.resolve(JAR);
    if (!Files.isRegularFile(jar) || !Files.isDirectory(buildDir.resolve("lib"))) {
      throw new IllegalStateException("no " + jar + " and " + buildDir.resolve("lib")
          + ": the script tests run after the package phase (mvn verify, not mvn test)");
    }
    Path root = scratch.resolve("project");
    Files.createDirectories(root.resolve("scripts"));
    Files.createDirectories(root.resolve("conf"));
    copy(basedir, root, "submit.sh");
    copy(basedir, root, "scripts/cluster.sh");
    copy(basedir, root, "pom.xml");
    try (Stream<Path> conf = Files.list(basedir.resolve("conf"))) {
      for (Path file : conf.toList()) {
        copy(basedir, root, "conf/" + file.getFileName());
      }
    }
    // submit.sh rebuilds when src/main or pom.xml is newer than the jar; here neither is.
    FileTime older = FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000);
    Files.createDirectories(root.resolve("src/main"));
    Files.setLastModifiedTime(root.resolve("pom.xml"), older);
    Files.setLastModifiedTime(root.resolve("src/main"), older);
    Files.createSymbolicLink(root.resolve("target"), buildDir);
    return root;
  }


  /**
   * Starts {@code workers} workers of {@code cores} cores and {@code memory} each, through
   * {@code ./submit.sh cluster start}, in a scratch project root made under {@code scratch}.
   *
   * @throws IllegalStateException when the build has no jar, a port is taken or the start fails
   */
  public static LocalCluster start(Path scratch, int workers, int cores, String memory)
      throws IOException, InterruptedException {
    List<Integer> ports = new ArrayList<>(List.of(MASTER_PORT, MASTER_UI_PORT));
    IntStream.rangeClosed(1, workers).forEach(i -> ports.add(MASTER_UI_PORT + i));
    for (int port : ports) {
      if (!free(port)) {
        throw new IllegalStateException("port " + port + " on 127.0.0.1 is taken, and the cluster"
            + " tests need " + ports + ": is a cluster already running (./submit.sh cluster status)?"
            + " Stop it first; the tests never use a cluster they did not start");
      }
    }

    Path root = scratchProject(scratch);
    Path buildDir = root.resolve("target").toRealPath();
    LocalCluster cluster = new LocalCluster(root, buildDir, false);
    cluster.started = true;
    Outcome o = cluster.submit(SCRIPT_TIMEOUT, "cluster", "start", "--workers", String.valueOf(workers),
        "--cores", String.valueOf(cores), "--memory", memory);
    if (o.exitCode() != 0) {
      cluster.close();
      throw new IllegalStateException("./submit.sh cluster start failed:\n" + o.tail());
    }
    return cluster;
  }

  /** The scratch project root the scripts run in. */
  public Path root() {
    return root;
  }

  /** Runs {@code ./submit.sh ARGS} to the end, or kills it after {@code timeout}. */
  public Outcome submit(Duration timeout, String... args) throws IOException, InterruptedException {
    Path logs = Files.createDirectories(root.resolve("logs"));
    Path out = Files.createTempFile(logs, "submit", ".out");
    Path err = Files.createTempFile(logs, "submit", ".err");
    Process p = launch(out, err, args);
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("./submit.sh " + String.join(" ", args) + " still running after "
            + timeout.toSeconds() + " s:\n" + new Outcome(-1, read(out), read(err)).tail());
      }
      return new Outcome(p.exitValue(), read(out), read(err));
    } finally {
      destroyTree(p.toHandle());
    }
  }

  /**
   * Starts {@code ./submit.sh ARGS} with its output going to the two files, and returns at once.
   * The caller ends it with {@link #destroyTree} if it outlives the test.
   */
  public Process launch(Path out, Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("submit.sh").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    // The driver, the daemons and the executors: all the test's own Java and the build's jars.
    env.keySet().removeAll(List.of("SPARK_HOME", "SPARK_CONF_DIR", "NPYSTATS_HOME", "SPARK_LOCAL_IP"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    // The cluster tests are about faults; a command's first run recording its class-data archive
    // would add seconds to each. SubmitScriptIT covers the archive.
    if (classDataSharing) {
      env.remove("NPYSTATS_CDS");
    } else {
      env.put("NPYSTATS_CDS", "off");
    }
    env.put("PATH", Stream.of(env.getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
        .filter(dir -> !Files.isExecutable(Paths.get(dir, "spark-submit")))
        .collect(Collectors.joining(File.pathSeparator)));
    return pb.start();
  }

  /** The process id of worker {@code i} (from 1), as cluster.sh recorded it. */
  public ProcessHandle worker(int i) throws IOException {
    Path file = root.resolve("data/cluster/pids/worker-" + i + ".pid");
    long pid = Long.parseLong(Files.readString(file).strip());
    return ProcessHandle.of(pid).orElseThrow(
        () -> new IllegalStateException("worker " + i + " (pid " + pid + ") is not running"));
  }

  /** The executor JVMs a worker launched: its descendants running Spark's executor class. */
  public static List<ProcessHandle> executorsOf(ProcessHandle worker) {
    return worker.descendants().filter(p -> commandLine(p).contains(EXECUTOR_CLASS)).toList();
  }

  /** {@code ./submit.sh cluster status}. */
  public Outcome status() throws IOException, InterruptedException {
    return submit(SCRIPT_TIMEOUT, "cluster", "status");
  }

  /**
   * Stops the cluster with {@code ./submit.sh cluster stop}, then kills whatever process still
   * runs from the scratch root (a daemon, an executor, a driver) and says so.
   *
   * @throws IllegalStateException when any such process had to be killed
   */
  @Override
  public void close() throws IOException, InterruptedException {
    if (!started) {
      return;
    }
    started = false;
    String stopped;
    try {
      stopped = submit(SCRIPT_TIMEOUT, "cluster", "stop").tail();
    } catch (IllegalStateException e) {
      stopped = e.getMessage();
    }
    List<ProcessHandle> strays = strays();
    for (ProcessHandle p : strays) {
      destroyTree(p);
    }
    Files.deleteIfExists(root.resolve("target")); // the link only, never the build folder
    if (!strays.isEmpty()) {
      throw new IllegalStateException("processes still running after ./submit.sh cluster stop, now"
          + " killed: " + strays.stream().map(p -> p.pid() + " " + abbreviate(commandLine(p))).toList()
          + "\n" + stopped);
    }
  }

  /** The processes whose command line names the scratch root, this one excepted. */
  private List<ProcessHandle> strays() {
    String mark = root.toString();
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self && p.isAlive() && commandLine(p).contains(mark)).toList();
  }

  /** Kills a process and everything it started, and waits for them to go. */
  public static void destroyTree(ProcessHandle p) throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
    all.add(0, p);
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // A process that outlives SIGKILL for ten seconds is the kernel's to reap.
      }
    }
  }

  /** A process's full command line, or "" when the system does not tell. */
  public static String commandLine(ProcessHandle p) {
    // ProcessHandle.Info drops the arguments on some systems; /proc has them all.
    Path proc = Paths.get("/proc", String.valueOf(p.pid()), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ').strip();
      }
    } catch (IOException e) {
      // Gone meanwhile: fall through to what the JDK knows.
    }
    return p.info().commandLine().orElse("");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // As Spark's own servers bind: a listener refuses, a closed connection's TIME_WAIT does not.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void copy(Path from, Path to, String file) throws IOException {
    Files.copy(from.resolve(file), to.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
  }

  public static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String lastLines(String text, int n) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  @Override
  public String toString() {
    return "LocalCluster at " + root + " from " + buildDir;
  }
}
