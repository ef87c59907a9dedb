package dev.tripbeam.lake;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The lock that makes the writers of a SQLite catalog take turns across processes: SQLite refuses a second writer at
 * once (its busy handler is not called when waiting could deadlock), so two runs committing to one local lake
 * together would fail on the catalog instead of Iceberg's own conflict checks. Held by {@link IcebergLake#writing}
 * around a run's table commits and by {@link IcebergLake#open}; a PostgreSQL catalog needs none. A file lock belongs to
 * the process, and a second lock of the file in one JVM fails at once ({@code OverlappingFileLockException}) instead
 * of waiting: threads of one process first take turns on an in-process lock of the same file.
 */
final class CatalogLock {
  private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
  private final @Nullable Path file;

  private CatalogLock(@Nullable Path file) {
    this.file = file;
  }

  /** The lock of the catalog at {@code url}: a file beside a SQLite database, none for other catalogs. */
  static CatalogLock of(String url) {
    if (!url.regionMatches(true, 0, "jdbc:sqlite:", 0, "jdbc:sqlite:".length())) {
      return new CatalogLock(null);
    }
    String path = url.substring("jdbc:sqlite:".length());
    int query = path.indexOf('?');
    return new CatalogLock(Path.of((query < 0 ? path : path.substring(0, query)) + ".lock"));
  }

  /** Work done while holding the lock. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code work} holding the lock, waiting for another thread or process that holds it; a thread that holds it
   * already runs {@code work} at once.
   */
  <T> T hold(Work<T> work) throws IOException {
    if (file == null) {
      return work.run();
    }
    ReentrantLock threads = IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new ReentrantLock());
    threads.lock();
    try {
      return threads.getHoldCount() > 1 ? work.run() : holdFile(work);
    } finally {
      threads.unlock();
    }
  }

  private <T> T holdFile(Work<T> work) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      return work.run();
    }
  }
}
