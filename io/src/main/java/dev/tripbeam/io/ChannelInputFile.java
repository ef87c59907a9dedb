package dev.tripbeam.io;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} over a seekable channel (local, S3 or any Beam file system), named by its path: Parquet's
 * own errors ("... is not a Parquet file") name the file through {@link #toString()}.
 */
final class ChannelInputFile implements InputFile {
  private final SeekableByteChannel channel;
  private final String path;

  ChannelInputFile(SeekableByteChannel channel, String path) {
    this.channel = channel;
    this.path = path;
  }

  @Override
  public String toString() {
    return path;
  }

  @Override
  public long getLength() throws IOException {
    return channel.size();
  }

  @Override
  public SeekableInputStream newStream() {
    return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
      @Override
      public long getPos() throws IOException {
        return channel.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        channel.position(newPos);
      }
    };
  }
}
