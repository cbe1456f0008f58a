// Partial outages of a multi-leader class under home-region routing, measured
// from the cluster's state.
//
// With home-region routing each key belongs to one leader region: a client
// writes the keys of its home region (the leader region it is in or nearest
// to) and only on that region's leader, never on another (which would write
// the key in two places). So while a home leader is down, or cut off from
// its region's clients, that region's keys cannot be written while every
// other region's keep being written. The class's RTO cannot show it: its
// outage ends at its first write acknowledged after the first error, on any
// key, within milliseconds. Reads of those keys still go to the nearest
// leader that is up (possibly stale): a region's keys cannot be read only
// while its clients reach no live leader at all.
//
// The ranges here are the leader regions' key sets (the keys k with
// k mod L = the region's index, as the shape routes them), each counted
// exactly. A region's keys are judged from its own clients' places (those not
// lost): the ones that write and read them. With none of them left (their
// zone lost: dead application servers, their users served elsewhere), any
// remaining client place stands in; with no client place left, only whether
// the leader is up. A region no client calls home has no keys in use, and no
// outage. The state is evaluated when a node goes down or comes back and
// when a partition starts or heals.
import type { CoreState } from "./core/state.js";
import type { TimelineFact } from "./result.js";
import { KeyRangeRecord, type KeyOutageSource, type RequirementState, type ThresholdFigures } from "./key-outages.js";

/** The record's requirements: a write needs its home leader, a read any leader. */
const WRITES = 0;
const READS = 1;

export class HomeKeyOutages implements KeyOutageSource {
  private readonly record: KeyRangeRecord;
  /** Per leader region: the distinct client places whose home it is. */
  private readonly homePlaces: number[][];
  /** Per leader region: whether its keys are unavailable now, for writes and for reads. */
  private readonly down: Uint8Array[];

  /** `leaders`: the leader node of each leader region, in order; `homeOf(place)`: the leader region a client place calls home. */
  constructor(
    private readonly core: CoreState,
    private readonly leaders: readonly number[],
    homeOf: (place: number) => number,
  ) {
    const places = [...new Set(core.clientPlace)].sort((a, b) => a - b);
    this.homePlaces = leaders.map((_, i) => places.filter((p) => homeOf(p) === i));
    this.down = [new Uint8Array(leaders.length), new Uint8Array(leaders.length)];
    this.record = new KeyRangeRecord(leaders.length, 2, () => this.weigh(), core.endMs);
  }

  /**
   * The cluster changed at `now`. `lostTarget` names a zone or region being lost whose clients' places the
   * network does not mark yet (its nodes go down first).
   */
  update(now: number, lostTarget: string | null = null): void {
    const core = this.core;
    const network = core.network;
    const usable = (p: number) => !network.isLost(p) && (lostTarget === null || (network.zoneOf(p) !== lostTarget && network.regionOf(p) !== lostTarget));
    const anyUsable = [...new Set(core.clientPlace)].filter(usable);
    const alive = (node: number) => core.alive[node] === 1;
    this.leaders.forEach((leader, i) => {
      const own = this.homePlaces[i];
      const mine = own.filter(usable);
      const from = mine.length > 0 ? mine : anyUsable;
      // Whether some place it is judged from reaches the node (with no client place left, whether it is up).
      const reaches = (node: number) => alive(node) && (from.length === 0 || from.some((p) => network.reachable(p, node)));
      this.down[WRITES][i] = own.length > 0 && !reaches(leader) ? 1 : 0;
      this.down[READS][i] = own.length > 0 && !this.leaders.some(reaches) ? 1 : 0;
    });
    this.record.update(now, (r, s) => this.down[r][s] === 1);
  }

  /** Keys per leader region: those the shape routes to it (k mod L = its index). */
  private weigh(): Float64Array {
    const keys = this.core.workload.keys;
    const count = this.leaders.length;
    return Float64Array.from(this.leaders, (_, i) => (i < keys ? Math.floor((keys - 1 - i) / count) + 1 : 0));
  }

  figures(cls: number, endMs: number): { writes: ThresholdFigures; reads: ThresholdFigures } {
    void cls;
    return { writes: this.record.figures(WRITES, 1, endMs), reads: this.record.figures(READS, 1, endMs) };
  }

  /** The timeline's story: one fact each time the regions whose keys cannot be written or read change, until every key is back. */
  facts(classNames: readonly string[], endMs: number): { atMs: number; fact: TimelineFact }[] {
    const totalKeys = this.core.workload.keys;
    // Every class has the same requirements: one story for them all.
    const classes = [...classNames];
    const out: { atMs: number; fact: TimelineFact }[] = [];
    let before = "/";
    for (const change of this.record.changes(WRITES, READS, endMs)) {
      const writes = this.regionsOf(change.writes);
      const reads = this.regionsOf(change.reads);
      const now = `${writes.regions.join()}/${reads.regions.join()}`;
      if (now === before) continue;
      before = now;
      out.push({
        atMs: change.atMs,
        fact: writes.keys === 0 && reads.keys === 0 ? { event: "keys-available", classes, totalKeys } : { event: "keys-unavailable", classes, totalKeys, writes, reads },
      });
    }
    return out;
  }

  /** The leader regions (their leaders' names) a state leaves unavailable, and their keys. */
  private regionsOf(state: RequirementState): { keys: number; regions: string[]; leaders: string[] } {
    const nodes = this.core.topology.nodes;
    const down = this.leaders.filter((_, i) => state.down[i] === 1);
    return { keys: Math.round(state.keys), regions: down.map((n) => nodes[n].region), leaders: down.map((n) => nodes[n].name) };
  }
}
