// Hinted handoff (Dynamo, Cassandra): a stand-in that accepted a write for a
// down replica keeps a hint and replays it when the replica is back; no hint is
// kept for a replica down longer than the hint window.
//
// The replay's timing follows Cassandra's hints service. Each holder checks for
// hints to dispatch every 10 s from its start (its dispatch trigger), and only
// to a node its failure detector sees up: a returning node is seen up once its
// new gossip generation has reached the holder. One dispatch task per (holder,
// destination), at most `max_hints_delivery_threads` of them at once per
// holder, each sending its hints oldest first through its own rate limiter of
// `hinted_handoff_throttle` / (cluster size − 1) bytes a second, so the whole
// cluster together replays about one throttle's worth to a returning node. Each
// hint is a message of its own: it lands on its owner at its own time, and
// counts as delivered only then (one still on its way when its owner crashes
// stays with its holder). How a holder keeps its hints in bounded memory while
// sending one message per hint: see hint-queue.ts.
import type { CoreState } from "../core/state.js";
import { HintQueue, type Newer } from "./hint-queue.js";

/** Cassandra's hinted-handoff timing (its defaults), the one place these numbers live. */
const HANDOFF = {
  /**
   * From a node's return until a holder sees it up: the returning node gossips its new generation at once and
   * each node gossips once a second to a random peer, so in a small cluster the news reaches every peer in about
   * two rounds, then an echo round trip marks it alive. Two seconds, the same for every holder.
   */
  detectUpMs: 2000,
  /** HintsService schedules its dispatch trigger with a fixed delay of 10 s, first 10 s after start. */
  triggerEveryMs: 10_000,
  /** hinted_handoff_throttle: 1024 KiB a second, divided by the other nodes of the cluster, per destination. */
  throttleBytesPerSecond: 1024 * 1024,
  /** max_hints_delivery_threads: dispatch tasks one holder runs at once. */
  deliveryThreads: 2,
} as const;

/** Lands a replayed version on its owner: (owner, key, write id, landing time, now). */
export type ApplyVersion = (owner: number, key: number, id: number, at: number, now: number) => void;

/** Queues an event for the handoff: at `at`, `handle(a, b)` is called back (a < 0 a trigger; a > 0 a send, or with b < 0 a check of what landed). */
export type QueueHandoffEvent = (at: number, a: number, b: number) => void;

export class HintedHandoff {
  /** Per holder × owner (holder · nodes + owner), the hints it keeps (persisted: a crash of the holder does not lose them). */
  private readonly queues: HintQueue[];
  /** Per holder, how many hints it keeps (for all owners). */
  private readonly held: Int32Array;
  private readonly nodes: number;
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
  /** Per owner, for the handoff under way since it last came back: the hints not kept in the absence before. */
  private readonly handoffNotKept: Int32Array;
  /** When each node went down (for the hint window), NaN while up. */
  private readonly downSince: Float64Array;
  /** When holders see each node up again (its return plus the detection delay); 0 for a node up from the start. */
  private readonly seenUpAt: Float64Array;
  /** When each node (re)started: its dispatch trigger fires every `triggerEveryMs` after it. */
  private readonly startedMs: Float64Array;
  /** Per holder: the time of its pending trigger (NaN: none) and a generation that retires stale trigger events. */
  private readonly triggerAt: Float64Array;
  private readonly triggerGen: Int32Array;
  /** Per holder × owner: the generation of its dispatch task (odd while one runs); per holder, tasks running. */
  private readonly taskGen: Int32Array;
  private readonly tasks: Int32Array;
  /** Per holder × owner: a task submitted by a trigger, waiting for one of the holder's delivery threads. */
  private readonly submitted: Uint8Array;
  /** Time between two hints of one dispatch task: one write's bytes through the per-destination throttle. */
  private readonly sendGapMs: number;
  hintsStored = 0;
  /** Hints that have landed on their owner (one still on its way when its owner crashes is not, and is sent again). */
  hintsDelivered = 0;
  hintsDropped = 0;
  /** Hints taken back because their stand-in crashed before the write reached it. */
  hintsNeverLanded = 0;

