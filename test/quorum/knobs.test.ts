// One knob at a time: the direction of each change to the t-visibility
// figures, and where an exact answer exists (an exponential write leg, see
// wars-oracle.test.ts for the derivation) its size.
//   - R or W up: never a lower P(consistent), trial by trial (same seed, so
//     the same delays): the responders only grow, the commit only comes later.
//   - W legs slower: a more spread write leg (Exp(λ) with a smaller λ) lowers
//     P at every t, by the exact amount; a constant added to every W leg
//     changes nothing but write latency (the commit moves by as much).
//   - Acks slower: P never lower, trial by trial (the commit comes later).
//   - --down K: the run is one over the N − K live replicas, exactly.
//   - --trials: more trials only narrow the estimate around the same value.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Latency } from "../../src/model/types.js";
import { chunkCount, legSamplers, resolveLegs, runChunks, visibilityFromFile, withDefaults, type Leg, type TrialTimes } from "../../src/quorum/visibility.js";

const ssdMix = { mix: [{ weight: 0.9122, pareto: { scale: 0.235, shape: 10 } }, { weight: 0.0878, exponential: { rate: 1.66 } }] } as Latency;
const diskMix = { mix: [{ weight: 0.38, pareto: { scale: 1.05, shape: 1.51 } }, { weight: 0.62, exponential: { rate: 0.183 } }] } as Latency;

const FILES: Array<[string, Record<Leg, Latency>]> = [
  ["LNKD-DISK", { w: diskMix, a: ssdMix, r: ssdMix, s: ssdMix }],
  ["exponential", { w: { exponential: { rate: 0.1 } }, a: { exponential: { rate: 1 } }, r: { exponential: { rate: 1 } }, s: { exponential: { rate: 1 } } }],
  // Constants and two-point legs: ties everywhere, broken by replica index.
  ["ties", { w: { mix: [{ weight: 0.5, constant: 0 }, { weight: 0.5, constant: 5 }] } as Latency, a: { constant: 0 }, r: { mix: [{ weight: 0.5, constant: 0 }, { weight: 0.5, constant: 3 }] } as Latency, s: { constant: 1 } }],
];

function tStars(file: Record<Leg, Latency>, n: number, r: number, w: number, trials: number, seed: number): Float64Array {
  const resolved = resolveLegs(file);
  if (!("legs" in resolved)) throw new Error("loop");
  const o = withDefaults({ n, r, w, trials, seed });
  const times: TrialTimes = { tStar: new Float64Array(trials), reads: new Float64Array(trials), writes: new Float64Array(trials) };
  runChunks(legSamplers(resolved.legs), o, 0, chunkCount(trials), times);
  return times.tStar;
}

test("R or W one larger: no trial waits longer for a consistent read (same seed, same delays), so P(consistent) is never lower at any t", () => {
  const trials = 10_000;
  for (const [name, file] of FILES) {
    for (const n of [3, 5, 8]) {
      const runs = new Map<string, Float64Array>();
      for (let r = 1; r <= n; r++) for (let w = 1; w <= n; w++) runs.set(`${r},${w}`, tStars(file, n, r, w, trials, 21));
      for (let r = 1; r <= n; r++) {
        for (let w = 1; w <= n; w++) {
          const here = runs.get(`${r},${w}`)!;
          for (const next of [`${r + 1},${w}`, `${r},${w + 1}`]) {
            const there = runs.get(next);
            if (!there) continue;
            let worse = 0;
            for (let k = 0; k < trials; k++) if (there[k] > here[k]) worse++;
            assert.equal(worse, 0, `${name} N=${n}: R,W=${r},${w} → ${next}: ${worse} trials wait longer`);
          }
          if (r + w > n) assert.ok(here.every((t) => t === 0), `${name} N=${n} R=${r} W=${w}: R + W > N`);
        }
      }
    }
  }
});

