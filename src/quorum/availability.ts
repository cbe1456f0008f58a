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
// them before the hints are replayed can miss a write the stand-ins took; and
// with fewer than R replicas up every read hears from a stand-in, with none up
// only from stand-ins, which hold nothing written before they stepped in (the
// read is answered, but a key written earlier reads as not found). Cassandra
// has no sloppy reads (a hint is not readable), so there such reads fail.
// The engine (src/engine/leaderless/) follows the same rule, and
// test/quorum/engine-agreement.test.ts holds the two together.
//
// Strong reads with stand-ins in play. Take one failure: K replicas go down
// together, S = min(K, C − N) stand-ins take their place (the first healthy
// nodes past the replica set), then the K come back and the hints are replayed
// some time later. A write is held, at worst, only by the W nodes that
// acknowledged it; a read hears R nodes. Three cases can split them:
//   (a) a write made before the failure, read during it. Its W acks are among
//       the N replicas; at most K of them are down, so at least W − K are
//       among the N − K up replicas the read may ask, and none is a stand-in.
//       The read avoids them iff R <= (N − K) − max(0, W − K) + S, which for
//       W >= K is R + W <= N + S (and for W < K means every read can miss).
//   (b) a write made during the failure, read after the K are back and before
//       the hints are replayed. Its W acks are among the N − K up replicas and
//       the S stand-ins, so at least W − S are replicas; the read asks the N
//       replicas only, and avoids those iff R <= N − max(0, W − S), which for
//       W >= S is again R + W <= N + S.
//   (c) a write and a read both made during the failure, or both outside it:
//       the same N − K + S (or N) nodes, so R + W > N is enough.
// When reads complete during the failure (R <= N − K + S), R + W > N + S
// implies W > K >= S, so the max(0, ...) terms vanish: every completed read
// sees every acknowledged write iff R + W > N + S. With S = 0 (a strict
// quorum, nothing down, or no node outside the replica set) that is the usual
// R + W > N. Checked against an enumeration of every down set, write quorum
// and read quorum on small rings in test/quorum/sloppy-overlap.test.ts.

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
    /**
     * Reads complete only with stand-ins' replies (sloppy quorum, fewer than R replicas up): every read hears
     * from at least one node that holds none of the writes made before it stepped in.
     */
    viaStandIns: boolean;
    /**
     * Every replica of the key is down and reads are answered by stand-ins alone, which hold only the writes
     * made since they stepped in: a key written before the failure reads as not found (Dynamo, Riak with its
     * default notfound_ok) or its newest outage write. Available, but nothing older is readable.
     */
    standInsOnly: boolean;
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
   * Sloppy quorum with stand-ins in play and writes available: a write made
   * with K down may be acknowledged partly by stand-ins (the W fastest of the
   * nodes it went to), so it can rest on fewer than W real replicas, the rest
   * as hints until they are replayed. Whether a read can miss it is
   * `strongReads`.
   */
  hintsPending: boolean;
  /**
   * A completed read returns the latest acknowledged write: reads available
   * and R + W > N + S, with S the stand-ins in play (0 under a strict quorum,
   * so R + W > N). See the header for why R + W > N is not enough with S > 0.
   */
  strongReads: boolean;
}

/** R + W > N: every read quorum shares at least one replica with every write quorum. */
export function isStrong(config: Pick<QuorumConfig, "n" | "r" | "w">): boolean {
  return config.r + config.w > config.n;
}

/** R + W > N + S: every read quorum meets every write quorum with S stand-ins in play (the header derives it; S = 0 gives isStrong). */
export function overlapsWithStandIns(config: Pick<QuorumConfig, "n" | "r" | "w">, standIns: number): boolean {
  return config.r + config.w > config.n + standIns;
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
  const hinted = writesAvailable && standIns > 0 && up < w;
  const readsAvailable = reach >= r;
  return {
    down,
    up,
    reads: { available: readsAvailable, needed: r, reachable: reach, standIns, viaStandIns: readsAvailable && up < r, standInsOnly: readsAvailable && up === 0 },
    writes: { available: writesAvailable, needed: w, reachable: reach, standIns, hinted },
    hintsPending: writesAvailable && standIns > 0,
    strongReads: readsAvailable && overlapsWithStandIns(config, standIns),
  };
}

/** The table for K = 0..N. */
export function byDown(config: QuorumConfig): DownState[] {
  return Array.from({ length: config.n + 1 }, (_, down) => atDown(config, down));
}
