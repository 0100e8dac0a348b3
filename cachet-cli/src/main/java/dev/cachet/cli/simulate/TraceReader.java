package dev.cachet.cli.simulate;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads traces in the LIRS text format: one decimal integer key per line, where a line holding
 * only {@code *} (a breakpoint marker) and blank lines are skipped. Files are gunzipped when their
 * name ends in {@code .gz} or their content starts with the gzip magic number.
 *
 * <p>Every failure is a {@link TraceException} whose message names the file, and the line when
 * one line is at fault, so the command can show it as is.
 */
public final class TraceReader {
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;
  /** Long enough to recognize a bad line, short enough not to flood the terminal with binary. */
  private static final int MAX_SHOWN = 40;

  private TraceReader() {
  }

  /**
   * Reads the whole trace at {@code file}, named after the file.
   *
   * @throws TraceException when the file is missing, unreadable, corrupt, holds a line that is
   *     not a key, or holds no key at all
   */
  public static Trace read(Path file) throws TraceException {
    String shown = file.toString();
    if (Files.isDirectory(file)) {
      throw new TraceException(shown, 0,
          "cannot read trace " + shown + ": it is a directory, not a trace file", null);
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      boolean gzip = startsWithGzipMagic(raw);
      if (!gzip && shown.endsWith(".gz")) {
        throw new TraceException(shown, 0, "cannot read trace " + shown + ": its name ends in .gz"
            + " but it is not gzip-compressed (rename it without .gz if it is plain text)", null);
      }
      InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
      Trace trace = parse(shown, fileName(file), in);
      if (trace.accesses() == 0) {
        throw new TraceException(shown, 0, "trace " + shown + " holds no keys", null);
      }
      return trace;
    } catch (NoSuchFileException e) {
      throw new TraceException(shown, 0, "cannot read trace " + shown + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new TraceException(shown, 0, "cannot read trace " + shown + ": permission denied", e);
    } catch (ZipException | EOFException e) {
      throw new TraceException(shown, 0, "cannot read trace " + shown
          + ": the gzip data is corrupt or truncated (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new TraceException(shown, 0, "cannot read trace " + shown + ": " + e, e);
    }
  }

  /**
   * Parses LIRS text from {@code in}, which is read to its end but not closed.
   *
   * @param shown how to name the source in error messages
   * @param name the name of the resulting trace
   * @throws TraceException when a line is not a key
   * @throws IOException when reading fails
   */
  public static Trace parse(String shown, String name, InputStream in)
      throws TraceException, IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    long[] keys = new long[1 << 16];
    int count = 0;
    long lineNumber = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      String text = line.strip();
      if (text.isEmpty() || text.equals("*")) {
        continue;
      }
      long key = parseKey(shown, lineNumber, text);
      if (count == keys.length) {
        keys = Arrays.copyOf(keys, Math.multiplyExact(keys.length, 2));
      }
      keys[count++] = key;
    }
    return new Trace(name, Arrays.copyOf(keys, count));
  }

  private static long parseKey(String shown, long lineNumber, String text) throws TraceException {
    // Long.parseLong alone would also accept '+' and non-ASCII digits; the format has neither.
    int start = text.charAt(0) == '-' ? 1 : 0;
    boolean digits = text.length() > start;
    for (int i = start; i < text.length() && digits; i++) {
      char c = text.charAt(i);
      digits = c >= '0' && c <= '9';
    }
    if (digits) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException tooLarge) {
        throw new TraceException(shown, lineNumber, shown + " line " + lineNumber + ": "
            + quote(text) + " is too large for a key (keys must fit in 64 bits)", null);
      }
    }
    throw new TraceException(shown, lineNumber, shown + " line " + lineNumber + ": "
        + quote(text) + " is not a key (expected a decimal integer, or * for a breakpoint)", null);
  }

  private static String quote(String text) {
    String s = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
    return "\"" + s + "\"";
  }

  private static boolean startsWithGzipMagic(InputStream in) throws IOException {
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == GZIP_MAGIC_1 && b2 == GZIP_MAGIC_2;
  }

  private static String fileName(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }
}
