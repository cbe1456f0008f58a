// What a coordinator knows about the other nodes, and how it answers a
// request it cannot get a quorum for. Cassandra's failure detector (phi
// accrual over gossip heartbeats) marks a peer down once phi passes
// phi_convict_threshold (8): phi = elapsed / (mean interval · ln 10), with a
// heartbeat heard about every second, so about 8 · ln 10 ≈ 18 s after the
// peer went silent. Until then the coordinator still counts the peer as a
// replica, sends to it and waits for its request timeout (write_request_timeout
// 2 s, read_request_timeout 5 s) before answering a timeout; once it has marked
// enough replicas down it answers UNAVAILABLE at once.
import type { CoreState } from "../core/state.js";

export const GOSSIP = {
  /** From a peer going silent (crashed or cut off) until the coordinator's failure detector marks it down. */
  convictMs: Math.round(8 * Math.LN10 * 1000),
  /** How long a coordinator waits for replicas' answers before it answers a timeout (Cassandra's defaults). */
  writeRequestTimeoutMs: 2000,
  readRequestTimeoutMs: 5000,
};

export class GossipView {
  private readonly nodes: number;
  /** Per (coordinator, node): whether the coordinator can reach the node, as of the last refresh. */
  private readonly reaches: Uint8Array;
  /** Per coordinator: when it last lost sight of a node (−Infinity: never). */
  private readonly lostMs: Float64Array;

  constructor(private readonly core: CoreState) {
    this.nodes = core.topology.nodes.length;
    this.reaches = new Uint8Array(this.nodes * this.nodes).fill(1);
    this.lostMs = new Float64Array(this.nodes).fill(-Infinity);
  }

  /** After a crash, a recovery, a partition or a heal: notes which coordinators lost sight of a node now. */
  refresh(now: number): void {
    const { alive, network } = this.core;
    for (let c = 0; c < this.nodes; c++) {
      for (let x = 0; x < this.nodes; x++) {
        const reaches = alive[x] === 1 && network.reachable(c, x) ? 1 : 0;
        const i = c * this.nodes + x;
        if (this.reaches[i] === 1 && reaches === 0) this.lostMs[c] = now;
        this.reaches[i] = reaches;
      }
    }
  }

  /**
   * Whether `coordinator` has marked down every node it cannot reach (the last one went silent a detection
   * ago): it then knows a quorum is out of reach and says so at once. Taken per coordinator, not per key: a
   * newly silent node that holds none of the key's replicas delays the answer too, which is rare and errs long.
   */
  knowsDown(coordinator: number, now: number): boolean {
    return now - this.lostMs[coordinator] >= GOSSIP.convictMs;
  }

  /**
   * When the answer to a request the coordinator cannot complete reaches the client: UNAVAILABLE after the
   * way back once it knows, otherwise a timeout after its request timeout (the client's own may come first).
   */
  answerMs(coordinator: number, place: number, arriveMs: number, requestTimeoutMs: number): number {
    const back = this.core.network.latency(coordinator, place);
    return this.knowsDown(coordinator, arriveMs) ? arriveMs + back : arriveMs + requestTimeoutMs + back;
  }
}
