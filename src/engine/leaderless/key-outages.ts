// Partial outages of a leaderless class, measured from the replicas' state.
//
// A leaderless class is rarely down as a whole: when the nodes that are down
// hold all but a few of some keys' replicas, those keys cannot be written (or
// read) while every other key can. The class's RTO cannot show it: an outage
// of the class ends at the acknowledgement of its first write sent after the
// first error, and writes to other keys succeed within milliseconds. Scanning
// requests key range by key range instead makes the figure depend on traffic
// (a range with few writes closes its outage late, or never within the run),
// and a client cut off from its coordinator fails on whatever key it picked.
//
// So the figure here comes from state, the way the engine's coordinators
// decide (PreferenceList.targets): a key range is unwritable while no
// coordinator that clients can use reaches W of the nodes its requests go to
// (its natural replicas that are up and reachable; under a sloppy quorum, up
// to N healthy nodes, stand-ins included), and unreadable likewise with R.
// A coordinator clients can use is a live node that some client place not in
// a lost zone reaches (with none left, every live node: a lost zone's clients
// are dead application servers). A client stuck on a dead coordinator, or a
// request that timed out, is the class RTO's business, not the range's. The
// state changes only when a node goes down or comes back, or a partition
// starts or heals, so it is evaluated then: no request density, no scan, and
// a stretch ends exactly when the replicas are back.
//
// Ranges are grouped by replica set (the token ranges whose N natural
// replicas are the same nodes stand or fall together), and weighed by the
// workload's keys in them: every key is counted up to KEYS_COUNTED keys, an
// even sample of that many stands for a larger key space (keys are hashed
// onto the ring, so the sample's share is within about a tenth of a
// percentage point of the whole's). The stretches and figures are kept by
// the record every mode with partial outages shares (engine/key-outages.ts).
import type { CoreState } from "../core/state.js";
import type { Ring } from "../ring.js";
import type { TimelineFact } from "../result.js";
import { classGroups, KeyRangeRecord, type KeyOutageSource, type ThresholdFigures } from "../key-outages.js";

/** Keys weighed one by one up to this many; past it, an even sample of this many keys. */
export const KEYS_COUNTED = 1 << 20;

export class KeyOutageTracker implements KeyOutageSource {
  /** Per token: its replica set. Per replica set: its N natural replicas (sets × n). */
  private readonly setOfToken: Int32Array;
  private readonly members: Int16Array;
  private readonly sets: number;
  /** Per replica set: the most nodes any usable coordinator reaches for it. */
  private readonly best: Int16Array;
  /** The Ws and Rs the classes use (the record's requirements, in this order). */
  private readonly needed: number[];
  private readonly record: KeyRangeRecord;
  /** Per class: the index in `needed` of its W and of its R. */
  private readonly writeOf: number[];
  private readonly readOf: number[];
  /** The distinct places clients are in. */
  private readonly clientPlaces: number[];

  constructor(
    private readonly core: CoreState,
    private readonly ring: Ring,
    private readonly n: number,
    private readonly sloppy: boolean,
    classW: ArrayLike<number>,
    classR: ArrayLike<number>,
  ) {
    const tokens = ring.tokenCount;
    const replicas = new Int16Array(tokens * n);
    ring.rangeReplicas(replicas);
    this.setOfToken = new Int32Array(tokens);
    const byName = new Map<string, number>();
    const members: number[] = [];
    for (let t = 0; t < tokens; t++) {
      const set = Array.from(replicas.subarray(t * n, (t + 1) * n)).sort((a, b) => a - b);
      const name = set.join(",");
      let index = byName.get(name);
      if (index === undefined) {
        index = byName.size;
        byName.set(name, index);
        members.push(...set);
      }
      this.setOfToken[t] = index;
    }
    this.sets = byName.size;
    this.members = Int16Array.from(members);
    this.best = new Int16Array(this.sets).fill(n);
    this.needed = [...new Set([...Array.from(classW), ...Array.from(classR)])].sort((a, b) => a - b);
    this.record = new KeyRangeRecord(this.sets, this.needed.length, () => this.weigh(), core.endMs);
    this.writeOf = Array.from(classW, (w) => this.needed.indexOf(w));
    this.readOf = Array.from(classR, (r) => this.needed.indexOf(r));
    this.clientPlaces = [...new Set(core.clientPlace)].sort((a, b) => a - b);
  }

