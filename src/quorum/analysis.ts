// The quorum calculator's core: check the inputs, then gather availability
// with K replicas down, the table for every K, the strong-read condition, the
// closed-form staleness and the short remarks that explain them. Pure: no I/O,
// no randomness (t-visibility lives in visibility.ts).
import { UsageError } from "../model/diagnostics.js";
import { LIMITS } from "../model/schema.js";
import { atDown, byDown, isStrong, type DownState, type QuorumConfig } from "./availability.js";
import { formatFraction, staleBeforeFailure, staleProbability, type StaleProbability } from "./staleness.js";

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
  /** The closed form for a write made before the K replicas went down (any write when K = 0): its W replicas are then a random W of all N. */
  stale: StaleProbability;
  /** The same for a write made before the K went down, read while they are down: `stale` unless stand-ins (which lack it) answer reads. */
  staleBefore: StaleProbability;
  /** The same for a write made while the K are down. */
  staleDuring: StaleDuringFailure;
  /** Replicas that may be down with the path still working (strict quorum). */
  tolerates: { reads: number; writes: number };
  remarks: Remark[];
}

/**
 * A write made while K replicas are down lands on W of the nodes a request
 * reaches (the N − K up replicas, plus stand-ins under a sloppy quorum), and a
 * read asks R of the same nodes: C(M − W, R) / C(M, R) with M those nodes.
 * `stale` is null when no such write or read can complete (W or R > M).
 */
export interface StaleDuringFailure {
  /** M: the nodes a request reaches with K down. */
  nodes: number;
  stale: StaleProbability | null;
  writesBlocked: boolean;
  readsBlocked: boolean;
}

export function staleDuringFailure(current: DownState, r: number, w: number): StaleDuringFailure {
  const nodes = current.writes.reachable;
  const writesBlocked = w > nodes;
  const readsBlocked = r > nodes;
  return { nodes, stale: writesBlocked || readsBlocked ? null : staleProbability(nodes, r, w), writesBlocked, readsBlocked };
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
  const current = atDown(config, input.down);
  const base = {
    n: input.n,
    r: input.r,
    w: input.w,
    down: input.down,
    sloppy: input.sloppy,
    cluster: input.cluster,
    strong: isStrong(config),
    overlap: input.r + input.w - input.n,
    current,
    byDown: byDown(config),
    stale: staleProbability(input.n, input.r, input.w),
    staleBefore: staleBeforeFailure(input.n, input.r, input.w, input.down, current.reads.standIns),
    staleDuring: staleDuringFailure(current, input.r, input.w),
    tolerates: { reads: input.n - input.r, writes: input.n - input.w },
  };
  return { ...base, remarks: remarks(base) };
}

/**
 * What the stand-ins do to the read/write overlap at this K (the end of the
 * sloppy-reads remark), claiming only what is guaranteed: with S stand-ins in
 * play every read meets every write's acks iff R + W > N + S (derived in
 * availability.ts). When that fails, one way a read misses a write: a write
 * acknowledged partly by stand-ins, read from the replicas once they are back
 * and before the hints are replayed; or, when writes are blocked with K down,
 * a write from before the failure, read from the replicas still up that
 * missed it and the stand-ins.
 */
/** Whether any node outside a key's replica set can stand in for a down one: a sloppy quorum in a cluster larger than N (unbounded when not given). */
function standInsPossible(a: Pick<QuorumAnalysis, "sloppy" | "cluster" | "n">): boolean {
  return a.sloppy && (a.cluster === null || a.cluster > a.n);
}

function sloppyReadRisk(a: Omit<QuorumAnalysis, "remarks">): string {
  const { n, r, w, down } = a;
  const s = a.current;
  const standIns = s.reads.standIns;
  if (down === 0) return "Here nothing is down, so no stand-in is in play.";
  if (standIns === 0) return "Here the cluster has no node outside the replica set, so no stand-in is in play: a strict quorum.";
  if (!s.reads.available && !s.writes.available) return `Here reads and writes are both blocked with ${down} down, so no request goes through the stand-ins.`;
  const inPlay = `S = ${plural(standIns, "stand-in")} in play`;
  if (r + w > n + standIns) {
    return `With R + W = ${r + w} > N + S = ${n + standIns} (${inPlay}) every read still shares a node with the ${w} that acknowledged any write, made before, during or after the failure, stand-ins or not.`;
  }
  const only = `Only R + W > N + S rules that out (${inPlay}; here ${r + w} <= ${n + standIns}).`;
  if (s.writes.available) {
    const helped = Math.min(w, standIns);
    const natural = w - helped;
    const acks = natural === 0 ? `${plural(helped, "stand-in")} alone` : `${plural(natural, "replica")} of the key and ${plural(helped, "stand-in")}`;
    return (
      `R + W > N does not make every read see the write: W = ${w} can be met by ${acks}, and once the down replica${down === 1 ? "" : "s"} return${down === 1 ? "s" : ""}, until the hints are replayed, ` +
      `a read of ${r} of the key's other replicas (those that missed the write and the returned ${down === 1 ? "one" : "ones"}) misses it. ${only}`
    );
  }
  // Writes are blocked: the miss is a write from before the failure whose acks include the replicas now down.
  const kept = Math.max(0, w - down);
  const up = n - down;
  const holders = kept === 0 ? "none of the up replicas has it" : kept === up ? `the ${plural(up, "up replica")} ${up === 1 ? "has" : "have"} it and no stand-in does` : `only ${plural(kept, "up replica")} ${kept === 1 ? "has" : "have"} it`;
  return (
    `Writes are blocked with ${down} down, but a write made before the failure may have been acknowledged by ${w} replicas including the ${down} now down, so ${holders}; ` +
    `${up - kept === 0 ? `a read answered by ${plural(r, "stand-in")} alone, which ${r === 1 ? "lacks" : "lack"} it,` : `a read of ${r} of the other up replicas and the stand-ins (which lack it)`} misses it. ${only}`
  );
}