/** The exact P(consistent at t) for W ~ Exp(λ), A = R = S ~ Exp(1), N = 3, R = W = 1 (wars-oracle.test.ts, family E). */
function exactExp(lambda: number, t: number): number {
  // J = 3 ∫ (1 − F_X) f_X e^(−λx) dx and K = 3 ∫ h (1 − F_Y)^2 dy, by Simpson; X = Exp(λ) + Exp(1), Y = Exp(1) + Exp(1).
  const simpson = (f: (x: number) => number, b: number, m = 20_000) => {
    const h = b / m;
    let sum = f(0) + f(b);
    for (let i = 1; i < m; i++) sum += (i % 2 ? 4 : 2) * f(i * h);
    return (sum * h) / 3;
  };
  const sx = (x: number) => (lambda === 1 ? Math.exp(-x) * (1 + x) : (Math.exp(-lambda * x) - lambda * Math.exp(-x)) / (1 - lambda));
  const fx = (x: number) => (lambda === 1 ? x * Math.exp(-x) : (lambda / (1 - lambda)) * (Math.exp(-lambda * x) - Math.exp(-x)));
  const j = 3 * simpson((x) => sx(x) * fx(x) * Math.exp(-lambda * x), 60 / Math.min(lambda, 1));
  const sy = (y: number) => Math.exp(-y) * (1 + y);
  const h = (y: number) => (Math.exp(-y) - Math.exp(-(1 + lambda) * y)) / lambda;
  const k = 3 * simpson((y) => h(y) * sy(y) ** 2, 60);
  return 1 - (2 / 3) * j * k * Math.exp(-lambda * t);
}

test("slower, more spread write legs (W ~ Exp(λ), λ from 4 down to 0.1): P(consistent) lower at every t, by the exact amount", () => {
  const ts = [0, 1, 5, 20, 60];
  const trials = 400_000;
  let previous: number[] | null = null;
  for (const lambda of [4, 1, 0.25, 0.1]) {
    const file: Record<Leg, Latency> = { w: { exponential: { rate: lambda } }, a: { exponential: { rate: 1 } }, r: { exponential: { rate: 1 } }, s: { exponential: { rate: 1 } } };
    const v = visibilityFromFile(file, { n: 3, r: 1, w: 1, trials, seed: 8, tMs: ts });
    const got = v.visibility.map((p) => p.consistent);
    got.forEach((p, i) => {
      const exact = exactExp(lambda, ts[i]);
      assert.ok(Math.abs(p - exact) <= 5 * Math.sqrt((exact * (1 - exact)) / trials) + 1e-5, `λ=${lambda}: P(${ts[i]} ms) = ${p}, exact ${exact}`);
    });
    if (previous) got.forEach((p, i) => assert.ok(p < previous![i] || (p === 1 && previous![i] === 1), `λ=${lambda}: P(${ts[i]} ms) = ${p}, not below ${previous![i]}`));
    previous = got;
  }
  // The size, for the record: the paper's §5.3 figures, 94% (λ=4) and 41% (λ=0.1) at the commit.
  assert.ok(exactExp(4, 0) - exactExp(0.1, 0) > 0.5);
});

test("a constant added to every write leg moves the commit by as much: the same t-visibility, a write latency that much higher", () => {
  const base: Record<Leg, Latency> = { w: { exponential: { rate: 0.2 } }, a: { exponential: { rate: 1 } }, r: { exponential: { rate: 1 } }, s: { exponential: { rate: 1 } } };
  const options = { n: 5, r: 2, w: 1, trials: 50_000, seed: 3, tMs: [0, 1, 5, 10] };
  const plain = visibilityFromFile({ ...base, w: { mix: [{ weight: 1, exponential: { rate: 0.2 } }] } as Latency }, options);
  for (const shift of [5, 500]) {
    const later = visibilityFromFile({ ...base, w: { mix: [{ weight: 1, exponential: { rate: 0.2 } }], shift } as Latency }, options);
    assert.deepEqual(later.visibility, plain.visibility, `shift ${shift}`);
    assert.ok(Math.abs(later.tForP999Ms - plain.tForP999Ms) < 1e-9 * (1 + shift));
    assert.ok(Math.abs(later.latencyP50Ms.write - plain.latencyP50Ms.write - shift) < 1e-9 * (1 + shift));
    assert.equal(later.latencyP50Ms.read, plain.latencyP50Ms.read);
  }
});

