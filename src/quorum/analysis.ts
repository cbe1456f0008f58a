// The quorum calculator's core: check the inputs, then gather availability
// with K replicas down, the table for every K, the strong-read condition, the
// closed-form staleness and the short remarks that explain them. Pure: no I/O,
// no randomness (t-visibility lives in visibility.ts).
import { UsageError } from "../model/diagnostics.js";
import { LIMITS } from "../model/schema.js";
import { atDown, byDown, isStrong, type DownState, type QuorumConfig } from "./availability.js";
import { formatFraction, staleProbability, type StaleProbability } from "./staleness.js";

/** The largest cluster --cluster accepts (nodes); a calculator input, not a simulation size. */
export const CLUSTER_MAX = 100_000;

export interface QuorumInput extends QuorumConfig {
  down: number;
}

export interface Remark {
  /** A stable key for tests and tooling. */
  id: string;
  text: string;
}

export interface QuorumAnalysis {
  n: number;
  r: number;
  w: number;
  down: number;
  sloppy: boolean;
  cluster: number | null;
  strong: boolean;
  /** R + W − N: how many replicas every read quorum shares with every write quorum (at least). */
  overlap: number;
  current: DownState;
  byDown: DownState[];
  stale: StaleProbability;
  /** Replicas that may be down with the path still working (strict quorum). */
  tolerates: { reads: number; writes: number };
  remarks: Remark[];
}

function wholeNumber(value: number): boolean {
  return Number.isSafeInteger(value);
}

/** Throws a UsageError naming the first flag that is out of range. */
export function checkQuorumInput(input: QuorumInput): void {
  const { n, r, w, down, cluster } = input;
  if (!wholeNumber(n) || n < 1 || n > LIMITS.quorumN) throw new UsageError(`--n expects a whole number from 1 to ${LIMITS.quorumN}; got ${n}`);
  if (!wholeNumber(r) || r < 1) throw new UsageError(`--r expects a whole number from 1 to N (${n}); got ${r}`);
  if (r > n) throw new UsageError(`--r ${r} is more than --n ${n}: a read cannot wait for more replicas than the key has (1 <= R <= N)`);
  if (!wholeNumber(w) || w < 1) throw new UsageError(`--w expects a whole number from 1 to N (${n}); got ${w}`);
  if (w > n) throw new UsageError(`--w ${w} is more than --n ${n}: a write cannot wait for more replicas than the key has (1 <= W <= N)`);
  if (!wholeNumber(down) || down < 0) throw new UsageError(`--down expects a whole number from 0 to N (${n}); got ${down}`);
  if (down > n) throw new UsageError(`--down ${down} is more than --n ${n}: K counts the key's replicas that are down (0 <= K <= N)`);
  if (cluster !== null) {
    if (!wholeNumber(cluster) || cluster < 1 || cluster > CLUSTER_MAX) throw new UsageError(`--cluster expects a whole number from N (${n}) to ${CLUSTER_MAX.toLocaleString("en-US")}; got ${cluster}`);
    if (cluster < n) throw new UsageError(`--cluster ${cluster} is less than --n ${n}: the cluster holds at least the key's N replicas`);
  }
}

export function analyzeQuorum(input: QuorumInput): QuorumAnalysis {
  checkQuorumInput(input);
  const config: QuorumConfig = { n: input.n, r: input.r, w: input.w, sloppy: input.sloppy, cluster: input.cluster };
  const base = {
    n: input.n,
    r: input.r,
    w: input.w,
    down: input.down,
    sloppy: input.sloppy,
    cluster: input.cluster,
    strong: isStrong(config),
    overlap: input.r + input.w - input.n,
    current: atDown(config, input.down),
    byDown: byDown(config),
    stale: staleProbability(input.n, input.r, input.w),
    tolerates: { reads: input.n - input.r, writes: input.n - input.w },
  };
  return { ...base, remarks: remarks(base) };
}