  /**
   * The cluster changed at `now` (a node went down or came back, a partition started or healed): evaluates
   * every replica set again. `lostTarget` names a zone or region being lost whose clients' places the network
   * does not mark yet (its nodes go down first). Changes after the end of the run are not measured.
   */
  update(now: number, lostTarget: string | null = null): void {
    if (now > this.core.endMs) return;
    this.evaluate(lostTarget);
    this.record.update(now, (r, s) => this.best[s] < this.needed[r]);
  }

  /** For every replica set, the most nodes a coordinator that clients can use reaches for its keys. */
  private evaluate(lostTarget: string | null): void {
    const core = this.core;
    const network = core.network;
    const nodes = core.alive.length;
    const usable = this.clientPlaces.filter((p) => !network.isLost(p) && (lostTarget === null || (network.zoneOf(p) !== lostTarget && network.regionOf(p) !== lostTarget)));
    // What each usable coordinator reaches, once per distinct view (one when nothing is partitioned).
    const views = new Map<string, Uint8Array>();
    for (let x = 0; x < nodes; x++) {
      if (core.alive[x] !== 1) continue;
      if (usable.length > 0 && !usable.some((p) => network.reachable(p, x))) continue;
      const view = new Uint8Array(nodes);
      for (let y = 0; y < nodes; y++) view[y] = core.alive[y] === 1 && network.reachable(x, y) ? 1 : 0;
      views.set(view.join(""), view);
    }
    const best = this.best;
    best.fill(0);
    const n = this.n;
    for (const view of views.values()) {
      if (this.sloppy) {
        // Up to N healthy nodes it reaches, whichever: its natural replicas, then stand-ins further round the ring.
        let healthy = 0;
        for (let y = 0; y < nodes; y++) healthy += view[y];
        const count = Math.min(n, healthy);
        for (let s = 0; s < this.sets; s++) if (count > best[s]) best[s] = count;
        continue;
      }
      const members = this.members;
      for (let s = 0; s < this.sets; s++) {
        let count = 0;
        for (let i = s * n; i < (s + 1) * n; i++) if (members[i] >= 0 && view[members[i]] === 1) count++;
        if (count > best[s]) best[s] = count;
      }
    }
  }

  /** Keys per replica set: every key up to KEYS_COUNTED, else an even sample scaled to the key space. */
  private weigh(): Float64Array {
    const keys = this.core.workload.keys;
    const weights = new Float64Array(this.sets);
    const counted = Math.min(keys, KEYS_COUNTED);
    const scale = keys / counted;
    for (let i = 0; i < counted; i++) {
      const key = counted === keys ? i : Math.floor((i * keys) / counted);
      weights[this.setOfToken[this.ring.tokenOf(key)]] += scale;
    }
    return weights;
  }

  figures(cls: number, endMs: number): { writes: ThresholdFigures; reads: ThresholdFigures } {
    const [w, r] = [this.writeOf[cls], this.readOf[cls]];
    return { writes: this.record.figures(w, this.needed[w], endMs), reads: this.record.figures(r, this.needed[r], endMs) };
  }

  /**
   * The timeline's story: one fact each time the keys that cannot be written or read change, per group of
   * classes with the same W and R, until every key is back.
   */
  facts(classNames: readonly string[], endMs: number): { atMs: number; fact: TimelineFact }[] {
    const totalKeys = this.core.workload.keys;
    const out: { atMs: number; fact: TimelineFact }[] = [];
    for (const { classes, writes, reads } of classGroups(classNames, (cls) => [this.writeOf[cls], this.readOf[cls]])) {
      let before = "0/0";
      for (const change of this.record.changes(writes, reads, endMs)) {
        const w = Math.round(change.writes.keys);
        const r = Math.round(change.reads.keys);
        const now = `${w}/${r}`;
        if (now === before) continue;
        before = now;
        out.push({
          atMs: change.atMs,
          fact:
            w === 0 && r === 0
              ? { event: "keys-available", classes, totalKeys }
              : { event: "keys-unavailable", classes, n: this.n, sloppy: this.sloppy, totalKeys, writes: { needed: this.needed[writes], keys: w }, reads: { needed: this.needed[reads], keys: r } },
        });
      }
    }
    return out;
  }
}
