package dev.cachet.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file locks Linux lists in {@code /proc/locks}, to see which POSIX ({@code fcntl}) locks
 * a process holds without taking or testing one (a test lock from this process would not
 * show another's, and opening the file to test would itself release this process's locks).
 *
 * <p>A line reads {@code 1: POSIX  ADVISORY  READ 1234 fe:00:1482943 128 128}: id, kind,
 * mode, access, pid, device as hexadecimal {@code major:minor} and the decimal inode, then the
 * first and last byte locked ({@code EOF} for the end of the file). Lines with {@code ->} are
 * requests waiting for a lock, not locks held, and are skipped.
 */
final class ProcLocks {
  static final Path FILE = Path.of("/proc/locks");

  /** One lock held. {@code end} is {@link Long#MAX_VALUE} for {@code EOF}. */
  record Lock(String kind, String access, long pid, long inode, long start, long end) {
    boolean covers(long offset) {
      return start <= offset && offset <= end;
    }
  }

  private ProcLocks() {
  }

  /** Whether {@code /proc/locks} can be read here. */
  static boolean readable() {
    return Files.isReadable(FILE);
  }

  /** Every lock held now. */
  static List<Lock> all() throws IOException {
    List<Lock> locks = new ArrayList<>();
    for (String line : Files.readAllLines(FILE)) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 8 || f[1].equals("->")) {
        continue;
      }
      String[] device = f[5].split(":");
      if (device.length != 3) {
        continue;
      }
      locks.add(new Lock(f[1], f[3], Long.parseLong(f[4]), Long.parseLong(device[2]),
          Long.parseLong(f[6]), f[7].equals("EOF") ? Long.MAX_VALUE : Long.parseLong(f[7])));
    }
    return locks;
  }

  /** The POSIX locks process {@code pid} holds on {@code file} now, matched by inode. */
  static List<Lock> posixLocks(long pid, Path file) throws IOException {
    long inode = inode(file);
    return all().stream()
        .filter(l -> l.kind().equals("POSIX") && l.pid() == pid && l.inode() == inode)
        .toList();
  }

  /** The inode number of {@code file}: a stat, which opens no descriptor (so drops no lock). */
  static long inode(Path file) throws IOException {
    return ((Number) Files.getAttribute(file, "unix:ino")).longValue();
  }
}
