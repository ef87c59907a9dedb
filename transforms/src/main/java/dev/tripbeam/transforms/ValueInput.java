package dev.tripbeam.transforms;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of one encoded value, read with the reads of a data stream straight from the buffer: a {@code long} is
 * eight array reads, not a copy through {@code DataInputStream.readFully} and the stream under it.
 */
final class ValueInput extends InputStream implements DataInput {
  private byte[] buf = new byte[256];
  private int pos;
  private int count;

  /** Takes the next {@code length} bytes of {@code from} as the value to read. */
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

  private int take(int n) throws EOFException {
    if (count - pos < n) {
      throw new EOFException("value cut short: " + n + " bytes wanted, " + (count - pos) + " left");
    }
    int at = pos;
    pos += n;
    return at;
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

  @Override
  public void readFully(byte[] b) throws IOException {
    readFully(b, 0, b.length);
  }

  @Override
  public void readFully(byte[] b, int off, int len) throws IOException {
    System.arraycopy(buf, take(len), b, off, len);
  }

  @Override
  public int skipBytes(int n) {
    int skipped = Math.max(0, Math.min(n, count - pos));
    pos += skipped;
    return skipped;
  }

  @Override
  public boolean readBoolean() throws IOException {
    return buf[take(1)] != 0;
  }

  @Override
  public byte readByte() throws IOException {
    return buf[take(1)];
  }

  @Override
  public int readUnsignedByte() throws IOException {
    return buf[take(1)] & 0xFF;
  }

  @Override
  public short readShort() throws IOException {
    return (short) readUnsignedShort();
  }

  @Override
  public int readUnsignedShort() throws IOException {
    int at = take(2);
    return (buf[at] & 0xFF) << 8 | (buf[at + 1] & 0xFF);
  }

  @Override
  public char readChar() throws IOException {
    return (char) readUnsignedShort();
  }

  @Override
  public int readInt() throws IOException {
    return intAt(take(4));
  }

  private int intAt(int at) {
    return (buf[at] & 0xFF) << 24 | (buf[at + 1] & 0xFF) << 16 | (buf[at + 2] & 0xFF) << 8 | (buf[at + 3] & 0xFF);
  }

  @Override
  public long readLong() throws IOException {
    int at = take(8);
    return (long) intAt(at) << 32 | (intAt(at + 4) & 0xFFFFFFFFL);
  }

  @Override
  public float readFloat() throws IOException {
    return Float.intBitsToFloat(readInt());
  }

  @Override
  public double readDouble() throws IOException {
    return Double.longBitsToDouble(readLong());
  }

  @Override
  public String readLine() {
    throw new UnsupportedOperationException("values hold no lines");
  }

  @Override
  public String readUTF() throws IOException {
    return DataInputStream.readUTF(this);
  }
}
