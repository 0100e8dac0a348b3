package dev.cachet.disk;

import java.lang.System.Logger.Level;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The store's writes, as operations for {@link GroupCommit#submit}: each made here, with what
 * it works on (the entry rows, the drops table, the side files).
 */
final class WriteOps {
  private final StoreContext ctx;
  private final WriterConnection writer;
  private final EntryRows rows;
  private final JournalApplier journals;
  private final SideFiles sideFiles;

  WriteOps(StoreContext ctx, EntryRows rows, JournalApplier journals, SideFiles sideFiles) {
    this.ctx = ctx;
    this.writer = ctx.writer;
    this.rows = rows;
    this.journals = journals;
    this.sideFiles = sideFiles;
  }

  /** Stores an entry; {@code file} is its side file, already written and synced, or null. */
  WriteOp put(String namespace, String digest, byte[] frame, long expires, List<String> tags,
      String file) {
    return new Put(namespace, digest, frame, expires, tags, file);
  }

  /** Removes a key, and remembers the removal for journaled puts made before it. */
  WriteOp remove(String namespace, String digest, String name) {
    return new Remove(namespace, digest, name);
  }

  /** See {@link RemoveIfUnchanged}. */
  WriteOp removeIfUnchanged(String namespace, String digest, ReaderPool.Row row,
      Counter counter, String what, Exception cause) {
    return new RemoveIfUnchanged(namespace, digest, row, counter, what, cause);
  }

  /** See {@link Deletion}. */
  WriteOp deletion(String name, String scope, String select, String delete, Object... args) {
    return new Deletion(name, scope, select, delete, args);
  }

  private final class Put extends WriteOp {
    final String namespace;
    final String digest;
    final byte[] frame;
    final long expires;
    final List<String> tags;
    final String file;

    Put(String namespace, String digest, byte[] frame, long expires, List<String> tags,
        String file) {
      this.namespace = namespace;
      this.digest = digest;
      this.frame = frame;
      this.expires = expires;
      this.tags = tags;
      this.file = file;
    }

    @Override
    String name() {
      return "put";
    }

    @Override
    boolean stores() {
      return true;
    }

    @Override
    long apply(Batch batch) throws SQLException {
      long id = rows.upsert(namespace, digest, frame, expires, tags, file, batch.now, batch.doomed);
      batch.wrote(id);
      batch.counts[Counter.WRITES.ordinal()]++;
      return id;
    }

    @Override
    void failed() {
      sideFiles.deleteSideFile(file);
    }
  }

  private final class Remove extends WriteOp {
    final String namespace;
    final String digest;
    final String name;

    Remove(String namespace, String digest, String name) {
      this.namespace = namespace;
      this.digest = digest;
      this.name = name;
    }

    @Override
    String name() {
      return name;
    }

    @Override
    long apply(Batch batch) throws SQLException {
      journals.recordDrop("k:" + namespace + "\n" + digest);
      return rows.deleteKey(namespace, digest, batch.doomed);
    }
  }

  /**
   * Deletes a row found expired or damaged, unless it was replaced meanwhile (as far as its
   * expiry and side file tell: a replacement usually changes one of them, and deleting one that
   * did not costs a miss, never a wrong value).
   */
  private final class RemoveIfUnchanged extends WriteOp {
    final String namespace;
    final String digest;
    final long expires;
    final String file;
    final Counter counter;
    final String what;
    final Exception cause;

    RemoveIfUnchanged(String namespace, String digest, ReaderPool.Row row, Counter counter,
        String what, Exception cause) {
      this.namespace = namespace;
      this.digest = digest;
      this.expires = row.expires();
      this.file = row.file();
      this.counter = counter;
      this.what = what;
      this.cause = cause;
    }

    @Override
    String name() {
      return counter == Counter.EXPIRATIONS ? "expire" : "remove damaged entry";
    }

    @Override
    long apply(Batch batch) throws SQLException {
      PreparedStatement ps = writer.statement("DELETE FROM entries WHERE namespace = ? "
          + "AND digest = ? AND expires = ? AND file IS ?");
      ps.setString(1, namespace);
      ps.setString(2, digest);
      ps.setLong(3, expires);
      ps.setString(4, file);
      long n = ps.executeUpdate();
      if (n > 0) {
        batch.counts[counter.ordinal()]++;
        if (file != null) {
          batch.doomed.add(file);
        }
      }
      return n;
    }

    @Override
    void committed(Batch batch) {
      if (result > 0 && what != null) {
        StoreContext.LOG.log(Level.WARNING, ctx.describe() + ": removed an unreadable entry: "
            + what, cause);
      }
    }
  }

  /** A bulk deletion (namespace, tag, everything) that reports how many rows it removed. */
  private final class Deletion extends WriteOp {
    final String name;
    final String scope;
    final String select;
    final String delete;
    final Object[] args;

    /** {@code scope} names what is dropped, for {@link JournalApplier#recordDrop}. */
    Deletion(String name, String scope, String select, String delete, Object... args) {
      this.name = name;
      this.scope = scope;
      this.select = select;
      this.delete = delete;
      this.args = args;
    }

    @Override
    String name() {
      return name;
    }

    @Override
    long apply(Batch batch) throws SQLException {
      journals.recordDrop(scope);
      return rows.deleteWhere(select, delete, batch.doomed, args);
    }
  }
}
