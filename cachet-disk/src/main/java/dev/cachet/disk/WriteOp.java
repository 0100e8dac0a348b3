package dev.cachet.disk;

import java.sql.SQLException;

/**
 * One change to run inside a group commit. {@code done}, {@code result} and {@code failed}
 * are set by the committing thread under {@link WriterConnection#lock}, which the owner takes
 * before reading them.
 */
abstract class WriteOp {
  boolean done;
  long result;
  /** A programming error (not the store's trouble) to rethrow to the caller. */
  RuntimeException error;

  /** The operation's name for failure counts and logs. */
  abstract String name();

  /** Runs inside the batch's transaction; returns the caller's result. */
  abstract long apply(Batch batch) throws SQLException;

  /** Runs after the batch committed (files, logs). */
  void committed(Batch batch) {
  }

  /** Runs when the operation did not commit (the store's own trouble). */
  void failed() {
  }

  /** Whether it stores entries, after which the transaction sweeps and evicts. */
  boolean stores() {
    return false;
  }
}
