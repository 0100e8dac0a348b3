package dev.cachet.disk;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * One process's write-ahead journal for a {@link DiskStore}: a put is appended here with one
 * {@code write()} and acknowledged, which makes it durable against a crash of the process (the
 * bytes are in the kernel's page cache) without waiting for a SQLite commit; the store then
 * applies journaled puts to the database in large transactions. A process killed before that
 * leaves its journal behind, and the next process to open the store replays it.
 *
 * <p>Two files alternate: appends go to the current one while the records of the other are
 * being applied, and a file is emptied only once all its records have committed. Each file
 * is held under an exclusive lock for the life of the journal, which is how another process
 * tells a live journal (lock refused) from a dead one (lock granted). Files are created under
 * a temporary name and renamed once locked, so no process ever takes a journal that is being
 * born for a dead one.
 *
 * <p>A record is {@code length, CRC32C, body}; a torn tail (the process died inside a
 * {@code write()}) fails its length or checksum and ends the replay of that file.
 *
 * <p>On POSIX, closing any descriptor of a file releases every lock the process holds on it.
 * So this JVM never opens a descriptor on a journal file it holds locked: every journal file
 * it holds (its own, and dead ones it is replaying) is registered by its file key (device
 * and inode) in {@link #HELD}, and the scan for dead journals skips those before opening
 * anything; a path check alone would miss a second store that reaches the same directory
 * through a symbolic link, or a file still being born.
 *
 * <p>Thread-safe: appends are serialized on this object; {@link #take} and {@link #finish}
 * are called by the store's writer only.
 */
final class WriteJournal {
  static final String SUFFIX = ".journal";
  private static final String NEW_SUFFIX = ".journal.new";
  /**
   * The file keys of the journal files this JVM holds locked. Guarded by itself: whoever
   * opens a journal file holds this monitor from the check to the registration, so no
   * descriptor of a held file is ever opened, and hence none closed.
   */
  private static final Set<Object> HELD = new HashSet<>();
  /** A record larger than this is not journaled (the store writes it directly). */
  static final int MAX_RECORD = 16 * 1024 * 1024;
  private static final int HEADER = 8;

  /** One journaled put, as appended and as replayed. */
  record Entry(String owner, long seq, long timeMicros, String namespace, String digest,
      long expires, List<String> tags, byte[] frame) {
  }

  /** The records of one retired file, handed to the writer to apply. */
  record Batch(int file, List<Entry> entries) {
  }

  /** A namespace and digest, the key of {@link #latest}. */
  private record Key(String namespace, String digest) {
  }

  private final String owner;
  private final Path[] paths = new Path[2];
  /** Open for the journal's life: closing one would release its lock. */
  private final FileChannel[] channels = new FileChannel[2];
  /** The newest not-yet-applied record of each key, for reads of this process. */
  private final ConcurrentHashMap<Key, Entry> latest = new ConcurrentHashMap<>();
  private int current;
  /** Where the next record goes in each file (its length); guarded by this journal. */
  private final long[] ends = new long[2];
  private long seq;
  private List<Entry> pending = new ArrayList<>();
  private long pendingBytes;
  private ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
  private boolean closed;
  private final Object[] keys = new Object[2];
  /** Whether each append is synced to the disk before it returns ({@link #sync}). */
  private final boolean durable;
  /** Held by the thread syncing the files for a group of appends. */
  private final Object syncLock = new Object();
  /** The last sequence number known to be on the disk; written under {@link #syncLock}. */
  private volatile long syncedSeq;
  /** How {@link #sync} puts a file on the disk; replaced only by tests ({@link #syncWith}). */
  private volatile DiskSync disk = channel -> channel.force(false);

  /**
   * Puts a file's written bytes on the disk ({@code fdatasync}). A seam, so that tests can see
   * which syncs a durable journal makes, and make one fail, without a power cut.
   */
  @FunctionalInterface
  interface DiskSync {
    void force(FileChannel channel) throws IOException;
  }

  private WriteJournal(String owner, boolean durable) {
    this.owner = owner;
    this.durable = durable;
  }

  /**
   * Creates this process's journal in {@code dir}: two locked files.
   *
   * @param modes the permissions for the directory and the files
   * @param durable whether appends are synced to the disk before they return
   * @throws IOException if the files cannot be created or locked
   */
  static WriteJournal create(Path dir, FileModes modes, boolean durable) throws IOException {
    modes.createDirectories(dir);
    WriteJournal journal = new WriteJournal(UUID.randomUUID().toString(), durable);
    synchronized (HELD) {
      try {
        for (int i = 0; i < 2; i++) {
          Path fresh = dir.resolve(journal.owner + "-" + i + NEW_SUFFIX);
          FileChannel ch = FileChannel.open(fresh, Set.of(StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ, StandardOpenOption.WRITE), modes.fileAttributes());
          journal.channels[i] = ch;
          ch.lock(); // held until the channel closes
          modes.applyTo(fresh);
          journal.keys[i] = fileKey(fresh);
          HELD.add(journal.keys[i]);
          Path named = dir.resolve(journal.owner + "-" + i + SUFFIX);
          journal.paths[i] = named;
          Files.move(fresh, named, StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException | RuntimeException e) {
        journal.release(true);
        throw e;
      }
    }
    return journal;
  }

  /**
   * What identifies a file whatever path reaches it: its device and inode where the file
   * system tells them ({@code stat}, which opens no descriptor), else its real path.
   */
  private static Object fileKey(Path path) throws IOException {
    Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    return key != null ? key : path.toRealPath();
  }

  /**
   * Appends a put; returns once the record is written to the file (durable against a crash
   * of this process), or returns null if the record exceeds the journal's field limits, in
   * which case the caller writes it directly.
   *
   * @throws IOException if the write failed; the file is then cut back to its last record
   */
  synchronized Entry append(String namespace, String digest, byte[] frame, long expires,
      List<String> tags, long timeMicros) throws IOException {
    if (closed) {
      throw new IllegalStateException("The write journal " + paths[current]
          + " is closed: its disk store was closed");
    }
    byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
    byte[] dg = digest.getBytes(StandardCharsets.UTF_8);
    byte[][] tagBytes = new byte[tags.size()][];
    long size = HEADER + 8L + 8 + 8 + 2 + ns.length + 2 + dg.length + 2 + 4 + frame.length;
    if (ns.length > 0xFFFF || dg.length > 0xFFFF || tags.size() > 0xFFFF) {
      return null;
    }
    for (int i = 0; i < tagBytes.length; i++) {
      tagBytes[i] = tags.get(i).getBytes(StandardCharsets.UTF_8);
      if (tagBytes[i].length > 0xFFFF) {
        return null;
      }
      size += 2 + tagBytes[i].length;
    }
    if (size > MAX_RECORD) {
      return null;
    }
    if (buffer.capacity() < size) {
      buffer = ByteBuffer.allocateDirect(Integer.highestOneBit((int) size) << 1);
    }
    long sequence = ++seq;
    ByteBuffer out = buffer.clear();
    out.position(HEADER);
    out.putLong(sequence).putLong(timeMicros).putLong(expires);
    out.putShort((short) ns.length).put(ns);
    out.putShort((short) dg.length).put(dg);
    out.putShort((short) tagBytes.length);
    for (byte[] tag : tagBytes) {
      out.putShort((short) tag.length).put(tag);
    }
    out.putInt(frame.length).put(frame);
    int end = out.position();
    CRC32C crc = new CRC32C();
    crc.update(out.duplicate().position(HEADER).limit(end));
    out.putInt(0, end - HEADER).putInt(4, (int) crc.getValue());
    out.position(0).limit(end);
    FileChannel ch = channels[current];
    // Written at the end this journal keeps for itself: asking the channel for its position
    // was a system call (lseek) per put, as costly as the write.
    long before = ends[current];
    long at = before;
    try {
      while (out.hasRemaining()) {
        at += ch.write(out, at);
      }
    } catch (IOException e) {
      // A partial record followed by whole ones would hide them from a replay.
      try {
        ch.truncate(before);
      } catch (IOException ignored) {
        // Left torn: a replay stops there, losing only what follows in this file.
      }
      throw e;
    }
    ends[current] = at;
    Entry entry = new Entry(owner, sequence, timeMicros, namespace, digest, expires,
        List.copyOf(tags), frame);
    pending.add(entry);
    pendingBytes += size;
    latest.put(new Key(namespace, digest), entry);
    return entry;
  }

  /**
   * For a durable journal, returns once {@code entry} is on the disk: the first thread to
   * get here syncs both files (the record is in one of them) for every append made so far,
   * and the threads that appended meanwhile find their records synced by it. Does nothing
   * for a journal that is not durable.
   *
   * @throws IOException if the sync failed; the record may then be lost in a power loss
   */
  void sync(Entry entry) throws IOException {
    if (!durable || entry.seq() <= syncedSeq) {
      return;
    }
    synchronized (syncLock) {
      if (entry.seq() <= syncedSeq) {
        return;
      }
      long upTo;
      synchronized (this) {
        if (closed) {
          return; // closing applied or kept every record; the database took them
        }
        upTo = seq;
      }
      // Outside the append lock, so that appends go on while the disk works: they are
      // synced by the next round.
      try {
        disk.force(channels[0]);
        disk.force(channels[1]);
      } catch (ClosedChannelException closedMeanwhile) {
        return; // the store's close applied or kept every record, as above
      }
      syncedSeq = upTo;
    }
  }

  /** For tests: how this journal's {@link #sync} reaches the disk from now on. */
  void syncWith(DiskSync sync) {
    disk = sync;
  }

  /** The newest journaled, not yet applied put of a key, or null. */
  Entry latest(String namespace, String digest) {
    return latest.get(new Key(namespace, digest));
  }

  /** Whether any journaled put is waiting to be applied. */
  boolean hasPending() {
    return !latest.isEmpty();
  }

  /** Whether at least {@code records} records or {@code bytes} bytes await {@link #take}. */
  synchronized boolean holdsAtLeast(int records, long bytes) {
    return pending.size() >= records || pendingBytes >= bytes;
  }

  /**
   * Retires the current file: appends go to the other one from now on, and the records of
   * the retired one are returned for the writer to apply. The writer calls {@link #finish}
   * before the next take, so the other file is empty by then.
   */
  synchronized Batch take() {
    Batch batch = new Batch(current, pending);
    pending = new ArrayList<>();
    pendingBytes = 0;
    current = 1 - current;
    return batch;
  }

  /**
   * Ends a batch: its records leave the read view and its file is emptied, whether they were
   * committed or dropped after a failure (a failed write is a dropped write, as for the
   * database itself).
   *
   * @throws IOException if the file cannot be emptied; its records would be replayed again
   *     after a crash, which is harmless (the same puts, checked against later removals)
   */
  void finish(Batch batch) throws IOException {
    for (Entry entry : batch.entries()) {
      latest.remove(new Key(entry.namespace(), entry.digest()), entry);
    }
    if (!batch.entries().isEmpty()) {
      synchronized (this) {
        if (!closed) {
          channels[batch.file()].truncate(0);
          ends[batch.file()] = 0;
        }
      }
    }
  }

  /**
   * Closes the journal. Its files are deleted when {@code empty} says every record was
   * applied; otherwise they stay for the next process to replay.
   */
  synchronized void close(boolean empty) {
    if (closed) {
      return;
    }
    closed = true;
    release(empty);
  }

  private void release(boolean delete) {
    for (int i = 0; i < 2; i++) {
      try {
        if (delete && paths[i] != null) {
          Files.deleteIfExists(paths[i]);
        }
      } catch (IOException e) {
        // An empty journal left behind is replayed as nothing and then deleted.
      }
      synchronized (HELD) {
        try {
          if (channels[i] != null) {
            channels[i].close(); // releases the lock
          }
        } catch (IOException e) {
          // Nothing more to release.
        }
        if (keys[i] != null) {
          HELD.remove(keys[i]);
        }
      }
    }
  }

  /** A dead process's journal files, locked by the caller while it replays them. */
  static final class Orphans implements AutoCloseable {
    private final List<FileChannel> channels = new ArrayList<>();
    private final List<Object> keys = new ArrayList<>();
    private final List<Path> paths = new ArrayList<>();
    private final List<Entry> entries = new ArrayList<>();

    /** Their records, oldest first. */
    List<Entry> entries() {
      return entries;
    }

    /** The files found. */
    List<Path> paths() {
      return paths;
    }

    /** Empties and deletes the files: their records were applied. */
    void discard() {
      for (int i = 0; i < channels.size(); i++) {
        try {
          // Emptied before deletion: a process that opened the file before it was unlinked
          // and takes its lock after ours finds nothing to replay twice.
          channels.get(i).truncate(0);
          Files.deleteIfExists(paths.get(i));
        } catch (IOException e) {
          // Replayed again later: the same puts, checked again against later removals.
        }
      }
    }

    @Override
    public void close() {
      synchronized (HELD) {
        for (FileChannel ch : channels) {
          try {
            ch.close();
          } catch (IOException e) {
            // Nothing more to release.
          }
        }
        HELD.removeAll(keys);
        channels.clear();
        keys.clear();
      }
    }
  }

  /**
   * Finds and locks the journals in {@code dir} left by processes that are gone (their lock
   * is free) and reads their records, ordered by time. The caller applies them and then calls
   * {@link Orphans#discard()}, and in every case {@link Orphans#close()}.
   *
   * @throws IOException if the directory cannot be listed
   */
  static Orphans orphans(Path dir) throws IOException {
    Orphans found = new Orphans();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    List<Path> listed = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(listed::add);
    }
    try {
      for (Path path : listed) {
        String name = path.getFileName().toString();
        boolean born = name.endsWith(NEW_SUFFIX);
        if (!born && !name.endsWith(SUFFIX)) {
          continue;
        }
        synchronized (HELD) {
          Object key;
          try {
            key = fileKey(path);
          } catch (NoSuchFileException gone) {
            continue; // its owner closed, or another process replayed it
          }
          if (HELD.contains(key)) {
            continue; // this JVM's own, or being replayed by another store of this JVM
          }
          FileChannel ch;
          try {
            ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
          } catch (NoSuchFileException gone) {
            continue;
          }
          FileLock lock;
          try {
            lock = ch.tryLock();
          } catch (OverlappingFileLockException | IOException e) {
            lock = null;
          }
          if (lock == null) {
            ch.close(); // a live process's journal; this JVM held no lock on it to lose
            continue;
          }
          if (born) {
            // A process died between creating and naming its journal: it never appended.
            Files.deleteIfExists(path);
            ch.close();
            continue;
          }
          HELD.add(key);
          found.keys.add(key);
          found.channels.add(ch);
          found.paths.add(path);
          found.entries.addAll(read(ch, name.substring(0, name.length() - SUFFIX.length())));
        }
      }
    } catch (IOException | RuntimeException e) {
      found.close();
      throw e;
    }
    found.entries.sort(Comparator.comparingLong(Entry::timeMicros)
        .thenComparing(Entry::owner).thenComparingLong(Entry::seq));
    return found;
  }

  /** The whole records of one file, up to the first torn or damaged one. */
  static List<Entry> read(FileChannel ch, String owner) throws IOException {
    long size = ch.size();
    List<Entry> entries = new ArrayList<>();
    ByteBuffer all = ByteBuffer.allocate((int) Math.min(size, Integer.MAX_VALUE - 8));
    ch.position(0);
    while (all.hasRemaining() && ch.read(all) >= 0) {
      // reads until full or end of file
    }
    all.flip();
    while (all.remaining() >= HEADER) {
      int length = all.getInt();
      int crc = all.getInt();
      if (length <= 0 || length > all.remaining()) {
        break;
      }
      ByteBuffer body = all.slice(all.position(), length);
      CRC32C check = new CRC32C();
      check.update(body.duplicate());
      if ((int) check.getValue() != crc) {
        break;
      }
      all.position(all.position() + length);
      try {
        long sequence = body.getLong();
        long time = body.getLong();
        long expires = body.getLong();
        String ns = string(body);
        String digest = string(body);
        int tagCount = Short.toUnsignedInt(body.getShort());
        List<String> tags = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) {
          tags.add(string(body));
        }
        byte[] frame = new byte[body.getInt()];
        body.get(frame);
        entries.add(new Entry(owner, sequence, time, ns, digest, expires, List.copyOf(tags),
            frame));
      } catch (BufferUnderflowException | IllegalArgumentException
          | NegativeArraySizeException e) {
        break; // a checksummed body that does not parse: written by something else
      }
    }
    return entries;
  }

  private static String string(ByteBuffer body) {
    byte[] bytes = new byte[Short.toUnsignedInt(body.getShort())];
    body.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
