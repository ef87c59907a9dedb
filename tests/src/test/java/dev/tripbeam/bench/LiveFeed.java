package dev.tripbeam.bench;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A live app's trip events for the streaming benchmark: {@code rate} events a second for {@code seconds} seconds, each
 * sent when its trip ends (dropoff = send, pickup = dropoff minus a duration of 3 to 40 minutes), with the usual
 * disorder: 3 % sent late (5 s to 3 min after their dropoff) and 1 % sent twice (the copy 1 to 10 s later). The
 * producer paces itself by parking between sends, not spinning. Records, per event in send order, its send time and,
 * per user-day, the events in the order sent, for {@link LatencyProbe}.
 */
final class LiveFeed implements Runnable {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final int[] ZONES = {142, 43, 161, 237, 236, 132, 79, 107, 48, 230, 68, 170, 186, 162, 234, 246};

  private final String bootstrap;
  private final String topic;
  private final int rate;
  private final int total;
  private final int users;
  private final Random random;
  private final long[] sentAt;
  private final int[] countAtSend;
  private final Map<String, List<Integer>> byUserDay = new ConcurrentHashMap<>();
  private volatile int sent;

  LiveFeed(String bootstrap, String topic, int rate, int seconds, int users, long seed) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.rate = rate;
    this.total = rate * seconds;
    this.users = users;
    this.random = new Random(seed);
    this.sentAt = new long[total];
    this.countAtSend = new int[total];
  }

  private record Copy(long dueNanos, int partition, String line) {}

  @Override
  public void run() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    PriorityQueue<Copy> copies = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      long start = System.nanoTime();
      int i = 0;
      while (i < total || !copies.isEmpty()) {
        long now = System.nanoTime();
        while (i < total && start + (long) i * 1_000_000_000L / rate <= now) {
          String line = event(i);
          producer.send(new ProducerRecord<>(topic, i % 2, null, line));
          if (random.nextDouble() < 0.01) {
            copies.add(new Copy(now + 1_000_000_000L + random.nextInt(9_000) * 1_000_000L, (i + 1) % 2, line));
          }
          sent = ++i;
        }
        while (!copies.isEmpty() && copies.peek().dueNanos <= now) {
          Copy c = copies.poll();
          producer.send(new ProducerRecord<>(topic, c.partition, null, c.line));
        }
        LockSupport.parkNanos(500_000L);
      }
      producer.flush();
    }
  }

  /** The event {@code i}, noted with its send time and its place among its user-day's events. */
  private String event(int i) {
    long now = System.currentTimeMillis();
    long lag = random.nextDouble() < 0.03 ? 5_000L + random.nextInt(175_000) : 0L;
    long dropoff = now - lag;
    long minutes = 3 + random.nextInt(38);
    long pickup = dropoff - minutes * 60_000L - random.nextInt(60_000);
    String user = "u" + random.nextInt(users);
    String day = Instant.ofEpochMilli(pickup).atZone(NEW_YORK).toLocalDate().toString();
    List<Integer> events = byUserDay.computeIfAbsent(user + "|" + day, k -> new ArrayList<>());
    synchronized (events) {
      events.add(i);
      countAtSend[i] = events.size();
    }
    sentAt[i] = now;
    long fare = 800 + random.nextInt(3200);
    long tip = random.nextInt(4) == 0 ? 0 : random.nextInt(600);
    double miles = Math.round(minutes * (0.1 + random.nextDouble() * 0.3) * 100) / 100.0;
    return "{\"trip_id\":\"lat-" + i + "\",\"user_id\":\"" + user + "\",\"pickup_ts\":\"" + Instant.ofEpochMilli(pickup)
        + "\",\"dropoff_ts\":\"" + Instant.ofEpochMilli(dropoff) + "\",\"pu_zone_id\":" + ZONES[random.nextInt(ZONES.length)]
        + ",\"do_zone_id\":" + ZONES[random.nextInt(ZONES.length)] + ",\"passenger_count\":1,\"distance_miles\":" + miles
        + ",\"fare_cents\":" + fare + ",\"tip_cents\":" + tip + ",\"tolls_cents\":0,\"total_cents\":" + (fare + tip + 150)
        + ",\"payment_type\":1}";
  }

  int sent() {
    return sent;
  }

  int total() {
    return total;
  }

  long sentAt(int i) {
    return sentAt[i];
  }

  /** How many events of its user-day had been sent when event {@code i} was, itself included. */
  int countAtSend(int i) {
    return countAtSend[i];
  }

  /** The events of a user-day ({@code user|yyyy-mm-dd}) in send order, a copy; empty when there are none. */
  List<Integer> events(String userDay) {
    List<Integer> events = byUserDay.get(userDay);
    if (events == null) {
      return List.of();
    }
    synchronized (events) {
      return new ArrayList<>(events);
    }
  }
}
