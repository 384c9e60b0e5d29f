package io.npystats.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {
  @TempDir Path dir;

  @Test
  void aQualifiedLocalPathNamesTheFileHadoopWouldOpen() throws Exception {
    RawLocalFileSystem raw =
        (RawLocalFileSystem) Stores.of(new org.apache.hadoop.fs.Path("file:/"), new Configuration());
    String[] names = {"plain.npy", "a b.npy", "hash#1.npy", "pct%20.npy", "colon:1.npy",
        "m\u00e9t\u00e9o.npy", "q?.npy", "brace{x}.npy", "back\\slash.npy"};
    Path awkward = Files.createDirectories(dir.resolve("awk ward"));
    for (String name : names) {
      Files.writeString(awkward.resolve(name), name);
      // The form a listing writes a path in.
      String qualified = new org.apache.hadoop.fs.Path("file", null, awkward + "/" + name).toString();
      Path expected = raw.pathToFile(new org.apache.hadoop.fs.Path(qualified)).toPath();
      assertThat(Stores.localFileOf(qualified)).as(qualified).isEqualTo(expected);
      try (Stores.ReadableFile file = Stores.openLocal(Stores.localFileOf(qualified), 0)) {
        assertThat(file.length()).isEqualTo(Files.size(expected));
      }
    }
  }

  @Test
  void aPathNotInHadoopsOwnFormIsLeftToHadoop() {
    for (String path : new String[] {"file://host/data/x.npy", "file:///data/x.npy",
        "file:/data/./x.npy", "file:/data/../x.npy", "file:/data//x.npy", "file:/data/",
        "file:/data/.hidden.npy", "hdfs://nn:8020/data/x.npy", "s3a://bucket/x.npy",
        "data/x.npy", "/data/x.npy", "file:data/x.npy"}) {
      assertThat(Stores.localFileOf(path)).as(path).isNull();
    }
  }
}