/** Whether the read/write overlap survives the stand-ins at this K (the end of the sloppy-reads remark). */
function sloppyReadRisk(a: Omit<QuorumAnalysis, "remarks">): string {
  const { r, down } = a;
  if (down === 0) return "here nothing is down, so no stand-in is in play.";
  if (a.current.reads.standIns === 0) return "here the cluster has no node outside the replica set, so no stand-in is in play: a strict quorum.";
  if (r > down) return `with R = ${r} > K = ${down}, every read still reaches a replica that has the write.`;
  return `with R = ${r} <= K = ${down} it can happen here: until the hints are replayed, a client may read back a value older than a write it made.`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The short explanations, one idea each, in the order a reader needs them. */
function remarks(a: Omit<QuorumAnalysis, "remarks">): Remark[] {
  const { n, r, w, down } = a;
  const out: Remark[] = [];
  const majority = Math.floor(n / 2) + 1;
  if (a.strong) {
    out.push({
      id: "strong",
      text: `R + W = ${r + w} > N = ${n}: the ${r} replicas a read hears from and the ${w} that acknowledged a write always have at least ${plural(a.overlap, "replica")} in common, so every read that completes sees the latest acknowledged write (the newest version wins)${a.sloppy && a.current.reads.available && !a.current.strongReads ? ", except where stand-ins break the overlap (below)" : ""}.`,
    });
  } else {
    out.push({
      id: "not-strong",
      text: `R + W = ${r + w} <= N = ${n}: a read quorum can avoid the write quorum entirely, so a read may return an older value (eventual consistency).`,
    });
    out.push({
      id: "stale",
      text: `Stale-read chance ${formatFraction(a.stale)}: if the write stayed on the ${plural(w, "replica")} that acknowledged it, a read asking ${plural(r, "replica")} at random would miss ${w === 1 ? "it" : "all of them"} this often. Writes keep spreading to all ${n} replicas after the ack, so a read that comes later is stale less often.`,
    });
  }
  out.push({
    id: "tolerates",
    text: `Writes keep working with up to ${a.tolerates.writes} of ${n} replicas down${a.sloppy ? " (more through stand-ins, below)" : ""}; reads with up to ${a.tolerates.reads}${a.sloppy ? " (likewise)" : ""}.`,
  });
  if (n > 1 && w === n) {
    out.push({ id: "write-all", text: `W = N: every replica must acknowledge a write, so a single replica down blocks writes${a.sloppy ? " unless a stand-in takes its place" : ""}.` });
  }
  if (n > 1 && r === n) out.push({ id: "read-all", text: "R = N: every replica must answer a read, so a single replica down blocks reads." });
  if (n > 1 && r === 1 && w === n) {
    out.push({ id: "fast-reads", text: "R = 1, W = N: the cheapest strong reads (one replica answers), paid for by writes that stop whenever any replica is down." });
  }
  if (n > 1 && r === n && w === 1) {
    out.push({ id: "fast-writes", text: `R = N, W = 1: a write needs one ack and survives ${n - 1} replicas down, paid for by reads that stop whenever any replica is down.` });
  }
  if (n >= 3 && r === majority && w === majority) {
    out.push({
      id: "majority",
      text: `R = W = ${majority}, a majority (Cassandra's QUORUM, Riak's default): strong, and both reads and writes survive ${plural(n - majority, "replica")} down.`,
    });
  }
  out.push(...availabilityRemarks(a));
  return out;
}

/** When some operations cannot gather a quorum, and what a sloppy quorum does about replicas that are down. */
function availabilityRemarks(a: Omit<QuorumAnalysis, "remarks">): Remark[] {
  const down = a.down;
  const out: Remark[] = [];
  const blocked = !a.current.reads.available || !a.current.writes.available;
  if (blocked) {
    out.push({
      id: "trade-off",
      text: a.strong
        ? `With ${down} down, R + W > N still holds, but the guarantee only covers operations that can gather a quorum. Smaller R or W buys availability and gives up overlap: no setting keeps both once most replicas are gone.`
        : `With ${down} down, some operations cannot gather a quorum. Smaller R or W buys availability, larger R + W buys consistency: no setting keeps both once most replicas are gone.`,
    });
  }
  if (a.sloppy) {
    const healthy = a.cluster === null ? "" : `: ${a.cluster - down} of ${a.cluster} nodes are up here`;
    out.push({
      id: "sloppy-writes",
      text: `Sloppy quorum: requests go to the first N healthy nodes on the ring, so when replicas are down, healthy nodes outside the key's replica set stand in, keep the write with a hint naming the intended replica, and hand it over when that replica returns (hinted handoff). Writes go on while W healthy nodes exist anywhere in the cluster${a.cluster === null ? " (assumed here; --cluster SIZE checks it)" : healthy}.`,
    });
    out.push({
      id: "sloppy-reads",
      text: `Reads go to the same first N healthy nodes, stand-ins answering with the copies they keep, so they go on while R healthy nodes exist. What they give up is the overlap: a stand-in lacks the writes made before it stepped in, and a replica that comes back lacks the ones the stand-ins took until the hints are replayed, so a read whose R replies all come from one side misses an acknowledged write. That takes R <= K; ${sloppyReadRisk(a)}`,
    });
    out.push({
      id: "sloppy-systems",
      text: "Dynamo counts a stand-in's ack toward W. Cassandra has hinted handoff on by default (hints kept for up to max_hint_window, 3h) but counts a hint toward the consistency level only at CL=ANY.",
    });
  }
  return out;
}
