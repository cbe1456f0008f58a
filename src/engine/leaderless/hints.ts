// Hinted handoff (Dynamo, Cassandra): a stand-in that accepted a write for a
// down replica keeps a hint and replays it, throttled, when the replica is back;
// no hint is kept for a replica down longer than the hint window.
import { moved } from "../../base/typed.js";
import type { CoreState } from "../core/state.js";

/** Hinted handoff delivers about 1,000 hints a second per node (Cassandra's 1024 KiB/s throttle at 1 KB writes). */
const HINTS_PER_SECOND = 1000;

/**
 * The hints one node keeps for one owner, oldest first, in typed arrays (a long outage leaves one hint per
 * write to the owner's keys: tens of bytes each, no object). `seq` orders hints across owners as they were stored.
 */
class HintQueue {
  key = new Int32Array(64);
  id = new Float64Array(64);
  storedMs = new Float64Array(64);
  seq = new Float64Array(64);
  head = 0;
  tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(key: number, id: number, storedMs: number, seq: number): void {
    if (this.tail === this.key.length) this.makeRoom();
    const i = this.tail++;
    this.key[i] = key;
    this.id[i] = id;
    this.storedMs[i] = storedMs;
    this.seq[i] = seq;
  }

  /** Keeps only the entries `keep` accepts (by index), in order. */
  filter(keep: (i: number) => boolean): number {
    let to = this.head;
    let dropped = 0;
    for (let i = this.head; i < this.tail; i++) {
      if (!keep(i)) {
        dropped++;
        continue;
      }
      this.key[to] = this.key[i];
      this.id[to] = this.id[i];
      this.storedMs[to] = this.storedMs[i];
      this.seq[to] = this.seq[i];
      to++;
    }
    this.tail = to;
    return dropped;
  }

  private makeRoom(): void {
    const live = this.tail - this.head;
    const size = live * 2 > this.key.length ? this.key.length * 2 : this.key.length;
    this.key = moved(this.key, this.head, this.tail, size);
    this.id = moved(this.id, this.head, this.tail, size);
    this.storedMs = moved(this.storedMs, this.head, this.tail, size);
    this.seq = moved(this.seq, this.head, this.tail, size);
    this.head = 0;
    this.tail = live;
  }
}


/** Lands a replayed version on its owner: (owner, key, write id, landing time, now). */
export type ApplyVersion = (owner: number, key: number, id: number, at: number, now: number) => void;

export class HintedHandoff {
  /** Per holder × owner (holder · nodes + owner), the hints it keeps (persisted: a crash of the holder does not lose them). */
  private readonly queues: HintQueue[];
  /** Per holder, how many hints it keeps (for all owners). */
  private readonly held: Int32Array;
  private readonly nodes: number;
  /** Order of storage, across owners. */
  private seq = 0;
  /** Per owner: hints waiting for it on any stand-in. */
  private readonly hintsOwed: Int32Array;
  /**
   * Per owner, for the handoff under way since it last came back: the hints it
   * was owed (when it came back, plus any kept for it since), how many have been
   * replayed to it, and which stand-ins replayed them (owner × stand-in flags).
   */
  private readonly handoffOwed: Int32Array;
  private readonly handoffReplayed: Int32Array;
  private readonly handoffFrom: Uint8Array;
  /** Per owner, while it is down: hints not kept because it was down past the hint window. */
  private readonly hintsNotKept: Int32Array;
  /** When each node went down (for the hint window), NaN while up. */
  private readonly downSince: Float64Array;
  hintsStored = 0;
  hintsDelivered = 0;
  hintsDropped = 0;
  /** Hints taken back because their stand-in crashed before the write reached it. */
  hintsNeverLanded = 0;

  constructor(
    private readonly core: CoreState,
    private readonly hintWindowMs: number,
  ) {
    const nodes = core.topology.nodes.length;
    this.nodes = nodes;
    this.queues = Array.from({ length: nodes * nodes }, () => new HintQueue());
    this.held = new Int32Array(nodes);
    this.hintsOwed = new Int32Array(nodes);
    this.handoffOwed = new Int32Array(nodes);
    this.handoffReplayed = new Int32Array(nodes);
    this.handoffFrom = new Uint8Array(nodes * nodes);
    this.hintsNotKept = new Int32Array(nodes);
    this.downSince = new Float64Array(nodes).fill(NaN);
  }

  /** `node` (a stand-in, or the coordinator when `standIn` is false) keeps a hint for `owner` of write `id` to `key`, landing at `at`. */
  store(node: number, owner: number, key: number, id: number, at: number, standIn = true): void {
    const since = this.downSince[owner];
    // Cassandra stops writing hints for a node that has been down longer than max_hint_window.
    if (!Number.isNaN(since) && at - since > this.hintWindowMs) {
      this.hintsDropped++;
      if (this.hintsNotKept[owner]++ === 0) {
        this.core.note(at, this.core.topology.nodes[owner].name, { event: "hints-dropped", hintWindowMs: this.hintWindowMs });
      }
      return;
    }
    this.queues[node * this.nodes + owner].push(key, id, at, this.seq++);
    this.held[node]++;
    this.hintsOwed[owner]++;
    // A hint for an owner that is up (unreachable from this coordinator) joins the handoff under way.
    if (this.core.alive[owner] === 1) this.handoffOwed[owner]++;
    if (this.hintsStored++ === 0) {
      this.core.note(at, this.core.topology.nodes[node].name, { event: "hinted-write", owner: this.core.topology.nodes[owner].name, standIn });
    }
  }

