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
