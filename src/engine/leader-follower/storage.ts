// A shared, quorum-replicated volume (Aurora's storage): the writer's flush is
// not a local fsync but a write to six storage nodes, two in each of three
// zones of its region, durable once four of them have it. The readers share
// the volume and take no part in a commit (they replay the redo stream only to
// keep their caches warm), so losing or slowing them never slows the writer;
// slowing the links between zones does, and so does losing a zone (four copies
// are left, all of which must answer). A writer that cannot reach four copies
// (two zones lost, or cut off from the others) commits nothing: each flush it
// asks for then never ends (its commits time out), and the next flush that
// reaches a quorum makes everything before it durable, as the volume's
// complete LSN does. Where the region has fewer than three zones, the six
// copies are spread over the zones it has.
import { keepSmallest } from "../../base/order.js";
import type { Network } from "../network.js";
import type { Sampler } from "../../base/distributions.js";
import type { Rng } from "../../base/rng.js";

/** Copies of each write on the volume, and how many make it durable (Aurora: 4 of 6 across 3 zones). */
const STORAGE_COPIES = 6;
const STORAGE_WRITE_QUORUM = 4;
const STORAGE_ZONES = 3;

export class SharedVolume {
  /** The zone place of each storage copy. */
  private readonly copies: Int32Array;
  private readonly best = new Float64Array(STORAGE_WRITE_QUORUM);
  /**
   * Per writer: its flushes still on their way to the quorum, as (end, LSN) in order (ends only grow: a flush
   * counts as durable once every earlier one is, the volume's complete LSN), and the LSN durable before them.
   * Writes to the volume are pipelined: a flush starts at once, never queued behind the one under way, as a
   * local disk's group commit is.
   */
  private readonly inFlight: { ends: number[]; lsns: number[] }[];
  private readonly durable: Float64Array;

  constructor(
    private readonly network: Network,
    /** The storage nodes' own disk write (the topology's `storage.fsync`). */
    private readonly disk: Sampler,
    /** The zones ("region/zone") of the writer's region, its own first. */
    zones: readonly string[],
  ) {
    const used = zones.slice(0, STORAGE_ZONES);
    this.copies = new Int32Array(STORAGE_COPIES);
    for (let i = 0; i < STORAGE_COPIES; i++) this.copies[i] = network.zonePlace(used[i % used.length]);
    this.inFlight = Array.from({ length: network.nodeCount }, () => ({ ends: [], lsns: [] }));
    this.durable = new Float64Array(network.nodeCount);
  }

  /** `node` flushes its WAL up to `lsn` at `atMs`: when that flush is durable (no earlier than the one before it). */
  flush(node: number, atMs: number, lsn: number, rng: Rng): number {
    const pending = this.inFlight[node];
    // The flushes already durable leave the list.
    let done = 0;
    while (done < pending.ends.length && pending.ends[done] <= atMs) this.durable[node] = Math.max(this.durable[node], pending.lsns[done++]);
    if (done > 0) {
      pending.ends.splice(0, done);
      pending.lsns.splice(0, done);
    }
    const ms = this.flushMs(node, rng);
    // No quorum within reach: this flush never completes, and holds up none after it.
    if (ms === Infinity) return Infinity;
    const last = pending.ends.length > 0 ? pending.ends[pending.ends.length - 1] : atMs;
    const end = Math.max(atMs + ms, last);
    pending.ends.push(end);
    pending.lsns.push(lsn);
    return end;
  }

  /** The highest LSN of `node`'s WAL durable on the volume at `atMs`. */
  durableLsn(node: number, atMs: number): number {
    const pending = this.inFlight[node];
    let lsn = this.durable[node];
    for (let i = 0; i < pending.ends.length && pending.ends[i] <= atMs; i++) lsn = Math.max(lsn, pending.lsns[i]);
    return lsn;
  }

  /** `node` starts writing at `lsn`, everything before it durable (a promotion, a restart). */
  reset(node: number, lsn: number): void {
    this.inFlight[node].ends.length = 0;
    this.inFlight[node].lsns.length = 0;
    this.durable[node] = lsn;
  }

  /**
   * How long a flush from `node` takes: the STORAGE_WRITE_QUORUM-th fastest round trip (there and back, plus the
   * storage node's disk write) of the copies it can reach; a lost zone's copies, or those across a partition, never
   * answer (Infinity: fewer than the quorum can).
   */
  private flushMs(node: number, rng: Rng): number {
    const best = this.best;
    for (let j = 0; j < STORAGE_WRITE_QUORUM; j++) best[j] = Infinity;
    for (let i = 0; i < STORAGE_COPIES; i++) {
      const place = this.copies[i];
      if (this.network.isLost(place) || !this.network.reachable(node, place)) continue;
      keepSmallest(best, STORAGE_WRITE_QUORUM, this.network.latency(node, place) + this.disk.sample(rng) + this.network.latency(place, node));
    }
    return best[STORAGE_WRITE_QUORUM - 1];
  }
}
