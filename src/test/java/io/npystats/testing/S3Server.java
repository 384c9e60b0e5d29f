package io.npystats.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 API server on 127.0.0.1 (S3Proxy), its objects kept as plain files under a folder: each
 * sub-folder is a bucket, each file an object. Requests are signed and checked against a made-up
 * key pair, so a wrong secret is refused as S3 refuses it. S3A reaches it through per-bucket
 * settings ({@code fs.s3a.bucket.NAME.*}), which leave every other bucket's settings, and the
 * shared Spark session's, alone.
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "npystats-test-access";
  public static final String SECRET_KEY = "npystats-test-secret";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final Path root;
  private final String endpoint;

  private S3Server(S3Proxy proxy, BlobStoreContext context, Path root) {
    this.proxy = proxy;
    this.context = context;
    this.root = root;
    this.endpoint = "http://127.0.0.1:" + proxy.getPort();
  }

  /** Starts a server on a free port, keeping its buckets under {@code root}. */
  public static S3Server start(Path root) throws Exception {
    Files.createDirectories(root);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", root.toString());
    BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
        .credentials(ACCESS_KEY, SECRET_KEY)
        .overrides(properties)
        .buildView(BlobStoreContext.class);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        // The SDK sends the checksum headers S3 takes (a bulk delete's x-amz-checksum-*), which
        // S3Proxy would refuse as not implemented; it checks the signature over them all the same.
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    return new S3Server(proxy, context, root);
  }

  public String endpoint() {
    return endpoint;
  }

  /** Makes an empty bucket and returns its {@code s3a://} root. */
  public String createBucket(String bucket) throws IOException {
    Files.createDirectories(root.resolve(bucket));
    return "s3a://" + bucket;
  }

  /** The file that holds {@code key} of {@code bucket}. */
  public Path objectFile(String bucket, String key) {
    return root.resolve(bucket).resolve(key);
  }

  /** The S3A settings that reach {@code bucket} on this server with {@code secretKey}. */
  public Map<String, String> bucketSettings(String bucket, String secretKey) {
    return bucketSettings(bucket, endpoint, secretKey);
  }

  /** The S3A settings that reach {@code bucket} at {@code endpoint}, signed with the test key. */
  public static Map<String, String> bucketSettings(String bucket, String endpoint, String secretKey) {
    String prefix = "fs.s3a.bucket." + bucket + ".";
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(prefix + "endpoint", endpoint);
    settings.put(prefix + "endpoint.region", "us-east-1");
    settings.put(prefix + "path.style.access", "true");
    settings.put(prefix + "connection.ssl.enabled", "false");
    settings.put(prefix + "access.key", ACCESS_KEY);
    settings.put(prefix + "secret.key", secretKey);
    // S3Proxy answers a bulk delete only after a wait of seconds: one request per object, as
    // for a store without bulk deletes, keeps a table commit to a fraction of a second.
    settings.put(prefix + "multiobjectdelete.enable", "false");
    settings.putAll(shippedSettings(bucket));
    return settings;
  }

  /**
   * The {@code fs.s3a.*} settings that {@code conf/spark-defaults.conf} gives every run (retries
   * and time-outs), scoped to {@code bucket}: tests see the bounds users get.
   */
  public static Map<String, String> shippedSettings(String bucket) {
    Map<String, String> settings = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("conf", "spark-defaults.conf"))) {
        String[] keyValue = line.strip().split("\\s+", 2);
        if (keyValue.length == 2 && keyValue[0].startsWith("spark.hadoop.fs.s3a.")) {
          String key = keyValue[0].substring("spark.hadoop.fs.s3a.".length());
          settings.put("fs.s3a.bucket." + bucket + "." + key, keyValue[1]);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return settings;
  }

  /** Points {@code bucket} at this server in {@code conf}, with the right key pair. */
  public void configure(Configuration conf, String bucket) {
    bucketSettings(bucket, SECRET_KEY).forEach(conf::set);
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }
}
