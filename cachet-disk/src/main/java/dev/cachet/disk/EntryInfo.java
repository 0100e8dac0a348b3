package dev.cachet.disk;

import java.util.List;

/**
 * One stored entry as {@link DiskStore#entries} describes it, for inspection tools. The header
 * fields come from decoding the frame; when it does not decode they are null and
 * {@code problem} says why.
 *
 * @param namespace the entry's namespace
 * @param digest the entry's key digest
 * @param size the frame's size in bytes, as recorded in the row
 * @param createdMillis when the entry was written, epoch milliseconds
 * @param accessedMillis the last recorded read (or the write), epoch milliseconds
 * @param expiresMillis when it expires, epoch milliseconds, or 0 for never
 * @param accessCount recorded reads plus one for the write
 * @param tags the entry's tags
 * @param sideFile the side file's name under {@code files/}, or null if stored inline
 * @param codecId the codec id from the frame header, or null if the frame is unreadable
 * @param typeFingerprint the type fingerprint from the frame header, or null if unreadable
 * @param payloadLength the payload's size in bytes, or -1 if the frame is unreadable
 * @param problem why the frame could not be read, or null
 */
public record EntryInfo(String namespace, String digest, long size, long createdMillis,
    long accessedMillis, long expiresMillis, long accessCount, List<String> tags,
    String sideFile, String codecId, String typeFingerprint, long payloadLength,
    String problem) {

  /**
   * Copies the tags.
   *
   * @param namespace the entry's namespace
   * @param digest the entry's key digest
   * @param size the frame size in bytes
   * @param createdMillis creation time, epoch milliseconds
   * @param accessedMillis last recorded access, epoch milliseconds
   * @param expiresMillis expiry, epoch milliseconds, or 0 for never
   * @param accessCount the write plus recorded reads
   * @param tags the tags; copied
   * @param sideFile the side file name, or null if inline
   * @param codecId the frame's codec id, or null if unreadable
   * @param typeFingerprint the frame's type fingerprint, or null if unreadable
   * @param payloadLength the payload size, or -1 if unreadable
   * @param problem why the frame is unreadable, or null
   */
  public EntryInfo {
    tags = List.copyOf(tags);
  }

  /**
   * Whether the frame is kept in the database row rather than in a side file.
   *
   * @return true if inline
   */
  public boolean inline() {
    return sideFile == null;
  }
}