  constructor(
    private readonly core: CoreState,
    private readonly hintWindowMs: number,
    private readonly queueEvent: QueueHandoffEvent,
    private readonly apply: ApplyVersion,
    newer: Newer,
    /** Whether reads repair the replicas they find behind (read_repair), for the timeline's words on hints not kept. */
    private readonly readRepair = false,
  ) {
    const nodes = core.topology.nodes.length;
    this.nodes = nodes;
    this.queues = Array.from({ length: nodes * nodes }, () => new HintQueue(newer));
    this.held = new Int32Array(nodes);
    this.hintsOwed = new Int32Array(nodes);
    this.handoffOwed = new Int32Array(nodes);
    this.handoffReplayed = new Int32Array(nodes);
    this.handoffFrom = new Uint8Array(nodes * nodes);
    this.hintsNotKept = new Int32Array(nodes);
    this.handoffNotKept = new Int32Array(nodes);
    this.downSince = new Float64Array(nodes).fill(NaN);
    this.seenUpAt = new Float64Array(nodes);
    this.startedMs = new Float64Array(nodes);
    this.triggerAt = new Float64Array(nodes).fill(NaN);
    this.triggerGen = new Int32Array(nodes);
    this.taskGen = new Int32Array(nodes * nodes);
    this.tasks = new Int32Array(nodes);
    this.submitted = new Uint8Array(nodes * nodes);
    const perDestination = HANDOFF.throttleBytesPerSecond / Math.max(1, nodes - 1);
    this.sendGapMs = (core.workload.writeSizeBytes / perDestination) * 1000;
  }

  /**
   * `node` (a stand-in, or the coordinator when `standIn` is false) keeps a hint for `owner` of write `id` to `key`,
   * landing on it at `at`; `now` is the present.
   */
  store(node: number, owner: number, key: number, id: number, at: number, now: number, standIn = true): void {
    const since = this.downSince[owner];
    // Cassandra stops writing hints for a node that has been down longer than max_hint_window.
    if (!Number.isNaN(since) && at - since > this.hintWindowMs) {
      this.hintsDropped++;
      if (this.hintsNotKept[owner]++ === 0) {
        this.core.note(at, this.core.topology.nodes[owner].name, { event: "hints-dropped", hintWindowMs: this.hintWindowMs, readRepair: this.readRepair });
      }
      return;
    }
    this.queues[node * this.nodes + owner].add(key, id, at, now);
    this.held[node]++;
    this.hintsOwed[owner]++;
    // A hint for an owner that is up (unreachable from this coordinator) joins the handoff under way.
    if (this.core.alive[owner] === 1) {
      this.handoffOwed[owner]++;
      this.armTrigger(node, at);
    }
    if (this.hintsStored++ === 0) {
      this.core.note(at, this.core.topology.nodes[node].name, { event: "hinted-write", owner: this.core.topology.nodes[owner].name, standIn });
    }
  }

  /**
   * The sum over holder × owner of the most entries each held at once: an upper bound of the most held at once,
   * which the keys bound (one entry per key and owner on a holder), not the length of an outage.
   */
  get peakEntries(): number {
    return this.queues.reduce((sum, q) => sum + q.peakEntries, 0);
  }

  /** A handoff event queued by this class: a dispatch trigger (a < 0), a dispatch task's next send (a > 0), or a check of what landed (b < 0). */
  handle(a: number, b: number, now: number): void {
    if (now > this.core.endMs) return;
    if (a < 0) this.trigger(-a - 1, b, now);
    else if (b < 0) this.landed(a - 1, this.queues[a - 1].landed(now, true), now);
    else this.send(a - 1, b, now);
  }

  /** Makes sure `holder`'s dispatch trigger fires at its first beat at or after `from`. */
  private armTrigger(holder: number, from: number): void {
    const started = this.startedMs[holder];
    const every = HANDOFF.triggerEveryMs;
    const at = started + every * Math.max(1, Math.ceil((from - started) / every));
    if (this.triggerAt[holder] <= at) return;
    this.triggerAt[holder] = at;
    this.queueEvent(at, -(holder + 1), ++this.triggerGen[holder]);
  }

