// Measurements taken while a run unfolds: latency samples per class, outcomes,
// recovery times. Everything reported is computed from these records.
import type { OpenOutage } from "./outages.js";
import { Samples } from "../base/stats.js";

/** Per data class: latencies, outcomes, and the recovery clock after the first fault. */
export class ClassMetrics {
  writeLatency = new Samples();
  readLatency = new Samples();
  writesAcked = 0;
  /** When the class's first and last acknowledgements were delivered (NaN: none). */
  firstAckMs = NaN;
  lastAckMs = NaN;
  writesRejected = 0;
  /** Writes sent before any fault (all of them in a run without one), and how many of those were rejected: the design under its plain load. */
  writesBeforeFault = 0;
  rejectedBeforeFault = 0;
  writesAmbiguous = 0;
  readsServed = 0;
  readsRejected = 0;
  staleReads = 0;
  /** Read outages as they happen (reads are decided when sent; write outages are found from the log afterwards). */
  readOutages: OpenOutage[] = [];
  readOutage: OpenOutage | null = null;
  lastOkReadSendMs = -Infinity;
}

/**
 * Per client and data class: when its writes of the class first failed after
 * the fault, and when it could write the class again (a class judged on its
 * own: a client whose other classes' writes succeed may still be waiting for
 * this one). The second is not the acknowledgement of its next write: a
 * client that writes every few seconds would count its idle time as downtime,
 * and the p99 over clients would follow the write rate instead of the
 * failover. It is the earliest moment the evidence allows, scanned from the
 * writes in send order (`fold`) once they are decided: no earlier than the
 * client's last failed send of the class, than the connection its next
 * successful write of it went over (a reconnect, a stale DNS cache), or than
 * the first acknowledgement, among the writes of its zone and class sent after
 * that failure (the service back for clients like it: a healed partition,
 * commits unblocked); and no later than its own next acknowledgement.
 * A client may be cut off more than once: what counts is its worst wait over
 * the run, and a wait still open at the end never ended (Infinity). An outage
 * closes when a failure is sent after its recovery; a failure sent before it
 * reopens the same outage. The first wait counts from the fault that broke
 * it; a later one, as a class's outages do (outages.ts), from the fault that
 * broke it if none of the client's writes succeeded since that fault, else
 * from its first failure; and one still open at the end that began while the
 * client was being served, less than a request timeout before the end, says
 * nothing yet and is left out (its last write failed by chance).
 * Entries are indexed client × classCount + class.
 */
export class ClientRecovery {
  /** The present (or last) outage: its first failed send and its recovery (Infinity: not yet). */
  firstErrorMs: Float64Array;
  recoveredMs: Float64Array;
  /** The worst closed wait so far (NaN: none), as `waitMs` measures it; after `finish`, over the whole run. */
  worstWaitMs: Float64Array;
  /** The send time of the entry's latest acknowledged write, and of the last one before the present outage (−Infinity: the first outage, or none). */
  private readonly okSendMs: Float64Array;
  private readonly okBeforeMs: Float64Array;
  /** When the client's zone came back from a loss (−Infinity: never lost): its wait as a user starts no earlier. */
  backMs: Float64Array;
  /**
   * When the client's zone was lost (Infinity: never). A client still waiting
   * then stops being a user's wait: its application server is gone, and the
   * users it served are now served by the survivors.
   */
  lostMs: Float64Array;
  /** While a client waits: its last failed write's send time, and the earliest acknowledgement of a write of its zone and that write's class sent after it. */
  private readonly lastFailMs: Float64Array;
  private readonly peerAckMs: Float64Array;
  /** Per zone and class, the waiting clients whose peers' evidence is not final yet (a later send cannot be acknowledged before it). */
  private readonly seeking: number[][];
  /** Where each client sits in its list (−1: in none), and which list. */
  private readonly slot: Int32Array;
  private readonly group: Int32Array;
  private readonly firstFaultMs: number;

  constructor(
    clients: number,
    private readonly clientZone: Int32Array,
    private readonly classCount: number,
    /** The scenario's fault times, in order: a wait runs from the latest one at or before its first error. */
    private readonly faultTimes: readonly number[],
  ) {
    const entries = clients * classCount;
    this.firstFaultMs = faultTimes.length > 0 ? faultTimes[0] : Infinity;
    this.firstErrorMs = new Float64Array(entries).fill(Infinity);
    this.recoveredMs = new Float64Array(entries).fill(Infinity);
    this.worstWaitMs = new Float64Array(entries).fill(NaN);
    this.okSendMs = new Float64Array(entries).fill(-Infinity);
    this.okBeforeMs = new Float64Array(entries).fill(-Infinity);
    this.backMs = new Float64Array(clients).fill(-Infinity);
    this.lostMs = new Float64Array(clients).fill(Infinity);
    this.lastFailMs = new Float64Array(entries).fill(NaN);
    this.peerAckMs = new Float64Array(entries).fill(Infinity);
    this.slot = new Int32Array(entries).fill(-1);
    this.group = new Int32Array(entries);
    let zones = 0;
    for (const z of clientZone) zones = Math.max(zones, z + 1);
    this.seeking = Array.from({ length: zones * classCount }, () => []);
  }

