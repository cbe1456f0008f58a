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
   * Writes one run may make (writes/s × duration). The engine keeps a record
   * of every write for the RPO accounting, about 220 bytes each on a
   * five-node topology (measured: 100,000 writes/s for 20 s and for 40 s differ
   * by 430 MB), so 10 million writes is about 2.2 GB, half of Node's default
   * heap. Raised when the engine keeps only the writes that can still matter.
   */
  writesPerRun: 10_000_000,
  /** Bytes the engine keeps per write, for the estimate in the message that refuses a run. */
  bytesPerWrite: 220,
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
