package io.npystats.task;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop {@link Configuration} that can travel to executors and child processes. Spark jobs
 * broadcast one instance so that credentials and file-system settings (s3a keys, HDFS addresses)
 * reach the tasks without being written into every closure.
 */
public final class HadoopConf implements Serializable {
  private static final long serialVersionUID = 2L;

  private transient Configuration conf;

  public HadoopConf(Configuration conf) {
    this.conf = conf;
  }

  public Configuration get() {
    return conf;
  }

  /**
   * Every property as a name and a value. Not Hadoop's own {@code Configuration.write}: that
   * gzips each property's list of sources (which file set it), a compressor set up a thousand
   * times, on every job (docs/performance.md); the sources only explain a value, they never
   * change it.
   */
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    List<Map.Entry<String, String>> properties = new ArrayList<>();
    for (Map.Entry<String, String> property : conf) {
      properties.add(property);
    }
    out.writeInt(properties.size());
    for (Map.Entry<String, String> property : properties) {
      out.writeObject(property.getKey());
      out.writeObject(property.getValue());
    }
  }

  /** Sets every property as Hadoop's {@code Configuration.readFields} does, defaults not loaded. */
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    int size = in.readInt();
    if (size < 0) {
      throw new IOException("a Hadoop configuration cannot hold " + size + " properties");
    }
    conf = new Configuration(false);
    for (int i = 0; i < size; i++) {
      conf.set((String) in.readObject(), (String) in.readObject());
    }
  }
}
