package io.npystats.task;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop {@link Configuration} that can travel to executors and child processes. Spark jobs
 * broadcast one instance so that credentials and file-system settings (s3a keys, HDFS addresses)
 * reach the tasks without being written into every closure.
 *
 * <p>It holds the properties already written out, as plain names and values, and makes the
 * {@code Configuration} from them where it is first asked for, once per instance. Not Hadoop's
 * own {@code Configuration.write}: that gzips each property's list of sources (which file set
 * it), a compressor set up a thousand times, on every job; the sources only explain a value, they
 * never change it. And not the {@code Configuration} itself: Spark's broadcast weighs the value
 * it keeps by walking its objects, which for a {@code Configuration} of a thousand properties
 * took 8 to 11 ms of every job, and a few bytes' array weighs at once (docs/performance.md).
 */
public final class HadoopConf implements Serializable {
  private static final long serialVersionUID = 3L;

  private final byte[] properties;
  private transient volatile Configuration conf;

  public HadoopConf(Configuration conf) {
    this.properties = write(conf);
  }

  /**
   * The configuration: every property as it was given, Hadoop's defaults not loaded again (they
   * would bring back what was removed). One instance for every caller, made at the first call;
   * in local mode Spark hands every task the driver's instance of a broadcast value.
   */
  public Configuration get() {
    Configuration made = conf;
    if (made == null) {
      synchronized (this) {
        made = conf;
        if (made == null) {
          conf = made = read(properties);
        }
      }
    }
    return made;
  }

  private static byte[] write(Configuration conf) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      List<Map.Entry<String, String>> all = new ArrayList<>();
      conf.forEach(all::add);
      out.writeInt(all.size());
      for (Map.Entry<String, String> property : all) {
        writeText(out, property.getKey());
        writeText(out, property.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  private static Configuration read(byte[] properties) {
    Configuration conf = new Configuration(false);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(properties))) {
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        conf.set(readText(in), readText(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a Hadoop configuration that does not read back", e);
    }
    return conf;
  }

  /** As UTF-8 after its length: {@code writeUTF} stops at 64 KiB. */
  private static void writeText(DataOutputStream out, String text) throws IOException {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readText(DataInputStream in) throws IOException {
    byte[] utf8 = new byte[in.readInt()];
    in.readFully(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }
}
