// Who can still read and write when K of a key's N replicas are down.
//
// Strict quorum: a write needs W acknowledgements and a read R replies from
// the key's own N replicas, so writes work iff N − K >= W and reads iff
// N − K >= R. Sloppy quorum (Dynamo): the coordinator sends every request,
// read or write, to the first N healthy nodes of the ring (the extended
// preference list), so healthy nodes outside the replica set stand in for the
// down replicas: a write leaves a hint there, and a read hears from the same
// stand-ins. Both work while W (R) healthy nodes exist anywhere. What a sloppy
// read gives up is the overlap: once the replicas return, a read that asks
// them before the hints are replayed can miss a write the stand-ins took.
// The engine (src/engine/leaderless.ts) follows the same rule, and
// test/quorum/engine-agreement.test.ts holds the two together.

export interface QuorumConfig {
  n: number;
  r: number;
  w: number;
  sloppy: boolean;
  /** Total nodes in the cluster (>= n), when known; only sloppy quorum looks past the N replicas. */
  cluster: number | null;
}

export interface DownState {
  down: number;
  /** Replicas of the key that answer: N − K. */
  up: number;
  reads: {
    available: boolean;
    needed: number;
    /** Nodes the read can hear from: the up replicas, plus stand-ins under sloppy quorum. */
    reachable: number;
    /** Healthy nodes outside the replica set the read also goes to, for down replicas (sloppy quorum only). */
    standIns: number;
  };
  writes: {
    available: boolean;
    needed: number;
    /** Nodes the write can reach: the up replicas, plus stand-ins under sloppy quorum. */
    reachable: number;
    /** Healthy nodes outside the replica set taking the write for down replicas (sloppy quorum only). */
    standIns: number;
    /** True when W can only be reached with stand-ins' acks: the write is acknowledged partly by hints. */
    hinted: boolean;
  };
  /**
   * Sloppy quorum with fewer than W replicas up: an acknowledged write (now,
   * or earlier while stand-ins were enough) may rest on fewer than W real
   * replicas, the rest as hints on stand-ins until they are replayed. Whether
   * a read can miss it is `strongReads`.
   */
  hintsPending: boolean;
  /**
   * A completed read returns the latest acknowledged write: R + W > N, reads
   * available, and under sloppy quorum no read quorum can do without the
   * replicas that have it. With stand-ins in play that needs R > K: otherwise
   * R replies can all come from stand-ins (which lack the writes from before
   * the failure), or, once the K replicas are back and before the hints are
   * replayed, all from them (which lack the writes the stand-ins took).
   */
  strongReads: boolean;
}

/** R + W > N: every read quorum shares at least one replica with every write quorum. */
export function isStrong(config: Pick<QuorumConfig, "n" | "r" | "w">): boolean {
  return config.r + config.w > config.n;
}

export function atDown(config: QuorumConfig, down: number): DownState {
  const { n, r, w } = config;
  if (!(Number.isInteger(down) && down >= 0 && down <= n)) throw new Error(`atDown: ${down} replicas down of ${n}`);
  const up = n - down;
  // Stand-ins: without a cluster size the user's --sloppy says they exist; with one, only C − N nodes are outside the replica set.
  const standIns = config.sloppy ? (config.cluster === null ? down : Math.min(down, config.cluster - n)) : 0;
  // Reads and writes go to the same first N healthy nodes, so they reach the same stand-ins.
  const reach = up + standIns;
  const writesAvailable = reach >= w;
  const hintsPending = config.sloppy && up < w;
  const hinted = writesAvailable && hintsPending;
  const readsAvailable = reach >= r;
  return {
    down,
    up,
    reads: { available: readsAvailable, needed: r, reachable: reach, standIns },
    writes: { available: writesAvailable, needed: w, reachable: reach, standIns, hinted },
    hintsPending,
    strongReads: isStrong(config) && readsAvailable && !(standIns > 0 && r <= down),
  };
}

/** The table for K = 0..N. */
export function byDown(config: QuorumConfig): DownState[] {
  return Array.from({ length: config.n + 1 }, (_, down) => atDown(config, down));
}
