package dev.tripbeam.lake;

import dev.tripbeam.io.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/** File operations of the lake's bookkeeping on any Beam file system (local paths, {@code s3://}). */
public final class LakeFiles {
  private LakeFiles() {}

  /** The files a glob matches (none when nothing matches), without directories and S3 folder markers. */
  public static List<MatchResult.Metadata> list(String glob) throws IOException {
    MatchResult match = match(glob);
    List<MatchResult.Metadata> files = new ArrayList<>();
    if (match.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata m : match.metadata()) {
        if (!m.resourceId().isDirectory() && !m.resourceId().toString().endsWith("/")) {
          files.add(m);
        }
      }
    }
    files.sort(Comparator.comparing(m -> m.resourceId().toString()));
    return files;
  }

  public static List<String> paths(String glob) throws IOException {
    List<String> paths = new ArrayList<>();
    list(glob).forEach(m -> paths.add(m.resourceId().toString()));
    return paths;
  }

  /** The metadata of the file at {@code path}, or null when there is none; a failed lookup is an error. */
  static MatchResult.Metadata metadata(String path) throws IOException {
    MatchResult match = match(path);
    return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty() ? match.metadata().get(0) : null;
  }

  public static boolean exists(String path) throws IOException {
    MatchResult match = match(path);
    return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
  }

  /**
   * Matches {@code spec}; only "not found" means absent. A match the file system could not make (S3 answering 403
   * Access Denied, a throttled or broken connection) is an error: taking it for an empty lake would reprocess or
   * overwrite what is there.
   */
  private static MatchResult match(String spec) throws IOException {
    MatchResult match = FileSystems.match(spec, EmptyMatchTreatment.ALLOW);
    if (match.status() == MatchResult.Status.ERROR) {
      try {
        match.metadata();
      } catch (IOException e) {
        throw new IOException("cannot list " + spec + ": " + Messages.firstLine(Messages.rootCause(e), ""), e);
      }
      throw new IOException("cannot list " + spec);
    }
    return match;
  }

  public static String read(String path) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource(path)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public static void write(String path, String text) throws IOException {
    String type = path.endsWith(".json") ? "application/json" : "text/plain";
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(resource(path), type))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Copies each of {@code from} to the same place in {@code to}, in one call of the file system. */
  public static void copy(List<String> from, List<String> to) throws IOException {
    if (from.isEmpty()) {
      return;
    }
    List<ResourceId> sources = new ArrayList<>();
    List<ResourceId> targets = new ArrayList<>();
    from.forEach(p -> sources.add(resource(p)));
    to.forEach(p -> targets.add(resource(p)));
    FileSystems.copy(sources, targets);
  }

  public static void delete(Collection<String> paths) throws IOException {
    List<ResourceId> ids = new ArrayList<>();
    paths.forEach(p -> ids.add(resource(p)));
    FileSystems.delete(ids, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /** Deletes every file under {@code dir}, and on the local file system the directories too. */
  public static void deleteTree(String dir) throws IOException {
    delete(paths(dir + "/**"));
    if (!dir.contains("://") && Files.isDirectory(Path.of(dir))) {
      try (Stream<Path> tree = Files.walk(Path.of(dir))) {
        for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The file system's checksum (the ETag on S3), else a CRC32C of the content. */
  public static String checksum(MatchResult.Metadata file) throws IOException {
    if (file.checksum() != null && !file.checksum().isBlank()) {
      return file.checksum();
    }
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    try (ReadableByteChannel in = FileSystems.open(file.resourceId())) {
      while (in.read(buffer) >= 0) {
        buffer.flip();
        crc.update(buffer);
        buffer.clear();
      }
    }
    return String.format("crc32c:%08x", crc.getValue());
  }

  static ResourceId resource(String path) {
    return FileSystems.matchNewResource(path, false);
  }
}
