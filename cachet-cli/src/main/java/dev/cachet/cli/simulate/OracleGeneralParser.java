package dev.cachet.cli.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;

/**
 * libCacheSim's oracleGeneral binary format, in which the cacheMon datasets (Twitter, Meta,
 * Wikipedia, CloudPhysics and others) are published: 24-byte little-endian records, no header:
 *
 * <pre>
 * offset  0  uint32  timestamp (seconds)
 * offset  4  uint64  object id        (the key)
 * offset 12  uint32  object size in bytes
 * offset 16  int64   virtual time of the next access to the object, -1 if none
 * </pre>
 *
 * <p>Only the object id is kept: the simulator counts entries, not bytes, and computes future
 * accesses itself (for OPT). Object ids are unsigned 64-bit; read as {@code long}, the largest
 * wrap to negative numbers, which is still one distinct key per id.
 */
final class OracleGeneralParser implements TraceParser {
  /** Where the object id starts in a record: after the 4-byte timestamp. */
  private static final int OBJECT_ID = 4;

  @Override
  public void parse(String shown, InputStream in, KeyBuffer keys)
      throws TraceException, IOException {
    FixedRecords.read(shown, in, keys, TraceFormat.ORACLE_GENERAL, 24,
        "24-byte little-endian records (uint32 timestamp, uint64 object id,"
            + " uint32 object size, int64 next access time)",
        ByteOrder.LITTLE_ENDIAN, (buffer, at) -> buffer.getLong(at + OBJECT_ID));
  }
}
