package dev.tripbeam.transforms;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A coder that writes and reads through data streams. A value is written into a buffer of the thread and goes out
 * as its length and one block of bytes, and is read back from one block: a runner's stream sees two calls per value,
 * not one per field and byte (on Flink each is a call through Beam's stream wrapper).
 */
abstract class DataCoder<T> extends StatelessCoder<T> {
  private static final long serialVersionUID = 1L;
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  abstract void write(T value, DataOutputStream out) throws IOException;

  abstract T read(DataInputStream in) throws IOException;

  @Override
  public final void encode(T value, OutputStream os) throws IOException {
    Scratch scratch = Scratch.take();
    try {
      scratch.output.reset();
      write(value, scratch.data);
      VarInt.encode(scratch.output.size(), os);
      scratch.output.writeTo(os);
    } finally {
      scratch.busy = false;
    }
  }

  @Override
  public final T decode(InputStream is) throws IOException {
    int length = VarInt.decodeInt(is);
    Scratch scratch = Scratch.take();
    try {
      scratch.input.fill(is, length);
      return read(scratch.dataIn);
    } finally {
      scratch.busy = false;
    }
  }

  /** A thread's buffers; a coder that runs inside another one's {@link #encode} gets buffers of its own. */
  private static final class Scratch {
    final Output output = new Output();
    final DataOutputStream data = new DataOutputStream(output);
    final Input input = new Input();
    final DataInputStream dataIn = new DataInputStream(input);
    boolean busy;

    static Scratch take() {
      Scratch scratch = SCRATCH.get();
      if (scratch.busy) {
        scratch = new Scratch();
      }
      scratch.busy = true;
      return scratch;
    }
  }

  /** A growable byte buffer without the locks of {@code ByteArrayOutputStream}. */
  private static final class Output extends OutputStream {
    private byte[] buf = new byte[256];
    private int count;

    void reset() {
      count = 0;
    }

    int size() {
      return count;
    }

    void writeTo(OutputStream out) throws IOException {
      out.write(buf, 0, count);
    }

    private void ensure(int more) {
      if (count + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(count + more, buf.length * 2));
      }
    }

    @Override
    public void write(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }
  }

  /** One value's bytes, read without the locks of {@code ByteArrayInputStream}. */
  private static final class Input extends InputStream {
    private byte[] buf = new byte[256];
    private int pos;
    private int count;

    void fill(InputStream from, int length) throws IOException {
      if (buf.length < length) {
        buf = new byte[Math.max(length, buf.length * 2)];
      }
      int read = 0;
      while (read < length) {
        int n = from.read(buf, read, length - read);
        if (n < 0) {
          throw new EOFException("value cut short: " + read + " of " + length + " bytes");
        }
        read += n;
      }
      pos = 0;
      count = length;
    }

    @Override
    public int read() {
      return pos < count ? buf[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= count) {
        return -1;
      }
      int n = Math.min(len, count - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return count - pos;
    }
  }

  static void writeString(DataOutputStream out, @Nullable String s) throws IOException {
    if (s == null) {
      VarInt.encode(0, out);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    VarInt.encode(bytes.length + 1, out);
    out.write(bytes);
  }

  static @Nullable String readString(DataInputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n == 0) {
      return null;
    }
    byte[] bytes = new byte[n - 1];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static void writeInt(DataOutputStream out, @Nullable Integer v) throws IOException {
    out.writeBoolean(v != null);
    if (v != null) {
      VarInt.encode(v, out);
    }
  }

  static @Nullable Integer readInt(DataInputStream in) throws IOException {
    return in.readBoolean() ? VarInt.decodeInt(in) : null;
  }
}
