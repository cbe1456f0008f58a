// Strong reads under a sloppy quorum, checked by brute force on small rings
// without the calculator's rule: the ring's nodes are 0..C−1 in ring order,
// the key's natural replicas are 0..N−1, and every request goes to the first N
// healthy nodes from the key (Dynamo's extended preference list; a strict
// quorum stops at the natural replicas). One failure: a down set D of K
// natural replicas, then their return with the hints not yet replayed. A
// write is held only by the W nodes that acknowledged it (the others may not
// have it yet); a read hears R nodes. Every down set, phase pair, write quorum
// and read quorum is tried: a read misses a write when the two share no node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { atDown, byDown } from "../../src/quorum/availability.js";

function popcount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}

/** The nodes a request reaches with `down` (a bit mask) down: the first n healthy nodes walking the ring from the key. */
function preference(n: number, cluster: number, sloppy: boolean, down: number): number {
  let mask = 0;
  let taken = 0;
  const last = sloppy ? cluster : n;
  for (let node = 0; node < last && taken < n; node++) {
    if (down & (1 << node)) continue;
    mask |= 1 << node;
    taken++;
  }
  return mask;
}

/** Every subset of `set` with exactly `size` members. */
function subsets(set: number, size: number): number[] {
  const out: number[] = [];
  for (let sub = set; ; sub = (sub - 1) & set) {
    if (popcount(sub) === size) out.push(sub);
    if (sub === 0) break;
  }
  return out;
}

interface Verdict {
  /** A read completes while the K are down. */
  readsDuring: boolean;
  /** Some completed read, in some phase, misses some acknowledged write made no later. */
  miss: boolean;
}

/** Tries every down set of k natural replicas, every write and read quorum, in the phases before, during and after the failure. */
function bruteForce(n: number, r: number, w: number, k: number, cluster: number, sloppy: boolean): Verdict {
  const naturals = (1 << n) - 1;
  let readsDuring = false;
  let miss = false;
  for (const down of subsets(naturals, k)) {
    // Phases: 0 before the failure, 1 during it, 2 after the return (hints not replayed).
    const reach = [naturals, preference(n, cluster, sloppy, down), naturals];
    if (popcount(reach[1]) >= r) readsDuring = true;
    for (let writePhase = 0; writePhase < 3; writePhase++) {
      const writes = subsets(reach[writePhase], w);
      for (let readPhase = writePhase; readPhase < 3; readPhase++) {
        const reads = subsets(reach[readPhase], r);
        for (const acks of writes) for (const replies of reads) if ((acks & replies) === 0) miss = true;
      }
    }
  }
  return { readsDuring, miss };
}

test("brute force: the calculator's strong reads hold exactly when no read can miss a write, on every small ring, strict and sloppy", () => {
  let checked = 0;
  let sloppyStrongWithStandIns = 0;
  let sloppyNotStrongDespiteOverlap = 0;
  for (let n = 1; n <= 5; n++) {
    for (let cluster = n; cluster <= n + 4; cluster++) {
      for (const sloppy of [false, true]) {
        for (let r = 1; r <= n; r++) {
          for (let w = 1; w <= n; w++) {
            for (let k = 0; k <= n; k++) {
              const truth = bruteForce(n, r, w, k, cluster, sloppy);
              const state = atDown({ n, r, w, sloppy, cluster: sloppy ? cluster : null }, k);
              const where = `N=${n} R=${r} W=${w} K=${k} ${sloppy ? `sloppy, ${cluster} nodes` : "strict"}`;
              assert.equal(state.reads.available, truth.readsDuring, `${where}: reads available`);
              assert.equal(state.strongReads, truth.readsDuring && !truth.miss, `${where}: strong reads`);
              if (sloppy && state.reads.standIns > 0 && state.strongReads) sloppyStrongWithStandIns++;
              if (sloppy && r + w > n && truth.readsDuring && truth.miss) sloppyNotStrongDespiteOverlap++;
              checked++;
            }
          }
        }
      }
    }
  }
  // The enumeration covers both sides of the rule: strong reads with stand-ins in play, and R + W > N that is not enough.
  assert.ok(checked > 2000, `${checked} combinations`);
  assert.ok(sloppyStrongWithStandIns > 0 && sloppyNotStrongDespiteOverlap > 0, `${sloppyStrongWithStandIns} / ${sloppyNotStrongDespiteOverlap}`);
});

test("brute force: without --cluster the calculator assumes a stand-in for every replica down, as a large ring has", () => {
  for (let n = 1; n <= 5; n++) {
    for (let r = 1; r <= n; r++) {
      for (let w = 1; w <= n; w++) {
        for (const row of byDown({ n, r, w, sloppy: true, cluster: null })) {
          // A ring with N more nodes than the key's replicas: a stand-in for each of them.
          const truth = bruteForce(n, r, w, row.down, 2 * n, true);
          assert.equal(row.strongReads, truth.readsDuring && !truth.miss, `N=${n} R=${r} W=${w} K=${row.down}`);
        }
      }
    }
  }
});

test("the review's example: N=3 R=2 W=2 on four nodes with one down is not strong under a sloppy quorum, though R + W > N", () => {
  assert.deepEqual(bruteForce(3, 2, 2, 1, 4, true), { readsDuring: true, miss: true });
  assert.equal(atDown({ n: 3, r: 2, w: 2, sloppy: true, cluster: 4 }, 1).strongReads, false);
  // Strict, the same quorum is strong with one down; with R = 3 the sloppy one is too (R + W = 5 > N + S = 4).
  assert.equal(atDown({ n: 3, r: 2, w: 2, sloppy: false, cluster: null }, 1).strongReads, true);
  assert.equal(atDown({ n: 3, r: 3, w: 2, sloppy: true, cluster: 4 }, 1).strongReads, true);
});
