package dev.cachet.cli.simulate;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads trace files in any {@link TraceFormat}, compressed or not: the compression
 * ({@link Compression}: gzip, xz, zstd, bzip2) is recognized by the file's first bytes.
 *
 * <p>Every failure is a {@link TraceException} whose message names the file, and the line or
 * byte offset when one place is at fault, says what was expected and, where it can, what to do,
 * so the command can show it as is.
 */
public final class TraceReader {
  private TraceReader() {
  }

  /**
   * Reads the whole LIRS-format trace at {@code file}, named after the file.
   *
   * @throws TraceException when the file is missing, unreadable, corrupt, holds a line that is
   *     not a key, or holds no key at all
   */
  public static Trace read(Path file) throws TraceException {
    return read(file, TraceFormat.LIRS);
  }

  /**
   * Reads the whole trace at {@code file} in {@code format}, named after the file.
   *
   * @throws TraceException when the file is missing, unreadable, compressed with a codec that
   *     is corrupt or unavailable, not in {@code format}, or holds no key at all
   */
  public static Trace read(Path file, TraceFormat format) throws TraceException {
    String shown = file.toString();
    if (Files.isDirectory(file)) {
      throw new TraceException(shown, 0,
          "cannot read trace " + shown + ": it is a directory, not a trace file", null);
    }
    Compression compression = Compression.NONE;
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      compression = Compression.detect(peek(raw));
      refuseMisleadingName(shown, fileName(file), compression);
      InputStream in = compression == Compression.NONE ? raw
          : new BufferedInputStream(compression.open(raw), 1 << 16);
      KeyBuffer keys = new KeyBuffer(shown);
      format.parser().parse(shown, in, keys);
      if (keys.size() == 0) {
        throw new TraceException(shown, 0, "trace " + shown + " holds no keys", null);
      }
      return new Trace(fileName(file), keys.toArray());
    } catch (NoSuchFileException e) {
      throw new TraceException(shown, 0, "cannot read trace " + shown + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new TraceException(shown, 0, "cannot read trace " + shown + ": permission denied", e);
    } catch (CodecUnavailableException e) {
      throw new TraceException(shown, 0, "cannot read trace " + shown + ": it is "
          + compression.displayName() + "-compressed, but " + e.getMessage() + ". Decompress it"
          + " first (" + decompressCommand(compression, shown) + ") and pass the result", e);
    } catch (IOException e) {
      if (compression != Compression.NONE) {
        // Past the open, a read fails on the data far more often than on the disk.
        throw new TraceException(shown, 0, "cannot read trace " + shown + ": the "
            + compression.displayName() + " data is corrupt or truncated (" + describe(e) + ")",
            e);
      }
      throw new TraceException(shown, 0, "cannot read trace " + shown + ": " + e, e);
    }
  }

  private static byte[] peek(InputStream in) throws IOException {
    in.mark(Compression.MAGIC_LENGTH);
    byte[] head = in.readNBytes(Compression.MAGIC_LENGTH);
    in.reset();
    return head;
  }

  /**
   * A file named {@code .gz} (or {@code .xz}, ...) whose content is not so compressed is most
   * often a failed download or a wrong file: say so rather than parse it.
   */
  private static void refuseMisleadingName(String shown, String name, Compression actual)
      throws TraceException {
    Compression named = Compression.bySuffix(name);
    if (named != Compression.NONE && named != actual) {
      String is = actual == Compression.NONE ? "it is not compressed"
          : "its content is " + actual.displayName() + "-compressed";
      throw new TraceException(shown, 0, "cannot read trace " + shown + ": its name ends in "
          + named.suffix() + " but it is not " + named.displayName() + "-compressed (" + is
          + "); rename it to match its content", null);
    }
  }

  private static String decompressCommand(Compression compression, String shown) {
    return switch (compression) {
      case XZ -> "xz -dk " + shown;
      case ZSTD -> "zstd -d " + shown;
      case BZIP2 -> "bzip2 -dk " + shown;
      default -> "gzip -dk " + shown;
    };
  }

  private static String describe(IOException e) {
    if (e.getMessage() != null) {
      return e.getMessage();
    }
    return e instanceof EOFException ? "the data ends early" : e.getClass().getSimpleName();
  }

  private static String fileName(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }
}
