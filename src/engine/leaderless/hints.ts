// Hinted handoff (Dynamo, Cassandra): a stand-in that accepted a write for a
// down replica keeps a hint and replays it, throttled, when the replica is back;
// no hint is kept for a replica down longer than the hint window.
import type { CoreState } from "../core/state.js";

/** Hinted handoff delivers about 1,000 hints a second per node (Cassandra's 1024 KiB/s throttle at 1 KB writes). */
const HINTS_PER_SECOND = 1000;

interface Hint {
  owner: number;
  key: number;
  id: number;
  storedMs: number;
}

/** Lands a replayed version on its owner: (owner, key, write id, landing time, now). */
export type ApplyVersion = (owner: number, key: number, id: number, at: number, now: number) => void;

export class HintedHandoff {
  /** Per stand-in, the hints it keeps (persisted: a crash of the stand-in does not lose them). */
  private readonly hints: Hint[][];
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
    this.hints = Array.from({ length: nodes }, () => []);
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
    this.hints[node].push({ owner, key, id, storedMs: at });
    this.hintsOwed[owner]++;
    // A hint for an owner that is up (unreachable from this coordinator) joins the handoff under way.
    if (this.core.alive[owner] === 1) this.handoffOwed[owner]++;
    if (this.hintsStored++ === 0) {
      this.core.note(at, this.core.topology.nodes[node].name, { event: "hinted-write", owner: this.core.topology.nodes[owner].name, standIn });
    }
  }

  /** Each stand-in replays its hints to owners that are back, at a throttled rate (once a second). */
  deliver(now: number, last: boolean, apply: ApplyVersion): void {
    const core = this.core;
    const nodes = this.hints.length;
    for (let node = 0; node < nodes; node++) {
      const list = this.hints[node];
      if (list.length === 0 || core.alive[node] !== 1) continue;
      let budget = HINTS_PER_SECOND;
      const keep: Hint[] = [];
      for (const hint of list) {
        // A hint is replayed once the stand-in holds it, the owner is back and reachable, and the throttle allows.
        if (budget > 0 && hint.storedMs <= now && core.alive[hint.owner] === 1 && core.network.reachable(node, hint.owner)) {
          budget--;
          apply(hint.owner, hint.key, hint.id, now + core.network.latency(node, hint.owner), now);
          this.hintsDelivered++;
          this.hintsOwed[hint.owner]--;
          this.handoffReplayed[hint.owner]++;
          this.handoffFrom[hint.owner * nodes + node] = 1;
        } else keep.push(hint);
      }
      this.hints[node] = keep;
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
    const nodes = this.hints.length;
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

  /** A stand-in that crashes before a hinted write reaches it does not keep the hint either. */
  dropUnlanded(n: number, now: number): void {
    const list = this.hints[n];
    if (list.length === 0) return;
    const keep: Hint[] = [];
    for (const hint of list) {
      if (hint.storedMs <= now) {
        keep.push(hint);
        continue;
      }
      this.hintsNeverLanded++;
      this.hintsOwed[hint.owner]--;
      if (this.core.alive[hint.owner] === 1) this.handoffOwed[hint.owner]--;
    }
    this.hints[n] = keep;
  }
}