test("slower acks: no trial waits longer (the commit only comes later); slower read requests likewise while they do not change who answers", () => {
  const scaled = (scale: number) => ({ mix: [{ weight: 0.9122, pareto: { scale: 0.235 * scale, shape: 10 } }, { weight: 0.0878, exponential: { rate: 1.66 / scale } }] }) as Latency;
  // Scaling a leg scales every draw (the same quantiles), trial by trial.
  const cases: Array<[string, (scale: number) => Record<Leg, Latency>]> = [
    ["acks", (scale) => ({ w: diskMix, a: scaled(scale), r: ssdMix, s: ssdMix })],
    // With constant responses the responders are the R fastest read requests whatever their scale.
    ["read requests (constant responses)", (scale) => ({ w: diskMix, a: ssdMix, r: scaled(scale), s: { constant: 0.3 } })],
  ];
  for (const [name, file] of cases) {
    for (const [n, r, w] of [[3, 1, 1], [5, 2, 1], [5, 1, 2]]) {
      let previous: Float64Array | null = null;
      for (const scale of [0.5, 1, 2, 4]) {
        const here = tStars(file(scale), n, r, w, 20_000, 6);
        if (previous) {
          let worse = 0;
          for (let k = 0; k < here.length; k++) if (here[k] > previous[k]) worse++;
          assert.equal(worse, 0, `${name} × ${scale}, N=${n} R=${r} W=${w}: ${worse} trials wait longer`);
        }
        previous = here;
      }
    }
  }
  // (Slower read requests with random responses are not one knob: they also change which replicas answer first, and
  // the faster requests then win; no direction is guaranteed.)
});

test("--down K: the run is over the N − K live replicas only, and matches the exact answer for N − K", () => {
  const file: Record<Leg, Latency> = { w: { exponential: { rate: 0.1 } }, a: { exponential: { rate: 1 } }, r: { exponential: { rate: 1 } }, s: { exponential: { rate: 1 } } };
  const ts = [0, 5, 30];
  for (const down of [0, 1, 2]) {
    const v = visibilityFromFile(file, { n: 5, r: 1, w: 1, down, trials: 200_000, seed: 12, tMs: ts });
    const same = visibilityFromFile(file, { n: 5 - down, r: 1, w: 1, trials: 200_000, seed: 12, tMs: ts });
    assert.deepEqual(v, same, `down ${down}`);
    assert.equal(v.replicas, 5 - down);
  }
  // N − K = 3: the exact curve for three replicas, not five.
  const three = visibilityFromFile(file, { n: 5, r: 1, w: 1, down: 2, trials: 400_000, seed: 12, tMs: ts });
  three.visibility.forEach((p) => {
    const exact = exactExp(0.1, p.tMs);
    assert.ok(Math.abs(p.consistent - exact) <= 5 * Math.sqrt((exact * (1 - exact)) / 400_000) + 1e-5, `P(${p.tMs} ms) = ${p.consistent}, exact for N − K = 3: ${exact}`);
  });
});

test("--trials only narrows the estimate: 1,000 to 1,000,000 trials all sit within 5 standard errors of the exact value", () => {
  const file: Record<Leg, Latency> = { w: { exponential: { rate: 0.1 } }, a: { exponential: { rate: 1 } }, r: { exponential: { rate: 1 } }, s: { exponential: { rate: 1 } } };
  for (const trials of [1_000, 10_000, 100_000, 1_000_000]) {
    const v = visibilityFromFile(file, { n: 3, r: 1, w: 1, trials, seed: 1, tMs: [0, 10, 40] });
    v.visibility.forEach((p) => {
      const exact = exactExp(0.1, p.tMs);
      assert.ok(Math.abs(p.consistent - exact) <= 5 * Math.sqrt((exact * (1 - exact)) / trials) + 1e-5, `${trials} trials: P(${p.tMs} ms) = ${p.consistent}, exact ${exact}`);
    });
  }
});
