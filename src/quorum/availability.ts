// Who can still read and write when K of a key's N replicas are down.
//
// Strict quorum: a write needs W acknowledgements and a read R replies from
// the key's own N replicas, so writes work iff N − K >= W and reads iff
// N − K >= R. Sloppy quorum (Dynamo): the coordinator sends the write to the
// first N healthy nodes of the ring, so healthy nodes outside the replica set
// stand in for the down replicas and take the write with a hint; writes work
// while W healthy nodes exist anywhere. Reads still need R real replicas: a
// stand-in does not serve the hinted copy it keeps for someone else.

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
  reads: { available: boolean; needed: number; reachable: number };
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
   * or earlier while stand-ins were enough) may exist only as hints, which
   * reads cannot see until they are replayed.
   */
  hintsPending: boolean;
  /** R + W > N, reads available, and no acknowledged write can rest on hints alone: a completed read returns the latest write. */
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
  const writeReach = up + standIns;
  const writesAvailable = writeReach >= w;
  const hintsPending = config.sloppy && up < w;
  const hinted = writesAvailable && hintsPending;
  const readsAvailable = up >= r;
  return {
    down,
    up,
    reads: { available: readsAvailable, needed: r, reachable: up },
    writes: { available: writesAvailable, needed: w, reachable: writeReach, standIns, hinted },
    hintsPending,
    strongReads: isStrong(config) && readsAvailable && !hintsPending,
  };
}

/** The table for K = 0..N. */
export function byDown(config: QuorumConfig): DownState[] {
  return Array.from({ length: config.n + 1 }, (_, down) => atDown(config, down));
}