/** With K down, which writes the stale-read chance is for, and the chance for a write made during the failure. */
function staleCaseSentence(a: Omit<QuorumAnalysis, "remarks">): string {
  const { r, w, down } = a;
  const d = a.staleDuring;
  const they = down === 1 ? "it is" : "they are";
  const before =
    a.current.reads.standIns > 0
      ? `That holds with every replica up; a write made before ${plural(down, "replica")} went down is missed more often (${formatFraction(a.staleBefore)}), as the stand-ins answering reads lack it;`
      : `That is for a write made before ${plural(down, "replica")} went down (its ${w} could be any ${w} of the ${a.n});`;
  if (d.writesBlocked) return `${before} while ${they} down, writes are blocked.`;
  if (d.readsBlocked) return `${before} while ${they} down, reads are blocked.`;
  const where = a.current.reads.standIns > 0 ? `nodes requests reach (${a.current.up} up, ${a.current.reads.standIns} stand-in${a.current.reads.standIns === 1 ? "" : "s"})` : "up replicas";
  return `${before} a write made while ${they} down lands on ${w} of the ${d.nodes} ${where}, and reads ask ${r} of those same ${d.nodes}, so the chance is C(${d.nodes}−${w}, ${r}) / C(${d.nodes}, ${r}) = ${formatFraction(d.stale!)}.`;
}

/** R + W > N, yet with K down a sloppy quorum's stand-ins let a completed read miss an acknowledged write. */
function breaksOverlap(a: Omit<QuorumAnalysis, "remarks">): boolean {
  return a.strong && a.sloppy && a.current.reads.available && !a.current.strongReads;
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
      text: `R + W = ${r + w} > N = ${n}: the ${plural(r, "replica")} a read hears from and the ${w} that acknowledged a write always have at least ${plural(a.overlap, "replica")} in common, so every read that completes sees the latest acknowledged write (the newest version wins)${breaksOverlap(a) ? ", except where stand-ins break the overlap (below)" : ""}.`,
    });
  } else {
    out.push({
      id: "not-strong",
      text: `R + W = ${r + w} <= N = ${n}: a read quorum can avoid the write quorum entirely, so a read may return an older value (eventual consistency).`,
    });
    out.push({
      id: "stale",
      text: `Stale-read chance ${formatFraction(a.stale)}: if the write stayed on the ${plural(w, "replica")} that acknowledged it, a read asking ${plural(r, "replica")} at random would miss ${w === 1 ? "it" : "all of them"} this often. Writes keep spreading to all ${n} replicas after the ack, so a read that comes later is stale less often.${down > 0 ? ` ${staleCaseSentence(a)}` : ""}`,
    });
  }
  out.push({
    id: "tolerates",
    text: `Writes keep working with up to ${a.tolerates.writes} of ${n} replicas down${standInsPossible(a) ? " (more through stand-ins, below)" : ""}; reads with up to ${a.tolerates.reads}${standInsPossible(a) ? " (likewise)" : ""}.`,
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
      text: `R = W = ${majority}, a majority (Cassandra's QUORUM, Riak's default): strong${breaksOverlap(a) ? " (except where stand-ins break the overlap, below)" : ""}, and both reads and writes survive ${plural(n - majority, "replica")} down.`,
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
      text: `Reads go to the same first N healthy nodes, stand-ins answering with the copies they keep, so they go on while R healthy nodes exist. What they give up is the overlap: a stand-in lacks the writes made before it stepped in, and a replica that comes back lacks the ones the stand-ins took until the hints are replayed. ${sloppyReadRisk(a)}`,
    });
    out.push({
      id: "sloppy-systems",
      text:
        "Dynamo counts a stand-in's ack toward W and reads from stand-ins too; so does Riak, whose stand-ins (fallback vnodes) answer not found for a key written before they stepped in, a reply that counts toward R by default (notfound_ok), unless pr (primary replies, default 0) asks for the key's own replicas. " +
        "Cassandra has hinted handoff on by default (hints kept for up to max_hint_window, 3h) but counts a hint toward the consistency level only at CL=ANY, and never reads one: with fewer than R of a key's replicas up, its reads fail, sloppy or not.",
    });
  }
  return out;
}
