package dev.tripbeam.tests;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server on 127.0.0.1 (S3Proxy over a jclouds file-system blob store, so the lake is also visible on disk),
 * with AWS v2/v4 request signing and its own access key. Tests start it in-process; {@link #main} starts one for a
 * person to try the lake (see the README).
 */
public final class LocalS3 implements AutoCloseable {
  public static final String ACCESS_KEY = "tripbeam-local";
  public static final String SECRET_KEY = "tripbeam-local-secret-7f3c";
  public static final String REGION = "us-east-1";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final S3Client client;
  private final URI endpoint;

  private LocalS3(Path directory, int port) throws Exception {
    Files.createDirectories(directory);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
    context =
        ContextBuilder.newBuilder("filesystem")
            .credentials("identity", "credential")
            .overrides(properties)
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(20);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    client =
        S3Client.builder()
            .endpointOverride(endpoint)
            .forcePathStyle(true)
            .region(Region.of(REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
  }

  /** Starts a server on a free loopback port, storing its buckets under {@code directory}. */
  public static LocalS3 start(Path directory) throws Exception {
    return new LocalS3(directory, 0);
  }

  public URI endpoint() {
    return endpoint;
  }

  public S3Client client() {
    return client;
  }

  public void createBucket(String bucket) {
    client.createBucket(b -> b.bucket(bucket));
  }

  public void put(String bucket, String key, byte[] content) {
    client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
  }

  public void put(String bucket, String key, Path file) {
    client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
  }

  /** Object keys under a prefix, sorted (without the folder markers the file-system store lists). */
  public List<String> keys(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
      if (!o.key().endsWith("/")) {
        keys.add(o.key());
      }
    }
    keys.sort(String::compareTo);
    return keys;
  }

  public byte[] get(String bucket, String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  /** Downloads every object under {@code prefix} into {@code target} (keeping the key paths below the prefix). */
  public void download(String bucket, String prefix, Path target) throws IOException {
    for (String key : keys(bucket, prefix)) {
      Path file = target.resolve(key.substring(prefix.length()));
      Files.createDirectories(file.getParent());
      Files.write(file, get(bucket, key));
    }
  }

  /**
   * The JVM flags and pipeline options a tripbeam process needs to use this server: credentials through the
   * standard provider chain (system properties), endpoint, region and path-style access as options.
   */
  public List<String> credentialFlags() {
    return List.of("-Daws.accessKeyId=" + ACCESS_KEY, "-Daws.secretAccessKey=" + SECRET_KEY);
  }

  public List<String> pipelineOptions() {
    return List.of("--endpoint=" + endpoint, "--awsRegion=" + REGION, "--s3PathStyleAccess=true");
  }

  @Override
  public void close() throws Exception {
    client.close();
    proxy.stop();
    context.close();
  }

  /**
   * Starts a server for a person: {@code LocalS3 <port> <directory> [bucket seed-dir]} creates the bucket and
   * uploads the seed directory's trip files under {@code raw/}, then serves until the process is stopped.
   */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    LocalS3 s3 = new LocalS3(Path.of(args[1]), port);
    if (args.length >= 4) {
      String bucket = args[2];
      if (s3.client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
        s3.createBucket(bucket);
      }
      try (Stream<Path> files = Files.list(Path.of(args[3]))) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          String name = f.getFileName().toString();
          if (!name.endsWith(".md") && !name.startsWith("taxi_zone")) {
            s3.put(bucket, "raw/" + f.getFileName(), f);
          }
        }
      }
      System.out.println("local S3: bucket " + bucket + " seeded with " + args[3] + " under raw/");
    }
    System.out.println("local S3 listening on " + s3.endpoint() + " (access key " + ACCESS_KEY + ")");
    Thread.currentThread().join();
  }
}
