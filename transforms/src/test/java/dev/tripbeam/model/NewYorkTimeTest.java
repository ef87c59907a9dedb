package dev.tripbeam.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The transition table agrees with the JDK's zone rules queried directly, across and beyond its years. */
class NewYorkTimeTest {
  private static final ZoneId NY = ZoneId.of("America/New_York");

  @Test
  void offsetsAndReadingsMatchTheZoneRules() {
    SplittableRandom random = new SplittableRandom(7);
    long from = Instant.parse("1960-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("2250-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      long second = random.nextLong(from, to);
      Instant at = Instant.ofEpochSecond(second);
      assertEquals(
          NY.getRules().getOffset(at).getTotalSeconds() * 1_000_000L, NewYorkTime.offsetMicros(second * 1_000_000L),
          at::toString);
      LocalDateTime local = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
      List<ZoneOffset> valid = NY.getRules().getValidOffsets(local);
      long[] expected =
          valid.stream().mapToLong(o -> (second - o.getTotalSeconds()) * 1_000_000L).sorted().toArray();
      assertArrayEquals(expected, NewYorkTime.instants(second * 1_000_000L), local::toString);
    }
  }

  @Test
  void transitionNightsOf2021() {
    long skipped = NewYorkTime.toMicros(LocalDateTime.of(2021, 3, 14, 2, 30));
    assertEquals(0, NewYorkTime.instants(skipped).length);
    long repeated = NewYorkTime.toMicros(LocalDateTime.of(2021, 11, 7, 1, 30));
    assertArrayEquals(
        new long[] {
          NewYorkTime.toMicros(Instant.parse("2021-11-07T05:30:00Z")),
          NewYorkTime.toMicros(Instant.parse("2021-11-07T06:30:00Z"))
        },
        NewYorkTime.instants(repeated));
    assertEquals("2021-11-06", NewYorkTime.date(NewYorkTime.toMicros(Instant.parse("2021-11-07T03:59:59Z"))));
    assertEquals("2021-11-07", NewYorkTime.date(NewYorkTime.toMicros(Instant.parse("2021-11-07T04:00:00Z"))));
  }
}
