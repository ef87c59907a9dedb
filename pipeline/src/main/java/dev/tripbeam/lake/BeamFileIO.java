package dev.tripbeam.lake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * Iceberg's file access through Beam's file systems: the catalog's metadata, manifests and the data files' footers live
 * wherever the lake does ({@code s3://} through Beam's S3 file system with the run's credentials and endpoint, local
 * paths). Needs {@code FileSystems.setDefaultPipelineOptions} to have run, as it has in every tripbeam run. Catalog
 * property {@code io-impl} names this class.
 */
public final class BeamFileIO implements FileIO {
  private static final long serialVersionUID = 1L;

  @Override
  public InputFile newInputFile(String location) {
    return new In(location, -1);
  }

  @Override
  public InputFile newInputFile(String location, long length) {
    return new In(location, length);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new Out(location);
  }

  @Override
  public void deleteFile(String location) {
    try {
      LakeFiles.delete(List.of(location));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + location, e);
    }
  }

  /** The file's metadata, or null when it does not exist. */
  static MatchResult.Metadata metadata(String location) {
    try {
      return LakeFiles.metadata(location);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class In implements InputFile {
    private final String location;
    private long length;

    In(String location, long length) {
      this.location = location;
      this.length = length;
    }

    @Override
    public long getLength() {
      if (length < 0) {
        MatchResult.Metadata m = metadata(location);
        if (m == null) {
          throw new NotFoundException("no file at %s", location);
        }
        length = m.sizeBytes();
      }
      return length;
    }

    @Override
    public SeekableInputStream newStream() {
      try {
        ReadableByteChannel channel = FileSystems.open(LakeFiles.resource(location));
        if (!(channel instanceof SeekableByteChannel seekable)) {
          channel.close();
          throw new IOException("the file system of " + location + " cannot seek");
        }
        return new SeekableChannelStream(seekable);
      } catch (java.io.FileNotFoundException e) {
        throw new NotFoundException(e, "no file at %s", location);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open " + location, e);
      }
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public boolean exists() {
      return metadata(location) != null;
    }
  }

  private static final class Out implements OutputFile {
    private final String location;

    Out(String location) {
      this.location = location;
    }

    @Override
    public PositionOutputStream create() {
      if (metadata(location) != null) {
        throw new AlreadyExistsException("a file exists at %s", location);
      }
      return createOrOverwrite();
    }

    @Override
    public PositionOutputStream createOrOverwrite() {
      try {
        WritableByteChannel channel = FileSystems.create(LakeFiles.resource(location), "application/octet-stream");
        return new ChannelPositionStream(channel);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + location, e);
      }
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public InputFile toInputFile() {
      return new In(location, -1);
    }
  }

  /** An input stream over a seekable channel: reads through {@link Channels#newInputStream}, seeks the channel. */
  private static final class SeekableChannelStream extends SeekableInputStream {
    private final SeekableByteChannel channel;
    private final InputStream in;

    SeekableChannelStream(SeekableByteChannel channel) {
      this.channel = channel;
      this.in = Channels.newInputStream(channel);
    }

    @Override
    public long getPos() throws IOException {
      return channel.position();
    }

    @Override
    public void seek(long position) throws IOException {
      channel.position(position);
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /**
   * An output stream over a channel that counts its position, closed once: Iceberg closes a metadata file's stream
   * twice (its writer, then the stream itself), and a second close of Beam's S3 channel completes the finished
   * multipart upload again, which S3 refuses (404 NoSuchUpload/NoSuchKey).
   */
  private static final class ChannelPositionStream extends PositionOutputStream {
    private final java.io.OutputStream out;
    private long position;
    private boolean closed;

    ChannelPositionStream(WritableByteChannel channel) {
      this.out = Channels.newOutputStream(channel);
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      position += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        out.close();
      }
    }
  }
}