  /**
   * Each holder replays its hints to owners that are back and reachable, oldest first across owners, at a
   * throttled rate (once a second). A hint that has not landed on its holder yet waits for the next pass, and so
   * do the later hints for its owner. Owners that are not back cost nothing: their hints are not touched.
   */
  deliver(now: number, last: boolean, apply: ApplyVersion): void {
    const core = this.core;
    const nodes = this.nodes;
    const ready: HintQueue[] = [];
    const readyOwner: number[] = [];
    for (let node = 0; node < nodes; node++) {
      if (this.held[node] === 0 || core.alive[node] !== 1) continue;
      ready.length = 0;
      readyOwner.length = 0;
      for (let owner = 0; owner < nodes; owner++) {
        const q = this.queues[node * nodes + owner];
        if (q.length > 0 && core.alive[owner] === 1 && core.network.reachable(node, owner)) {
          ready.push(q);
          readyOwner.push(owner);
        }
      }
      let budget = HINTS_PER_SECOND;
      while (budget > 0) {
        // The oldest deliverable hint among the owners that are back.
        let pick = -1;
        for (let j = 0; j < ready.length; j++) {
          const q = ready[j];
          if (q.length === 0 || q.storedMs[q.head] > now) continue;
          if (pick < 0 || q.seq[q.head] < ready[pick].seq[ready[pick].head]) pick = j;
        }
        if (pick < 0) break;
        const q = ready[pick];
        const owner = readyOwner[pick];
        const i = q.head++;
        budget--;
        this.held[node]--;
        apply(owner, q.key[i], q.id[i], now + core.network.latency(node, owner), now);
        this.hintsDelivered++;
        this.hintsOwed[owner]--;
        this.handoffReplayed[owner]++;
        this.handoffFrom[owner * nodes + node] = 1;
      }
    }
    for (let owner = 0; owner < nodes; owner++) {
      if (this.handoffReplayed[owner] === 0) continue;
      if (this.hintsOwed[owner] === 0) this.endHandoff(owner, now, "done");
      else if (last) this.endHandoff(owner, now, "run-ended");
    }
  }

  /** Notes the handoff to `owner` since it came back (totals over every stand-in), and starts a new count. */
  private endHandoff(owner: number, now: number, why: "done" | "run-ended" | "crashed"): void {
    const core = this.core;
    const nodes = this.nodes;
    const replayed = this.handoffReplayed[owner];
    const owed = this.handoffOwed[owner];
    const from: string[] = [];
    for (let node = 0; node < nodes; node++) if (this.handoffFrom[owner * nodes + node] === 1) from.push(core.topology.nodes[node].name);
    const name = core.topology.nodes[owner].name;
    core.note(now, name, { event: "hints-replayed", owner: name, from, replayed, owed, outcome: why, stillWaiting: this.hintsOwed[owner] });
    if (why === "done" && replayed !== owed) core.violations.push({ check: "handoff", node: name, replayed, owed });
    this.handoffOwed[owner] = this.hintsOwed[owner];
    this.handoffReplayed[owner] = 0;
    this.handoffFrom.fill(0, owner * nodes, (owner + 1) * nodes);
  }

  /** Node `n` went down: its hint window starts, a handoff to it stops, and hints it had not yet received are gone. */
  down(n: number, now: number): void {
    this.downSince[n] = now;
    // A handoff to it that had begun stops here; the rest waits for its next return.
    if (this.handoffReplayed[n] > 0) this.endHandoff(n, now, "crashed");
  }

  /** Node `n` is back: the handoff to it starts; returns the hints waiting for it and those not kept. */
  back(n: number): { waiting: number; notKept: number } {
    this.downSince[n] = NaN;
    const waiting = this.hintsOwed[n];
    const notKept = this.hintsNotKept[n];
    this.hintsNotKept[n] = 0;
    this.handoffOwed[n] = waiting;
    this.handoffReplayed[n] = 0;
    return { waiting, notKept };
  }

  /** A holder that crashes before a hinted write reaches it does not keep the hint either. */
  dropUnlanded(n: number, now: number): void {
    if (this.held[n] === 0) return;
    for (let owner = 0; owner < this.nodes; owner++) {
      const q = this.queues[n * this.nodes + owner];
      if (q.length === 0) continue;
      const dropped = q.filter((i) => q.storedMs[i] <= now);
      if (dropped === 0) continue;
      this.held[n] -= dropped;
      this.hintsNeverLanded += dropped;
      this.hintsOwed[owner] -= dropped;
      if (this.core.alive[owner] === 1) this.handoffOwed[owner] -= dropped;
    }
  }
}
