// The latency samplers against their closed forms: means and quantiles of
// every distribution of SPEC §2.3, exact and tabulated.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fastSampler, inverseNormal, roundTripQuantileMs, sampler } from "../../src/base/distributions.js";
import { Rng } from "../../src/base/rng.js";
import type { Latency } from "../../src/model/types.js";

const DRAWS = 200_000;

function draw(latency: Latency, fast = false): Float64Array {
  const s = fast ? fastSampler(latency) : sampler(latency);
  const rng = new Rng(12345);
  const out = new Float64Array(DRAWS);
  for (let i = 0; i < DRAWS; i++) out[i] = s.sample(rng);
  return out.sort();
}
const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
const quantile = (xs: Float64Array, p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.abs(expected), `${what}: ${actual} vs ${expected}`);

for (const fast of [false, true]) {
  const kind = fast ? "tabulated" : "exact";

  test(`${kind} log-normal from median and p99 hits both`, () => {
    const xs = draw({ median: 0.5, p99: 2 }, fast);
    close(quantile(xs, 0.5), 0.5, 0.02, "median");
    close(quantile(xs, 0.99), 2, 0.04, "p99");
    // Mean of a log-normal: exp(mu + sigma^2 / 2).
    const sigma = Math.log(2 / 0.5) / 2.3263478740408408;
    close(mean(xs), 0.5 * Math.exp((sigma * sigma) / 2), 0.02, "mean");
  });

  test(`${kind} exponential: mean 1/rate, median ln2/rate`, () => {
    const xs = draw({ exponential: { rate: 1.66 } }, fast);
    close(mean(xs), 1 / 1.66, 0.02, "mean");
    close(quantile(xs, 0.5), Math.LN2 / 1.66, 0.02, "median");
    close(quantile(xs, 0.9), Math.log(10) / 1.66, 0.03, "p90");
  });

  test(`${kind} Pareto: minimum xm, median xm·2^(1/α), mean α·xm/(α−1)`, () => {
    const xs = draw({ pareto: { scale: 0.235, shape: 10 } }, fast);
    assert.ok(xs[0] >= 0.235 - 1e-12);
    close(quantile(xs, 0.5), 0.235 * 2 ** (1 / 10), 0.01, "median");
    close(mean(xs), (10 * 0.235) / 9, 0.01, "mean");
  });

  test(`${kind} uniform and constant`, () => {
    const u = draw({ uniform: [1, 10] }, fast);
    close(mean(u), 5.5, 0.01, "uniform mean");
    assert.ok(u[0] >= 1 && u[u.length - 1] <= 10);
    const c = draw({ constant: 5 }, fast);
    assert.equal(c[0], 5);
    assert.equal(c[c.length - 1], 5);
  });

  test(`${kind} mixture with a shift: the weighted mean plus the shift`, () => {
    const latency: Latency = {
      mix: [
        { weight: 0.91, pareto: { scale: 0.235, shape: 10 } },
        { weight: 0.09, exponential: { rate: 1.66 } },
      ],
      shift: 75,
    } as Latency;
    const xs = draw(latency, fast);
    const expected = 75 + 0.91 * ((10 * 0.235) / 9) + 0.09 * (1 / 1.66);
    close(mean(xs), expected, 0.005, "mean");
    assert.ok(xs[0] >= 75);
  });
}

test("the same seed draws the same numbers", () => {
  const a = draw({ median: 1, p99: 10 });
  const b = draw({ median: 1, p99: 10 });
  assert.deepEqual(a, b);
});

test("inverse normal CDF matches known quantiles", () => {
  close(inverseNormal(0.99), 2.3263478740408408, 1e-6, "z99");
  close(inverseNormal(0.975), 1.959963984540054, 1e-6, "z975");
  assert.ok(Math.abs(inverseNormal(0.5)) < 1e-9);
});

test("a round trip's quantiles are those of the sum of two independent legs, not twice a leg's (found by a review: the lint said +160ms at the p99 for 35/80ms legs)", () => {
  // Two uniform [10, 30] legs: their sum is triangular on [20, 60], p99 = 60 − 20·√0.02 (closed form).
  assert.ok(Math.abs(roundTripQuantileMs({ uniform: [10, 30] }, 0.99) - (60 - 20 * Math.sqrt(0.02))) < 0.2);
  assert.ok(Math.abs(roundTripQuantileMs({ uniform: [10, 30] }, 0.5) - 40) < 0.2);
  assert.equal(roundTripQuantileMs({ constant: 40 }, 0.99), 80);
  // Log-normal legs (median 35, p99 80): against the p99 of 200,000 sums of two exact draws.
  const leg = sampler({ median: 35, p99: 80 });
  const rng = new Rng(99);
  const sums = Float64Array.from({ length: DRAWS }, () => leg.sample(rng) + leg.sample(rng)).sort();
  const drawn = sums[Math.floor(0.99 * DRAWS)];
  const p99 = roundTripQuantileMs({ median: 35, p99: 80 }, 0.99);
  assert.ok(Math.abs(p99 - drawn) / drawn < 0.01, `p99 ${p99.toFixed(1)} ms against ${drawn.toFixed(1)} ms drawn`);
  assert.ok(p99 < 140, "well under twice the one-way p99 (160 ms)");
});
