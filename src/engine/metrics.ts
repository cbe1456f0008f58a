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
 * Entries are indexed client × classCount + class.
 */
export class ClientRecovery {
  firstErrorMs: Float64Array;
  recoveredMs: Float64Array;
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

  constructor(
    clients: number,
    private readonly clientZone: Int32Array,
    private readonly classCount: number,
    private readonly firstFaultMs: number,
  ) {
    const entries = clients * classCount;
    this.firstErrorMs = new Float64Array(entries).fill(Infinity);
    this.recoveredMs = new Float64Array(entries).fill(Infinity);
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
      if (sendMs < this.firstErrorMs[entry]) this.firstErrorMs[entry] = sendMs;
      if (this.recoveredMs[entry] !== Infinity) return;
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
    if (Number.isNaN(lastFail) || this.recoveredMs[entry] !== Infinity || sendMs <= lastFail) return;
    this.recoveredMs[entry] = Math.min(doneMs, Math.max(lastFail, connMs, this.peerAckMs[entry]));
    this.leave(entry);
  }

  /**
   * At the end of the run: a client still waiting for a class it did not write again, while writes of that class
   * from its zone were acknowledged after its last failure and it holds a connection, was served again from the
   * later of those (a class written rarely per client would otherwise keep its clients waiting forever).
   * `connectedMs[c]` is when client c's present connection was made, NaN when it has none.
   */
  finish(connectedMs: ArrayLike<number>): void {
    for (let entry = 0; entry < this.recoveredMs.length; entry++) {
      if (this.recoveredMs[entry] !== Infinity || Number.isNaN(this.lastFailMs[entry]) || this.peerAckMs[entry] === Infinity) continue;
      const connMs = connectedMs[Math.floor(entry / this.classCount)];
      if (!Number.isNaN(connMs)) this.recoveredMs[entry] = Math.max(this.lastFailMs[entry], connMs, this.peerAckMs[entry]);
    }
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
