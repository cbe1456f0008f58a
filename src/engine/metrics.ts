// Measurements taken while a run unfolds: latency samples per class, outcomes,
// recovery times. Everything reported is computed from these records.
import type { OpenOutage } from "./outages.js";
import { Samples } from "../base/stats.js";

/** Per data class: latencies, outcomes, and the recovery clock after the first fault. */
export class ClassMetrics {
  writeLatency = new Samples();
  readLatency = new Samples();
  writesAcked = 0;
  writesRejected = 0;
  writesAmbiguous = 0;
  readsServed = 0;
  readsRejected = 0;
  staleReads = 0;
  /** Read outages as they happen (reads are decided when sent; write outages are found from the log afterwards). */
  readOutages: OpenOutage[] = [];
  readOutage: OpenOutage | null = null;
  lastOkReadSendMs = -Infinity;
}

/** Per client: when it first failed after the fault and when it first succeeded again. */
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

  constructor(clients: number) {
    this.firstErrorMs = new Float64Array(clients).fill(Infinity);
    this.recoveredMs = new Float64Array(clients).fill(Infinity);
    this.backMs = new Float64Array(clients).fill(-Infinity);
    this.lostMs = new Float64Array(clients).fill(Infinity);
  }
}
