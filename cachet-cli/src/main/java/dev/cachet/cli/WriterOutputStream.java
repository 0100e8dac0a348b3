package dev.cachet.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes the bytes written to it and writes the characters to a {@link Writer}. A character
 * split across two writes is kept until its last byte arrives. Closing it flushes the writer
 * but leaves it open: the writer belongs to the command line.
 */
final class WriterOutputStream extends OutputStream {
  private final Writer writer;
  private final CharsetDecoder decoder;
  private final ByteBuffer pending = ByteBuffer.allocate(256);
  private final CharBuffer chars = CharBuffer.allocate(256);
  private boolean closed;

  WriterOutputStream(Writer writer, Charset charset) {
    this.writer = writer;
    this.decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int i = off;
    int end = off + len;
    while (i < end) {
      int n = Math.min(pending.remaining(), end - i);
      pending.put(b, i, n);
      i += n;
      drain(false);
    }
  }

  private void drain(boolean endOfInput) throws IOException {
    pending.flip();
    while (true) {
      CoderResult result = decoder.decode(pending, chars, endOfInput);
      chars.flip();
      writer.append(chars);
      chars.clear();
      if (!result.isOverflow()) {
        break;
      }
    }
    // Keeps the bytes of an incomplete character for the next write.
    pending.compact();
  }

  @Override
  public void flush() throws IOException {
    writer.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    drain(true);
    decoder.flush(chars);
    chars.flip();
    writer.append(chars);
    chars.clear();
    writer.flush();
  }
}
