package dev.tripbeam.tools.generate;

/**
 * How many trips each user gets: skewed weights (a Pareto tail, capped, so a few users are heavy) and an exact
 * allocation of the total by cumulative weight. Every value is a pure function of (seed, user), so files can be
 * generated in parallel and still give the same bytes.
 */
final class UserPlan {
  private static final double MAX_WEIGHT = 200.0;

  final long users;
  final long trips;
  final long seed;
  final double totalWeight;
  /** Cumulative weight before the first user of each file. */
  final double[] cumulativeAtFile;

  private UserPlan(long users, long trips, long seed, double totalWeight, double[] cumulativeAtFile) {
    this.users = users;
    this.trips = trips;
    this.seed = seed;
    this.totalWeight = totalWeight;
    this.cumulativeAtFile = cumulativeAtFile;
  }

  static UserPlan of(long users, long trips, long seed, int files) {
    double[] atFile = new double[files];
    double sum = 0;
    int file = 0;
    for (long u = 0; u < users; u++) {
      while (file < files && u == firstUser(file, users, files)) {
        atFile[file++] = sum;
      }
      sum += weight(seed, u);
    }
    return new UserPlan(users, trips, seed, sum, atFile);
  }

  static long firstUser(int file, long users, int files) {
    return users * file / files;
  }

  static double weight(long seed, long user) {
    double uniform = (mix(seed ^ 0x5DEECE66DL, user) >>> 11) * 0x1.0p-53;
    return Math.min(MAX_WEIGHT, Math.pow(1.0 - uniform, -1.0 / 2.5));
  }

  /** Trips of {@code user} given the cumulative weight before it. */
  long tripsOf(long user, double cumulativeBefore) {
    long before = (long) Math.floor(trips * (cumulativeBefore / totalWeight));
    if (user == users - 1) {
      return trips - before;
    }
    double after = cumulativeBefore + weight(seed, user);
    return Math.max(0, (long) Math.floor(trips * (after / totalWeight)) - before);
  }

  /** SplitMix64 finalizer over (a, b). */
  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
