// Generated drills: the same seed gives the same question, the answer is the
// calculators' (checked here against independent brute force), and the
// model answer grades as right — for any seed (property test).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { failoverBudget, patroniRuns } from "../../src/base/failover-timing.js";
import { formatNumber } from "../../src/drills/exact.js";
import type { ResolvedFailover } from "../../src/model/types.js";
import { findDrill } from "../../src/drills/catalog.js";
import { instantiate } from "../../src/drills/generate.js";
import { gradeAnswer } from "../../src/drills/grade.js";
import type { DrillOf } from "../../src/drills/types.js";
import { catalog } from "./helpers.js";

const base = (id: string) => catalog().byId.get(id) as DrillOf<"generated">;

/** Every R-subset of N replicas, counting those that miss a fixed W-subset: the staleness by enumeration. */
function staleByEnumeration(n: number, r: number, w: number): number {
  let total = 0;
  let miss = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) bits++;
    if (bits !== r) continue;
    total++;
    // The write sits on replicas 0..w-1.
    if ((mask & ((1 << w) - 1)) === 0) miss++;
  }
  return miss / total;
}

/** The right answer text of a generated instance. */
function rightAnswer(drill: DrillOf<"multiple"> | DrillOf<"numeric">): string {
  if (drill.kind === "numeric") return String(drill.answer);
  const letters = drill.options.map((o, i) => (o.correct ? "abcd"[i] : "")).filter((l) => l);
  return letters.length === 0 ? "none" : letters.join(",");
}

describe("generated drills", () => {
  test("a seed replays the same question; different seeds vary", () => {
    for (const id of ["gen-quorum-availability", "gen-quorum-staleness", "gen-rto-budget"]) {
      assert.deepEqual(instantiate(base(id), 42).drill, instantiate(base(id), 42).drill);
      const prompts = new Set(Array.from({ length: 20 }, (_, seed) => instantiate(base(id), seed).drill.prompt));
      assert.ok(prompts.size >= 5, `${id}: only ${prompts.size} distinct questions in 20 seeds`);
    }
  });

  test("staleness answers equal the enumeration of read quorums", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const instance = instantiate(base("gen-quorum-staleness"), seed);
        const { n, r, w } = instance.params as { n: number; r: number; w: number };
        assert.ok(instance.drill.kind === "numeric");
        assert.ok(Math.abs(instance.drill.answer - staleByEnumeration(n, r, w)) < 1e-9);
      }),
      { numRuns: 200 },
    );
  });

  test("availability answers follow from counting replicas (strict quorum)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const instance = instantiate(base("gen-quorum-availability"), seed);
        const { n, r, w, down, sloppy } = instance.params as { n: number; r: number; w: number; down: number; sloppy: boolean };
        assert.ok(instance.drill.kind === "multiple");
        const [writes, reads, strong] = instance.drill.options;
        // Sloppy reads, like writes, reach the key's live replicas plus up to three stand-ins (a ring of N + 3 nodes).
        assert.equal(reads.correct, n - down + (sloppy ? Math.min(down, 3) : 0) >= r);
        assert.equal(strong.correct, r + w > n);
        if (!sloppy) assert.equal(writes.correct, n - down >= w);
        else assert.ok(writes.correct || n - down + Math.min(down, 3) < w, "sloppy quorum can only add writers");
      }),
      { numRuns: 200 },
    );
  });

  test("RTO budgets equal the engine's timing model", () => {
    for (let seed = 0; seed < 50; seed++) {
      const instance = instantiate(base("gen-rto-budget"), seed);
      const { failover, case: which } = instance.params as { failover: ResolvedFailover; case: "worst" | "best" };
      const budget = failoverBudget(failover);
      assert.ok(instance.drill.kind === "numeric");
      assert.equal(instance.drill.answer, (which === "worst" ? budget.maxMs : budget.minMs) / 1000);
    }
  });

  test("gen-rto-budget: a lease Patroni 3.2 and later raise is said so, with the budget on the raised lease (found by a review)", () => {
    let said = 0;
    for (let seed = 0; seed < 200; seed++) {
      const instance = instantiate(base("gen-rto-budget"), seed);
      const { failover, case: which } = instance.params as { failover: ResolvedFailover; case: "worst" | "best" };
      assert.ok(instance.drill.kind === "numeric");
      const d = failover.detection;
      const runs = d.kind === "lease" ? patroniRuns(d.ttlMs, d.loopWaitMs, d.retryTimeoutMs) : null;
      const current = runs && failoverBudget({ ...failover, detection: { kind: "lease", ttlMs: runs.ttlMs, loopWaitMs: runs.loopWaitMs, retryTimeoutMs: runs.retryTimeoutMs } });
      const then = current && (which === "worst" ? current.maxMs : current.minMs) / 1000;
      if (then === null || then === instance.drill.answer) {
        assert.doesNotMatch(instance.drill.model_answer, /Patroni 3\.2/);
        continue;
      }
      said++;
      assert.ok(d.kind === "lease" && d.ttlMs < 20_000, `seed ${seed}: only a ttl under 20 s changes the budget`);
      assert.ok(instance.drill.model_answer.includes(`Patroni 3.2 and later raise a ttl under 20s to 20s when they load it: there this lease runs as ttl 20s`), instance.drill.model_answer);
      assert.ok(instance.drill.model_answer.includes(`case is ${formatNumber(then)} s.`), instance.drill.model_answer);
      assert.match(instance.drill.prompt, /The lease runs as written, as Patroni 3\.1 and earlier run it\./);
    }
    assert.ok(said >= 10, `only ${said} of 200 seeds had a lease under 20 s`);
  });

  test("the right answer passes and the model answer explains it, for any seed", () => {
    fc.assert(
      fc.property(fc.constantFrom("gen-quorum-availability", "gen-quorum-staleness", "gen-rto-budget"), fc.integer({ min: 0, max: 4_294_967_295 }), (id, seed) => {
        const resolved = findDrill(catalog(), `${id}:${seed}`);
        assert.ok(resolved.instance);
        const graded = gradeAnswer(resolved, rightAnswer(resolved.instance.drill));
        assert.equal(graded.passed, true);
        assert.equal(graded.kind, "generated");
        assert.equal(graded.id, `${id}:${seed}`);
        assert.ok(graded.modelAnswer.length > 20);
      }),
      { numRuns: 150 },
    );
  });
});
