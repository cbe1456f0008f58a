// A request's targets on the consistent-hash ring: the key's N natural
// replicas that are up, and (sloppy quorum) the first healthy nodes further
// round the ring standing in for those that are not.
import type { CoreState } from "../core/state.js";
import type { Ring } from "../ring.js";

export class PreferenceList {
  /** The key's N natural replicas, while building a request's targets (length N: no stale entries past them). */
  private readonly natural: Int16Array;
  /** Stand-ins found on the ring walk, while building a sloppy request's targets. */
  private readonly standIns: Int16Array;
  /** Natural replicas that are down, while building a request's targets. */
  private readonly missing: Int16Array;
  /**
   * After `targets`: the natural replicas that are down and have no stand-in (all of them under a strict
   * quorum), the first `uncovered` entries of `uncoveredOwners`. The coordinator keeps a hint for each.
   */
  readonly uncoveredOwners: Int16Array;
  uncovered = 0;

  constructor(
    private readonly core: CoreState,
    private readonly ring: Ring,
    private readonly n: number,
    private readonly sloppy: boolean,
  ) {
    this.natural = new Int16Array(n);
    this.standIns = new Int16Array(core.topology.nodes.length);
    this.missing = new Int16Array(n);
    this.uncoveredOwners = new Int16Array(n);
  }

  up(coordinator: number, node: number): boolean {
    return this.core.alive[node] === 1 && this.core.network.reachable(coordinator, node);
  }

  /**
   * The nodes a request for `key` goes to: the natural replicas that are up,
   * plus (sloppy quorum) the first healthy nodes further round the ring, one
   * standing in for each natural replica that is not (Dynamo's extended
   * preference list). Returns how many targets were written into `out`;
   * `owners[i]` is the natural replica a stand-in holds a hint for (−1 for
   * natural replicas). So a sloppy request reaches min(N, healthy nodes).
   */
  targets(coordinator: number, key: number, out: Int16Array, owners: Int16Array): number {
    const natural = this.natural;
    this.ring.preference(key, natural);
    let count = 0;
    let missing = 0;
    for (let i = 0; i < this.n; i++) {
      const node = natural[i];
      if (this.up(coordinator, node)) {
        out[count] = node;
        owners[count++] = -1;
      } else {
        this.missing[missing++] = node;
      }
    }
    this.uncovered = 0;
    if (missing === 0) return count;
    let found = 0;
    if (this.sloppy) {
      // Walk on past the natural replicas: the first `missing` healthy nodes that are not natural replicas, in ring order.
      const standIns = this.standIns;
      found = this.ring.walk(key, standIns, missing, (node) => !this.isNatural(node) && this.up(coordinator, node));
      for (let i = 0; i < found; i++) {
        out[count] = standIns[i];
        owners[count++] = this.missing[i];
      }
    }
    for (let i = found; i < missing; i++) this.uncoveredOwners[this.uncovered++] = this.missing[i];
    return count;
  }

  /** Whether `node` is one of the N natural replicas in `this.natural` (only its first N entries are the key's). */
  private isNatural(node: number): boolean {
    const natural = this.natural;
    for (let i = 0; i < this.n; i++) if (natural[i] === node) return true;
    return false;
  }
}
