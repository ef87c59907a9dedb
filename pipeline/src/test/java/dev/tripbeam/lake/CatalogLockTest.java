package dev.tripbeam.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite catalog's lock within one JVM: a second thread waits for the first (a file lock alone fails at once in
 * the same process: a reader opening the lake while another thread of the process opened it failed with "cannot list
 * the table"), and a thread holding the lock can take it again.
 */
class CatalogLockTest {
  @TempDir Path tmp;

  @Test
  void aSecondThreadWaitsForTheFirstInsteadOfFailing() throws Exception {
    String url = "jdbc:sqlite:" + tmp.resolve("iceberg.db");
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> hold(url, () -> {
      held.countDown();
      await(release);
      return "first";
    }));
    assertEquals(true, held.await(30, TimeUnit.SECONDS));
    CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> hold(url, () -> "second"));
    Thread.sleep(300);
    assertFalse(second.isDone(), "the second thread waits while the first holds the lock");
    release.countDown();
    assertEquals("first", first.get(30, TimeUnit.SECONDS));
    assertEquals("second", second.get(30, TimeUnit.SECONDS));
  }

  @Test
  void theHolderTakesItAgain() throws Exception {
    CatalogLock lock = CatalogLock.of("jdbc:sqlite:" + tmp.resolve("iceberg.db") + "?mode=rw");
    assertEquals("inner", lock.hold(() -> lock.hold(() -> "inner")));
  }

  private static String hold(String url, CatalogLock.Work<String> work) {
    try {
      return CatalogLock.of(url).hold(work);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