  /**
   * The holder's trigger: it submits a dispatch task for each owner it sees up and can reach; tasks beyond its
   * threads wait in the executor's queue and start as soon as a thread is free.
   */
  private trigger(holder: number, gen: number, now: number): void {
    if (gen !== this.triggerGen[holder] || this.core.alive[holder] !== 1) return;
    this.triggerAt[holder] = NaN;
    let later = false;
    for (let owner = 0; owner < this.nodes; owner++) {
      const index = holder * this.nodes + owner;
      if (this.queues[index].pending === 0 || this.core.alive[owner] !== 1 || this.taskGen[index] % 2 === 1) continue;
      if (this.seenUpAt[owner] <= now && this.core.network.reachable(holder, owner)) this.submitted[index] = 1;
      else later = true;
    }
    this.startSubmitted(holder, now);
    if (later) this.armTrigger(holder, now + 1);
  }

  /** Starts the holder's submitted tasks, lowest owner first, while it has a free delivery thread. */
  private startSubmitted(holder: number, now: number): void {
    for (let owner = 0; owner < this.nodes && this.tasks[holder] < HANDOFF.deliveryThreads; owner++) {
      const index = holder * this.nodes + owner;
      if (this.submitted[index] === 0) continue;
      this.submitted[index] = 0;
      this.tasks[holder]++;
      this.send(index, ++this.taskGen[index], now);
    }
  }

  /**
   * One dispatch task sends its oldest hint, then waits for the throttle; it stops when its owner cannot take it.
   * A hint counts as delivered once it has landed (see `landed`).
   */
  private send(index: number, gen: number, now: number): void {
    if (gen !== this.taskGen[index]) return;
    const holder = Math.floor(index / this.nodes);
    const owner = index % this.nodes;
    const q = this.queues[index];
    const core = this.core;
    this.landed(index, q.landed(now, false), now);
    q.admit(now);
    // A hint still on its way to the holder, or an owner gone or out of reach: the task ends; the next trigger resumes.
    if (!q.ready || core.alive[owner] !== 1 || !core.network.reachable(holder, owner)) {
      this.endTask(index, holder, now, true);
      if (q.pending > 0 && core.alive[owner] === 1) this.armTrigger(holder, now + 1);
      return;
    }
    const slot = q.take();
    const landsAt = now + core.network.latency(holder, owner);
    if (slot >= 0) this.apply(owner, q.keyOf(slot), q.idOf(slot), landsAt, now);
    q.fly(slot, landsAt);
    if (q.pending === 0) this.endTask(index, holder, now, true);
    else this.queueEvent(now + this.sendGapMs, index + 1, gen);
  }

  /** `count` hints of holder × owner `index` have landed on their owner by `now`: delivered; the handoff is done when none is left. */
  private landed(index: number, count: number, now: number): void {
    if (count === 0) return;
    const holder = Math.floor(index / this.nodes);
    const owner = index % this.nodes;
    this.held[holder] -= count;
    this.hintsDelivered += count;
    this.hintsOwed[owner] -= count;
    this.handoffReplayed[owner] += count;
    this.handoffFrom[owner * this.nodes + holder] = 1;
    if (this.hintsOwed[owner] === 0 && this.core.alive[owner] === 1) this.endHandoff(owner, now, "done");
  }

  /**
   * A task ends (done, its owner out of reach or down, or its holder down); with `startNext` the thread takes the
   * next submitted task. Hints it sent that are still on their way are checked once the last has landed.
   */
  private endTask(index: number, holder: number, now: number, startNext: boolean): void {
    this.submitted[index] = 0;
    const q = this.queues[index];
    if (q.inFlight > 0) this.queueEvent(Math.max(now, q.lastLanding), index + 1, -1);
    if (this.taskGen[index] % 2 === 0) return;
    this.taskGen[index]++;
    this.tasks[holder]--;
    if (startNext) this.startSubmitted(holder, now);
  }