  /** One decided write, in send order: a failure (not acknowledged) or an acknowledgement, sent over a connection made at `connMs`. */
  fold(client: number, cls: number, sendMs: number, acked: boolean, doneMs: number, connMs: number): void {
    if (!(sendMs >= this.firstFaultMs)) return;
    const g = this.clientZone[client] * this.classCount + cls;
    const entry = client * this.classCount + cls;
    if (!acked) {
      const recovered = this.recoveredMs[entry];
      const fresh = this.firstErrorMs[entry] === Infinity || (recovered !== Infinity && sendMs > recovered);
      if (fresh) {
        // A new outage. A later one than the first closes the last (into the client's worst). Each remembers the
        // client's last success: a client served after the fault was not broken by it then, so its wait starts at
        // its first error, as the class's outage does; one never served since the fault waits from the fault.
        // (Found by a review: the first outage always counted from the fault, so w: 1 clients that wrote through a
        // stall and failed once, 15 s in, during a reconnect, had waited "15 s" beside a class RTO of 113 ms.)
        if (this.firstErrorMs[entry] !== Infinity) this.close(entry);
        this.okBeforeMs[entry] = this.okSendMs[entry];
        this.firstErrorMs[entry] = sendMs;
      }
      // Else sent before the recovery the evidence gave: the same outage goes on.
      this.recoveredMs[entry] = Infinity;
      this.leave(entry);
      this.lastFailMs[entry] = sendMs;
      this.peerAckMs[entry] = Infinity;
      this.join(entry, g);
      return;
    }
    // Peers' evidence: the earliest acknowledgement of a write sent after each waiting client's last failure.
    const list = this.seeking[g];
    for (let k = list.length - 1; k >= 0; k--) {
      const c = list[k];
      // Final once the sends pass it: every write folded from now on was sent after that acknowledgement.
      if (sendMs >= this.peerAckMs[c]) this.leave(c);
      else if (sendMs > this.lastFailMs[c] && doneMs < this.peerAckMs[c]) this.peerAckMs[c] = doneMs;
    }
    const lastFail = this.lastFailMs[entry];
    this.okSendMs[entry] = sendMs;
    if (Number.isNaN(lastFail) || this.recoveredMs[entry] !== Infinity || sendMs <= lastFail) return;
    this.recoveredMs[entry] = Math.min(doneMs, Math.max(lastFail, connMs, this.peerAckMs[entry]));
    this.leave(entry);
  }

  /**
   * At the end of the run: a client still waiting for a class it did not write again, while writes of that class
   * from its zone were acknowledged after its last failure and it holds a connection, was served again from the
   * later of those (a class written rarely per client would otherwise keep its clients waiting forever).
   * `connectedMs[c]` is when client c's present connection was made, NaN when it has none. Then the last outage
   * joins the worst: one still open never ended, unless it is too young to say (see the class's comment).
   */
  finish(connectedMs: ArrayLike<number>, endMs: number, timeoutMs: number): void {
    for (let entry = 0; entry < this.recoveredMs.length; entry++) {
      if (this.recoveredMs[entry] === Infinity && !Number.isNaN(this.lastFailMs[entry]) && this.peerAckMs[entry] !== Infinity) {
        const connMs = connectedMs[Math.floor(entry / this.classCount)];
        if (!Number.isNaN(connMs)) this.recoveredMs[entry] = Math.max(this.lastFailMs[entry], connMs, this.peerAckMs[entry]);
      }
      const firstError = this.firstErrorMs[entry];
      if (firstError === Infinity) continue;
      const undecided = this.recoveredMs[entry] === Infinity && this.origin(entry) === firstError && endMs - firstError < timeoutMs;
      if (!undecided) this.close(entry);
    }
  }

  /** Where the present outage's wait starts: the fault that broke the client, or its first failure if a write of it succeeded after that fault. */
  private origin(entry: number): number {
    const firstError = this.firstErrorMs[entry];
    const fault = faultBefore(this.faultTimes, firstError);
    return fault > this.okBeforeMs[entry] ? fault : firstError;
  }

  /**
   * How long the present outage of an entry kept its client waiting as a user, from its origin to its recovery:
   * a client whose zone was lost waited only from when the zone came back (if before its first error), and only
   * until its zone was lost, if that cut its wait short (its users moved to the survivors).
   */
  private waitMs(entry: number): number {
    const client = Math.floor(entry / this.classCount);
    const [firstError, recovered] = [this.firstErrorMs[entry], this.recoveredMs[entry]];
    const back = this.backMs[client] <= firstError ? this.backMs[client] : -Infinity;
    const lost = this.lostMs[client];
    const end = lost > firstError && lost < recovered ? lost : recovered;
    return end - Math.max(back, this.origin(entry));
  }

  /** Ends the present outage: its wait is kept if it is the client's worst. */
  private close(entry: number): void {
    const wait = this.waitMs(entry);
    if (!(wait <= this.worstWaitMs[entry])) this.worstWaitMs[entry] = wait;
  }

  private join(entry: number, g: number): void {
    this.group[entry] = g;
    this.slot[entry] = this.seeking[g].length;
    this.seeking[g].push(entry);
  }

  private leave(entry: number): void {
    const at = this.slot[entry];
    if (at < 0) return;
    const list = this.seeking[this.group[entry]];
    const moved = list[list.length - 1];
    list[at] = moved;
    this.slot[moved] = at;
    list.pop();
    this.slot[entry] = -1;
  }
}

/** The fault a wait runs from: the latest at or before its first error (the first fault if none is). */
export function faultBefore(faultTimes: readonly number[], errorMs: number): number {
  let origin = faultTimes[0] ?? 0;
  for (const t of faultTimes) if (t <= errorMs) origin = t;
  return origin;
}
