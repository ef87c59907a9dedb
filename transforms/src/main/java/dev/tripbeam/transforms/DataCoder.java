package dev.tripbeam.transforms;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A coder that writes and reads through data streams. A value is written into a buffer of the thread and goes out
 * as its length and one block of bytes, and is read back from one block ({@link ValueInput}): a runner's stream sees
 * two calls per value, not one per field and byte (on Flink each is a call through Beam's stream wrapper).
 */
abstract class DataCoder<T> extends StatelessCoder<T> {
  private static final long serialVersionUID = 1L;
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  abstract void write(T value, DataOutputStream out) throws IOException;

  abstract T read(ValueInput in) throws IOException;

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
      return read(scratch.input);
    } finally {
      scratch.busy = false;
    }
  }

  /** A thread's buffers; a coder that runs inside another one's {@link #encode} gets buffers of its own. */
  private static final class Scratch {
    final Output output = new Output();
    final DataOutputStream data = new UnlockedDataOutput(output);
    final ValueInput input = new ValueInput();
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

  /**
   * A data stream whose byte writes take no lock: {@code DataOutputStream.write} is synchronized, and every varint of a
   * value goes through it a byte at a time (with its caller, 10% of a 5M batch run's CPU samples).
   */
  private static final class UnlockedDataOutput extends DataOutputStream {
    UnlockedDataOutput(Output output) {
      super(output);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      written += len;
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

  static void writeString(DataOutputStream out, @Nullable String s) throws IOException {
    if (s == null) {
      VarInt.encode(0, out);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    VarInt.encode(bytes.length + 1, out);
    out.write(bytes);
  }

  static @Nullable String readString(ValueInput in) throws IOException {
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

  static @Nullable Integer readInt(ValueInput in) throws IOException {
    return in.readBoolean() ? VarInt.decodeInt(in) : null;
  }
}
