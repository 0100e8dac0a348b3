package dev.cachet.cli.simulate;

import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The compressions a trace file may be in, recognized by the magic bytes its content starts
 * with, never by its name: traces get renamed, and a name can lie.
 *
 * <p>gzip is the JDK's. xz, zstd and bzip2 come from libraries (org.tukaani:xz,
 * com.github.luben:zstd-jni, org.apache.commons:commons-compress) that a trimmed class path, or
 * for zstd a platform without its native library, may lack; each is opened through a nested
 * class of its own, so a missing library fails only the files that need it, with
 * {@link CodecUnavailableException}, and gzip and plain files still read.
 */
public enum Compression {
  /** Not compressed. */
  NONE("plain", "", new byte[0], "", in -> in),
  /** gzip (RFC 1952), concatenated members included. */
  GZIP("gzip", ".gz", new byte[] {0x1f, (byte) 0x8b}, "the JDK", in -> Gzip.open(in)),
  /** xz (the .xz container of LZMA2), concatenated streams included. */
  XZ("xz", ".xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0x00}, "org.tukaani:xz",
      in -> Xz.open(in)),
  /** Zstandard, any number of frames. */
  ZSTD("zstd", ".zst", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd},
      "com.github.luben:zstd-jni", in -> Zstd.open(in)),
  /** bzip2, concatenated streams included (as pbzip2 writes them). */
  BZIP2("bzip2", ".bz2", new byte[] {'B', 'Z', 'h'}, "org.apache.commons:commons-compress",
      in -> Bzip2.open(in));

  /** How many leading bytes {@link #detect} needs to see. */
  public static final int MAGIC_LENGTH = 6;

  private final String displayName;
  private final String suffix;
  private final byte[] magic;
  private final String library;
  private final Opener opener;

  Compression(String displayName, String suffix, byte[] magic, String library, Opener opener) {
    this.displayName = displayName;
    this.suffix = suffix;
    this.magic = magic;
    this.library = library;
    this.opener = opener;
  }

  /** The compression's usual name, such as {@code "xz"}. */
  public String displayName() {
    return displayName;
  }

  /** The file-name suffix files in this compression usually carry, such as {@code ".xz"}. */
  public String suffix() {
    return suffix;
  }

  /**
   * The compression whose magic bytes {@code head} starts with, or {@link #NONE}.
   *
   * @param head the file's first bytes, up to {@link #MAGIC_LENGTH} of them (fewer when the
   *     file is shorter)
   */
  public static Compression detect(byte[] head) {
    for (Compression c : values()) {
      if (c != NONE && head.length >= c.magic.length
          && Arrays.equals(head, 0, c.magic.length, c.magic, 0, c.magic.length)) {
        // bzip2's "BZh" is followed by the block size, '1' to '9'; plain text may start "BZh".
        if (c != BZIP2 || (head.length > 3 && head[3] >= '1' && head[3] <= '9')) {
          return c;
        }
      }
    }
    return NONE;
  }

  /** The compression whose usual suffix {@code fileName} ends with, or {@link #NONE}. */
  public static Compression bySuffix(String fileName) {
    for (Compression c : values()) {
      if (c != NONE && fileName.endsWith(c.suffix)) {
        return c;
      }
    }
    return NONE;
  }

  /**
   * A stream of {@code in}'s decompressed content.
   *
   * @throws IOException when the compressed data's header is corrupt
   * @throws CodecUnavailableException when this compression's library is missing or cannot load
   */
  public InputStream open(InputStream in) throws IOException {
    try {
      return opener.open(in);
    } catch (LinkageError e) {
      // NoClassDefFoundError for a missing jar; UnsatisfiedLinkError (or the error of a failed
      // static initializer) when zstd-jni has no native library for this platform.
      throw new CodecUnavailableException(this, library, e);
    }
  }

  @FunctionalInterface
  private interface Opener {
    InputStream open(InputStream in) throws IOException;
  }

  // One class per library: the JVM loads and links each only when a file needs it.

  private static final class Gzip {
    static InputStream open(InputStream in) throws IOException {
      return new GZIPInputStream(in, 1 << 16);
    }
  }

  private static final class Xz {
    static InputStream open(InputStream in) throws IOException {
      return new XZInputStream(in);
    }
  }

  private static final class Zstd {
    static InputStream open(InputStream in) throws IOException {
      return new ZstdInputStream(in);
    }
  }

  private static final class Bzip2 {
    static InputStream open(InputStream in) throws IOException {
      return new BZip2CompressorInputStream(in, true);
    }
  }
}
