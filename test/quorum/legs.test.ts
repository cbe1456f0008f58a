// The WARS legs' samplers: the bulk bit stream is the Rng's own stream, the
// quantile tables stay within 1e-5 (in probability) of the exact quantile
// functions, the edges are exact, and a mix picks its components by weight.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/base/rng.js";
import { BitStream } from "../../src/quorum/bits.js";
import { EDGE_SLICES, legSampler, QUANTILE_SLICES, quantileFunction, upperEdgeSlices } from "../../src/quorum/legs.js";
import type { Latency } from "../../src/model/types.js";

test("BitStream gives exactly the Rng's outputs for the same seed, across buffer boundaries", () => {
  for (const seed of [0, 1, 42, 2 ** 32 - 1]) {
    const rng = new Rng(seed);
    const stream = new BitStream(seed);
    const buffer = new Uint32Array(1000);
    for (const count of [1, 7, 1000, 333]) {
      stream.fill(buffer, count);
      for (let k = 0; k < count; k++) assert.equal(buffer[k], rng.nextUint32(), `seed ${seed}, draw ${k} of ${count}`);
    }
  }
});

const built = new Map<Latency, ReturnType<typeof legSampler>>();

/** The sampler's value for the 32-bit draw at or below u · 2^32. */
function sampleAt(latency: Latency, u: number): number {
  const bits = Uint32Array.of(Math.min(2 ** 32 - 1, Math.floor(u * 2 ** 32)));
  const out = new Float64Array(1);
  let sampler = built.get(latency);
  if (!sampler) built.set(latency, (sampler = legSampler(latency)));
  sampler.fromBits(bits, out, 1);
  return out[0];
}

const singles: Array<[string, Latency]> = [
  ["LNKD-DISK's disk Pareto", { pareto: { scale: 1.05, shape: 1.51 } }],
  ["LNKD-SSD's Pareto", { pareto: { scale: 0.235, shape: 10 } }],
  ["a very heavy Pareto", { pareto: { scale: 1, shape: 0.8 } }],
  ["exponential", { exponential: { rate: 0.183 } }],
  ["log-normal", { median: 0.5, p99: 2 }],
  ["wide log-normal", { lognormal: { median: 10, p99: 400 } }],
  ["uniform", { uniform: [1, 10] }],
];

test("inside the edges the interpolated quantiles err by under 1e-5 in probability; in the edges they are exact", () => {
  for (const [name, latency] of singles) {
    const q = quantileFunction(latency);
    let worst = 0;
    for (let k = 0; k < 20_000; k++) {
      // A grid with a point in every slice, skewed towards the top where the tails bend.
      const u = 1 - (1 - (k + 0.37) / 20_000) ** 2;
      const x = u * QUANTILE_SLICES;
      const sampled = sampleAt(latency, u);
      const exact = q((Math.floor(u * 2 ** 32) + 0.5) / 2 ** 32);
      if (x < EDGE_SLICES || x >= QUANTILE_SLICES - upperEdgeSlices(latency)) {
        assert.equal(sampled, exact, `${name}: exact at u = ${u}`);
        continue;
      }
      // The value's error as a shift in probability: |ΔQ| / Q'(u).
      const h = 1e-7;
      const slope = (q(u + h) - q(u - h)) / (2 * h);
      if (slope > 0) worst = Math.max(worst, Math.abs(sampled - exact) / slope);
    }
    assert.ok(worst < 1e-5, `${name}: worst error ${worst} in probability`);
  }
});

test("a Pareto's interpolated values stay within 1e-4 of the exact ones however heavy its tail (its exact region widens)", () => {
  for (const shape of [10, 1.51, 1.1, 0.5, 0.1]) {
    const latency: Latency = { pareto: { scale: 1, shape } };
    const q = quantileFunction(latency);
    let worst = 0;
    for (let k = 0; k < 40_000; k++) {
      const u = 1 - (1 - (k + 0.37) / 40_000) ** 3;
      const exact = q((Math.floor(u * 2 ** 32) + 0.5) / 2 ** 32);
      worst = Math.max(worst, Math.abs(sampleAt(latency, u) - exact) / exact);
    }
    assert.ok(worst <= 1.05e-4, `shape ${shape}: worst relative error ${worst}`);
  }
});

test("constant and degenerate log-normal legs give the constant", () => {
  for (const u of [0, 0.001, 0.5, 0.999, 1 - 2 ** -32]) {
    assert.equal(sampleAt({ constant: 5 }, u), 5);
    assert.equal(sampleAt({ median: 3, p99: 3 }, u), 3);
  }
});

test("the top draw of a heavy tail is finite and beyond every table entry", () => {
  const pareto = { pareto: { scale: 1.05, shape: 1.51 } };
  const top = sampleAt(pareto, 1);
  assert.ok(Number.isFinite(top) && top > quantileFunction(pareto)(1 - 1 / QUANTILE_SLICES), String(top));
  const mixTop = sampleAt({ mix: [{ weight: 1, exponential: { rate: 1 } }, { weight: 1, pareto: { scale: 1, shape: 2 } }] }, 1);
  assert.ok(Number.isFinite(mixTop) && mixTop > 1000, String(mixTop));
});

/** Draws `count` values of a leg from one seed. */
function draws(latency: Latency, count: number, seed = 9): Float64Array {
  const bits = new Uint32Array(count);
  new BitStream(seed).fill(bits, count);
  const out = new Float64Array(count);
  legSampler(latency).fromBits(bits, out, count);
  return out;
}

test("a mix picks each component by its weight, and adds the shift", () => {
  const values = draws({ mix: [{ weight: 1, constant: 1 }, { weight: 3, constant: 2 }, { weight: 4, uniform: [10, 20] }], shift: 100 }, 200_000);
  const share = (test: (v: number) => boolean) => values.filter(test).length / values.length;
  // Five standard errors of a share p from 200,000 draws: 5·sqrt(p(1 − p)/n) <= 0.0056.
  assert.ok(Math.abs(share((v) => v === 101) - 1 / 8) < 0.004);
  assert.ok(Math.abs(share((v) => v === 102) - 3 / 8) < 0.0056);
  assert.ok(Math.abs(share((v) => v >= 110 && v <= 120) - 4 / 8) < 0.0056);
  assert.ok(Math.abs(share((v) => v >= 110 && v < 115) - 2 / 8) < 0.005, "uniform inside its share");
});

test("LNKD-DISK's write leg: the empirical CDF matches the mixture's exact CDF within sampling error", () => {
  const n = 400_000;
  const values = draws({ mix: [{ weight: 0.38, pareto: { scale: 1.05, shape: 1.51 } }, { weight: 0.62, exponential: { rate: 0.183 } }] }, n);
  const cdf = (x: number) => 0.38 * (x < 1.05 ? 0 : 1 - (1.05 / x) ** 1.51) + 0.62 * (1 - Math.exp(-0.183 * x));
  for (const x of [0.5, 1.05, 1.5, 3, 10, 30, 100, 300, 1000]) {
    const p = cdf(x);
    const empirical = values.filter((v) => v <= x).length / n;
    const sigma = Math.sqrt((p * (1 - p)) / n);
    assert.ok(Math.abs(empirical - p) <= 5 * sigma + 1e-6, `F(${x}) = ${empirical}, exact ${p}`);
  }
});
