// Limits on everything a user can ask for (TigerBeetle: put a limit on
// everything). The schema enforces them on input; the engine asserts the
// ones its fixed-size arrays rely on.

export const LIMITS = {
  regions: 16,
  zonesPerRegion: 16,
  nodes: 64,
  dataClasses: 32,
  faults: 500,
  writesPerSecond: 100_000,
  readsPerSecond: 400_000,
  clients: 100_000,
  keys: 1_000_000_000,
  scenarioDurationMs: 6 * 3_600_000,
  /** Requests the engine may simulate in one run: rate × duration. */
  operationsPerRun: 50_000_000,
  /**
   * Replica messages the leaderless engine may simulate in one run: a request goes to all N replicas of its
   * key and each answers, so (writes + reads) × duration × 2N. Measured on 64 nodes with N=64: about 0.7 µs a
   * message, so a run at the limit takes about as long as one at operationsPerRun requests.
   */
  replicaMessagesPerRun: 100_000_000,
  /**
   * Write records one run may keep at once. The engine keeps a write's record
   * only while it can still matter (undecided, or not yet on every node that
   * may be followed, promoted or rewound) and folds it into fixed-size
   * aggregates once it settles, so what counts is the projected backlog, not
   * the run's length: writes/s × how long a write may stay unsettled (a few
   * seconds without faults; from the first fault to the end with one, since a
   * node cut off or down keeps every write it misses; the whole run for the
   * shapes that keep every write, leaderless and multi-leader, and for a
   * replica that replays slower than the leader writes). 10 million records
   * are about 2.1 GB.
   */
  writesKeptPerRun: 10_000_000,
  /**
   * Bytes per kept write record, for the estimate in the message that refuses a run: the write log's ring
   * (about 60 bytes a slot, up to twice the records kept, and the old ring while it grows) and its timeline's
   * list of writes. Measured: 100,000 writes/s with an asynchronous replica partitioned for 30 s keeps 3 million
   * records at once and peaks 620 MB above the same run without the partition.
   */
  bytesPerKeptWrite: 210,
  /**
   * A store of the versions each node holds (leaderless) is dense up to this many node × key slots (16 bytes
   * each: a version, the one before, when it lands), a map per node beyond.
   */
  denseVersionSlots: 8_000_000,
  bytesPerDenseVersionSlot: 16,
  /**
   * Bytes per version a node holds in the map store: an entry, its record, and the map's room to grow.
   * Measured on 64 nodes with N=64 and a million keys: peak RSS grows 9 to 10.4 KB a write between 7,500 and
   * 250,000 writes (the write record's share aside, 135 to 160 bytes for each of its 64 copies); 180 covers it.
   */
  bytesPerStoredVersion: 180,
  /** Bytes per write in a replica's WAL stream while it waits to be replayed (eight times and positions). */
  bytesPerStreamEntry: 64,
  /**
   * Bytes per write kept for the whole run when recovery planning counts writes over time (a bad write, a
   * restore drill, a lost region): its send time, and twice more when acknowledged.
   */
  bytesPerWriteForRecovery: 24,
  /** Requests over all trials of one command (trials × requests per run): about an hour of engine time. */
  operationsPerCommand: 2_500_000_000,
  durationMs: 10 * 365 * 86_400_000,
  latencyMs: 600_000,
  applyRate: 10_000_000,
  acceptRate: 1_000_000,
  bytes: 1024 ** 5, // 1 PB
  throughputBytes: 1024 ** 4, // 1 TB/s
  quorumN: 64,
  trials: 10_000,
  seed: 2 ** 32 - 1,
} as const;
