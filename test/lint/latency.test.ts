// Medians and p99s of the latency forms the sync-standby rule quotes.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { medianMs, p99Ms, quantileMs } from "../../src/lint/latency.js";
import type { Latency } from "../../src/model/types.js";

const close = (actual: number, expected: number, tolerance = 1e-3) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${actual} is not about ${expected}`);

test("closed forms: constant, uniform midpoint, exponential ln2/rate, pareto scale·2^(1/shape)", () => {
  close(medianMs({ constant: 40 }), 40);
  close(medianMs({ uniform: [10, 30] }), 20);
  close(medianMs({ exponential: { rate: 2 } }), Math.LN2 / 2);
  close(medianMs({ pareto: { scale: 0.235, shape: 10 } }), 0.235 * 2 ** (1 / 10));
});

test("a {median, p99} log-normal gives back its two points", () => {
  close(medianMs({ median: 35, p99: 80 }), 35);
  close(p99Ms({ median: 35, p99: 80 }), 80);
  close(p99Ms({ lognormal: { median: 0.5, p99: 2 } }), 2);
  close(medianMs({ median: 5, p99: 5 }), 5);
});

test("a mixture is solved as a whole, plus its shift", () => {
  const mix: Latency = { mix: [{ weight: 3, constant: 10 }, { weight: 1, constant: 100 }], shift: 75 };
  close(medianMs(mix), 85);
  close(p99Ms(mix), 175);
});

test("property: quantiles rise with q, and the log-normal fit holds for any median ≤ p99", () => {
  fc.assert(
    fc.property(fc.double({ min: 0.01, max: 1000, noNaN: true }), fc.double({ min: 1, max: 50, noNaN: true }), (median, ratio) => {
      const latency: Latency = { median, p99: median * ratio };
      close(medianMs(latency), median);
      close(p99Ms(latency), median * ratio, 2e-3);
      assert.ok(quantileMs(latency, 0.1) <= quantileMs(latency, 0.5) && quantileMs(latency, 0.5) <= quantileMs(latency, 0.9));
    }),
    { numRuns: 200 },
  );
});
