package io.npystats.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class HadoopConfTest {
  private static Configuration roundTrip(Configuration conf) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new HadoopConf(conf));
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return ((HadoopConf) in.readObject()).get();
    }
  }

  private static Map<String, String> raw(Configuration conf) {
    Map<String, String> properties = new HashMap<>();
    conf.forEach(p -> properties.put(p.getKey(), p.getValue()));
    return properties;
  }

  @Test
  void everyPropertyArrivesWithItsRawValue() throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.s3a.endpoint", "http://store.example:9000");
    conf.set("npystats.test.long", "é".repeat(70_000)); // past a writeUTF string's 64 KiB
    conf.set("npystats.test.reference", "${fs.s3a.endpoint}/bucket");
    conf.unset("fs.defaultFS");

    Configuration back = roundTrip(conf);

    assertThat(raw(back)).isEqualTo(raw(conf)).hasSizeGreaterThan(100);
    assertThat(back.get("npystats.test.reference")).isEqualTo("http://store.example:9000/bucket");
    // Loading the defaults again on the far side would bring back what was removed here.
    assertThat(back.get("fs.defaultFS")).isNull();
  }

  @Test
  void givesTheConfigurationAsItWasWhenShippedTheSameOneToEveryCaller() throws Exception {
    Configuration conf = new Configuration();
    conf.set("npystats.test.key", "value");
    HadoopConf shipped = new HadoopConf(conf);
    conf.set("npystats.test.key", "changed after");

    Configuration first = shipped.get();

    assertThat(first).isNotSameAs(conf);
    assertThat(first.get("npystats.test.key")).isEqualTo("value");
    assertThat(shipped.get()).isSameAs(first);
  }
}