  /**
   * The run ends: a handoff still under way is noted with what it replayed so far, and so is one owed to a node that
   * is up but has been replayed nothing yet (its holders' threads busy with other nodes, or their trigger not come).
   */
  finish(now: number): void {
    for (let index = 0; index < this.queues.length; index++) this.landed(index, this.queues[index].landed(now, true), now);
    for (let owner = 0; owner < this.nodes; owner++) {
      if (this.hintsOwed[owner] === 0) continue;
      if (this.handoffReplayed[owner] > 0 || (this.core.alive[owner] === 1 && this.handoffOwed[owner] > 0)) this.endHandoff(owner, now, "run-ended");
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
    core.note(now, name, { event: "hints-replayed", owner: name, from, replayed, owed, outcome: why, stillWaiting: this.hintsOwed[owner], notKept: this.handoffNotKept[owner], readRepair: this.readRepair });
    if (why === "done" && replayed !== owed) core.violations.push({ check: "handoff", node: name, replayed, owed });
    this.handoffOwed[owner] = this.hintsOwed[owner];
    this.handoffReplayed[owner] = 0;
    this.handoffNotKept[owner] = 0;
    this.handoffFrom.fill(0, owner * nodes, (owner + 1) * nodes);
  }

  /**
   * Node `n` went down: its hint window starts; hints on their way to it go back to their holders' queues, and a
   * handoff to it stops; so do its own dispatch tasks and trigger (its hints stay on disk for when it is back).
   */
  down(n: number, now: number): void {
    this.downSince[n] = now;
    for (let holder = 0; holder < this.nodes; holder++) {
      if (holder === n) continue;
      const index = holder * this.nodes + n;
      this.landed(index, this.queues[index].recall(now), now);
    }
    // A handoff to it that had begun stops here; the rest waits for its next return.
    if (this.handoffReplayed[n] > 0) this.endHandoff(n, now, this.hintsOwed[n] === 0 ? "done" : "crashed");
    for (let other = 0; other < this.nodes; other++) {
      this.endTask(n * this.nodes + other, n, now, false);
      // The other holders' threads that were sending to it take their next submitted task.
      if (other !== n) this.endTask(other * this.nodes + n, other, now, true);
    }
    this.triggerAt[n] = NaN;
    this.triggerGen[n]++;
  }

  /**
   * Node `n` is back at `now`: holders see it up after the detection delay and replay at their next trigger; its
   * own trigger restarts. Returns the hints waiting for it and those not kept.
   */
  back(n: number, now: number): { waiting: number; notKept: number } {
    this.downSince[n] = NaN;
    this.seenUpAt[n] = now + HANDOFF.detectUpMs;
    this.startedMs[n] = now;
    const waiting = this.hintsOwed[n];
    const notKept = this.hintsNotKept[n];
    this.hintsNotKept[n] = 0;
    this.handoffNotKept[n] = notKept;
    this.handoffOwed[n] = waiting;
    this.handoffReplayed[n] = 0;
    for (let holder = 0; holder < this.nodes; holder++) {
      if (this.queues[holder * this.nodes + n].pending > 0 && this.core.alive[holder] === 1) this.armTrigger(holder, this.seenUpAt[n]);
    }
    this.resume(n, now);
    return { waiting, notKept };
  }

  /** Holder `h` can dispatch again (it is back, or a partition healed): its trigger picks up owners that are up. */
  resume(h: number, now: number): void {
    if (this.held[h] === 0 || this.core.alive[h] !== 1) return;
    for (let owner = 0; owner < this.nodes; owner++) {
      if (this.queues[h * this.nodes + owner].pending > 0 && this.core.alive[owner] === 1) return this.armTrigger(h, now);
    }
  }

  /** The hint of write `id` for `owner`, on its way to `holder`, never arrives: its coordinator crashed at `now`. */
  dropSent(holder: number, owner: number, id: number, now: number): void {
    this.neverLanded(holder, owner, this.queues[holder * this.nodes + owner].dropSent(id, now));
  }

  /** A holder that crashes before a hinted write reaches it does not keep the hint either. */
  dropUnlanded(n: number, now: number): void {
    if (this.held[n] === 0) return;
    for (let owner = 0; owner < this.nodes; owner++) this.neverLanded(n, owner, this.queues[n * this.nodes + owner].dropUnlanded(now));
  }

  /** `dropped` hints for `owner` never reached `holder`: nobody holds or owes them. */
  private neverLanded(holder: number, owner: number, dropped: number): void {
    if (dropped === 0) return;
    this.held[holder] -= dropped;
    this.hintsNeverLanded += dropped;
    this.hintsOwed[owner] -= dropped;
    if (this.core.alive[owner] === 1) this.handoffOwed[owner] -= dropped;
  }
}
