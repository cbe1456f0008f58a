// An exact oracle for the WARS t-visibility, written from the model's
// definition and sharing no code with src/quorum (no sampler, no order
// statistics, no Monte Carlo): closed forms and one-dimensional integrals for
// leg distributions where they exist, against which the Monte Carlo is checked
// for N = 3 and N = 5 and every R, W in 1..N.
//
// ── The model (Bailis et al., VLDB 2012, §4–5) ──────────────────────────────
// Replica i draws W_i, A_i, R_i, S_i, independent, each leg i.i.d. across
// replicas. The write commits at c = the W-th smallest X_i = W_i + A_i. A read
// starts t after the commit, is sent to all N replicas, and returns with the
// R replicas whose Y_i = R_i + S_i are smallest (the set Q). Replica j has the
// write when the read reaches it iff W_j <= c + t + R_j. The read is stale iff
// no j in Q has the write.
//
// ── Family E: an exponential (or shifted exponential) write leg ─────────────
// W_i = w0 + E_i with E_i ~ Exp(λ); A, R, S any non-negative distributions.
//
// 1. The commit. Condition on c and on B, the W replicas that acked first
//    (X is continuous, so there are no ties). A replica j in B has the write
//    for every t >= 0: W_j <= X_j <= c <= c + t + R_j. Given c, the N − W
//    others are i.i.d. with the law of (W, A) given W + A > c (the usual
//    conditioning of the values above an order statistic).
// 2. One pending replica j. Since W_j > c + t + r >= c already implies
//    X_j > c,  P(W_j > c + t + r | X_j > c) = P(W_j > c + t + r) / P(X > c),
//    and c >= w0 (every X_i >= w0), so by memorylessness this is
//    g(c) · e^(−λt) · e^(−λr), with g(c) = e^(−λ(c − w0)) / (1 − F_X(c)).
// 3. The read side (R_i, S_i) is independent of the write side (W_i, A_i), so
//    Q is independent of B, of c and of the pending E_j; B is a uniformly
//    random W-subset, so P(Q ∩ B = ∅) = C(N−W, R) / C(N, R); and given that,
//    the responders lack the write independently, each with the chance of 2.
// 4. Hence  P_stale(t) = C(N−W, R)/C(N, R) · J · K · e^(−λRt),  where
//      J = E[g(c)^R] = N·C(N−1, W−1) ∫ F^(W−1) (1−F)^(N−W−R) f(x) e^(−λR(x−w0)) dx
//          (F, f: the law of X; the density of c is N·C(N−1,W−1) F^(W−1) (1−F)^(N−W) f),
//      K = E[Π_{j∈Q} e^(−λR_j)] = C(N, R) · R · ∫ h(y) H(y)^(R−1) (1 − F_Y(y))^(N−R) dy
//          (h(y)dy = E[e^(−λR); Y ∈ dy], H(y) = E[e^(−λR); Y <= y]: fix which R
//          replicas are Q, C(N,R) ways, and which of them is the slowest, R ways,
//          at y; the other R − 1 are below y and the N − R above it).
//    So P(consistent at t) = 1 − P_stale(0) · e^(−λRt), and the 99.9 % point is
//    t = max(0, ln(1000 · P_stale(0)) / (λR)). With R + W > N, C(N−W, R) = 0:
//    P = 1 exactly, at every t.
//    Closed forms used below: A ≡ a gives J = e^(−λRa) (the integral is a Beta
//    function); R ≡ r0 gives K = e^(−λR·r0); R ~ Exp(ρ) with S ≡ s0 makes Q the
//    R smallest R_i, whose sum is Σ_{i=1..R} (R−i+1)·Z_i / (ρ(N−i+1)) for
//    i.i.d. Z_i ~ Exp(1) (Rényi), so K = Π_{i=1..R} 1 / (1 + λ(R−i+1)/(ρ(N−i+1))).
//    A ~ Exp(α) (J) and R ~ Exp(ρ), S ~ Exp(σ) (K, with h and H in closed form)
//    are integrated numerically (Simpson, 20,000 panels: within 1e-7, checked below).
//
// ── Family D: a two-point write leg (exact combinatorics) ───────────────────
// W_i = 0 with probability p, else d; A ≡ a; R ≡ r0; S continuous. Let k be
// the number of replicas with W_i = 0, Binomial(N, p). If k < W the commit
// waits for a replica with W = d, c = d + a, and every replica has the write.
// If k >= W, c = a, and replica j has the write iff W_j <= a + t + r0: all
// of them once t >= d − a − r0, otherwise exactly the k with W_j = 0. Q is a
// uniformly random R-subset (S i.i.d. continuous, independent of W), so for
// t < d − a − r0:  P_stale = Σ_{k=W..N} C(N,k) p^k (1−p)^(N−k) C(N−k, R)/C(N, R),
// and P_stale = 0 from t = d − a − r0 on (the boundary itself is consistent:
// the model's test is W_j <= c + t + R_j).
//
// ── Family C: constant legs with wide-area replicas (the latency file's remote:) ──
// Every leg is 1 ms; `remote: { local: L, add: 75 }`: for the write, L replicas
// chosen at random are near the coordinator (w = a = 1, ack at 2), the others
// far (w = a = 76, ack at 152); for the read, apart, L replicas at random are
// near (reply at 2, ties to the lower replica) and the rest far (reply at 152).
// With W <= L the commit is at 2; a far replica gets the write at 76. With
// R <= L the responders are R of the read's near replicas, a set independent
// of the write's (the choices are independent; which R of them answer depends
// on indices only), so none of them is near the write with probability
// C(N−L, R)/C(N, R), and each of those lacks the write until 2 + t + 1 >= 76:
// P_stale = C(N−L, R)/C(N, R) for t < 73, 0 from 73 on. With W > L the commit
// waits for a far ack (152 > 76: every replica has the write); with R > L a
// far responder's request arrives at 2 + t + 76 >= 76: P = 1 at every t.
//
// ── Tolerance ───────────────────────────────────────────────────────────────
// Each Monte Carlo share is a binomial proportion over T independent trials:
// standard error sqrt(P(1−P)/T). A check passes within 5 standard errors
// (two-sided chance of a false alarm 5.7e-7 each, under 1e-3 for all the
// checks in this file together) plus 1e-5, the bound legs.ts documents for its
// tabulated quantiles. The 99.9 % point is checked by rank: the exact P at
// the simulated point must be 0.999 within the same tolerance. Exact claims
// (P = 1 when R + W > N) are checked exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Latency } from "../../src/model/types.js";
import { visibilityFromFile, type Leg } from "../../src/quorum/visibility.js";

// ── The oracle ──────────────────────────────────────────────────────────────

function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** ∫_a^b f by composite Simpson with `panels` (even) panels. */
function simpson(f: (x: number) => number, a: number, b: number, panels = 20_000): number {
  const h = (b - a) / panels;
  let sum = f(a) + f(b);
  for (let i = 1; i < panels; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (sum * h) / 3;
}

/** Survival function and density of Exp(a) + Exp(b) (hypoexponential). */
function hypoexponential(a: number, b: number): { survival: (x: number) => number; density: (x: number) => number } {
  if (a === b) return { survival: (x) => Math.exp(-a * x) * (1 + a * x), density: (x) => a * a * x * Math.exp(-a * x) };
  return {
    survival: (x) => (b * Math.exp(-a * x) - a * Math.exp(-b * x)) / (b - a),
    density: (x) => ((a * b) / (b - a)) * (Math.exp(-a * x) - Math.exp(-b * x)),
  };
}

/** The legs of a family-E case, as the oracle sees them (each also written as a latency-file leg below). */
interface ExpCase {
  name: string;
  /** W = shift + Exp(rate). */
  w: { rate: number; shift: number };
  a: { constant: number } | { rate: number };
  r: { constant: number } | { rate: number };
  s: { constant: number } | { rate: number };
}

function legOf(d: { constant: number } | { rate: number }): Latency {
  return "constant" in d ? { constant: d.constant } : { exponential: { rate: d.rate } };
}

function fileOf(c: ExpCase): Record<Leg, Latency> {
  const w: Latency = c.w.shift === 0 ? { exponential: { rate: c.w.rate } } : ({ mix: [{ weight: 1, exponential: { rate: c.w.rate } }], shift: c.w.shift } as Latency);
  return { w, a: legOf(c.a), r: legOf(c.r), s: legOf(c.s) };
}

/** J = E[g(c)^R]: the write side's factor (step 4 of the header). */
function writeFactor(c: ExpCase, n: number, r: number, w: number): number {
  const lambda = c.w.rate;
  if ("constant" in c.a) return Math.exp(-lambda * r * c.a.constant);
  // X − w0 = Exp(λ) + Exp(α); the factor e^(−λR(x − w0)) only needs x − w0.
  const x = hypoexponential(lambda, c.a.rate);
  const top = 60 / Math.min(lambda, c.a.rate);
  const integral = simpson((u) => {
    const survival = x.survival(u);
    return (1 - survival) ** (w - 1) * survival ** (n - w - r) * x.density(u) * Math.exp(-lambda * r * u);
  }, 0, top);
  return n * choose(n - 1, w - 1) * integral;
}

/** K = E[Π over the R responders of e^(−λ R_j)]: the read side's factor. */
function readFactor(c: ExpCase, n: number, r: number): number {
  const lambda = c.w.rate;
  if ("constant" in c.r) return Math.exp(-lambda * r * c.r.constant);
  const rho = c.r.rate;
  if ("constant" in c.s) {
    let k = 1;
    for (let i = 1; i <= r; i++) k /= 1 + (lambda * (r - i + 1)) / (rho * (n - i + 1));
    return k;
  }
  const sigma = c.s.rate;
  const kappa = rho + lambda - sigma;
  assert.ok(Math.abs(kappa) > 1e-9, "the closed form of h below needs ρ + λ ≠ σ");
  // h(y) = ∫0^y ρe^(−ρu) e^(−λu) σe^(−σ(y−u)) du, H its integral from 0, F_Y the hypoexponential CDF.
  const h = (y: number) => ((rho * sigma) / kappa) * (Math.exp(-sigma * y) - Math.exp(-(rho + lambda) * y));
  const H = (y: number) => ((rho * sigma) / kappa) * ((1 - Math.exp(-sigma * y)) / sigma - (1 - Math.exp(-(rho + lambda) * y)) / (rho + lambda));
  const y = hypoexponential(rho, sigma);
  const top = 60 / Math.min(rho, sigma);
  return choose(n, r) * r * simpson((v) => h(v) * H(v) ** (r - 1) * y.survival(v) ** (n - r), 0, top);
}

/** P_stale(0) for family E. */
function staleAtCommit(c: ExpCase, n: number, r: number, w: number): number {
  if (r + w > n) return 0;
  return (choose(n - w, r) / choose(n, r)) * writeFactor(c, n, r, w) * readFactor(c, n, r);
}

interface Exact {
  consistent: (t: number) => number;
  /** The smallest t with P(consistent) >= 0.999. */
  t999: number;
  /** P jumps there (an atom of t*): the simulated 99.9% point must be it exactly. */
  step?: boolean;
}

function exactE(c: ExpCase, n: number, r: number, w: number): Exact {
  const stale0 = staleAtCommit(c, n, r, w);
  const rate = c.w.rate * r;
  return { consistent: (t) => 1 - stale0 * Math.exp(-rate * t), t999: stale0 > 0.001 ? Math.log(1000 * stale0) / rate : 0 };
}

/** Family D: W two-point {0 (p), d}, A ≡ a, R ≡ r0. */
function exactD(p: number, d: number, a: number, r0: number, n: number, r: number, w: number): Exact {
  let stale = 0;
  for (let k = w; k <= n; k++) stale += choose(n, k) * p ** k * (1 - p) ** (n - k) * (choose(n - k, r) / choose(n, r));
  const step = Math.max(0, d - a - r0);
  return { consistent: (t) => (t >= step ? 1 : 1 - stale), t999: stale > 0.001 ? step : 0, step: true };
}

// ── Checks ──────────────────────────────────────────────────────────────────

/** 5 standard errors of a share estimated from `trials` trials, plus the samplers' documented 1e-5. */
function tolerance(p: number, trials: number): number {
  return 5 * Math.sqrt((p * (1 - p)) / trials) + 1e-5;
}

function checkAgainst(file: Record<Leg, Latency>, exact: Exact, n: number, r: number, w: number, ts: number[], trials: number, label: string): void {
  const tMs = [...new Set([0, ...ts, exact.t999])].sort((x, y) => x - y);
  const v = visibilityFromFile(file, { n, r, w, trials, seed: 11 + 7 * n + 3 * r + w, tMs });
  for (const point of v.visibility) {
    const p = exact.consistent(point.tMs);
    if (p === 1) {
      assert.equal(point.consistent, 1, `${label}: P(${point.tMs} ms) must be exactly 1, got ${point.consistent}`);
      continue;
    }
    assert.ok(Math.abs(point.consistent - p) <= tolerance(p, trials), `${label}: P(${point.tMs} ms) = ${point.consistent}, exact ${p.toFixed(6)} (±${tolerance(p, trials).toExponential(2)})`);
  }
  if (r + w > n) {
    assert.equal(v.tForP999Ms, 0, `${label}: R + W > N, 99.9% at once`);
    assert.equal(v.consistentAtCommit, 1);
    return;
  }
  // The simulated 99.9% point sits at 0.999 of the exact curve, within the sampling error of a 99.9th percentile.
  if (exact.step) {
    assert.equal(v.tForP999Ms, exact.t999, `${label}: the 99.9% point is the step`);
    return;
  }
  const rank = exact.consistent(v.tForP999Ms);
  const slack = tolerance(0.999, trials);
  if (exact.t999 === 0) assert.ok(rank >= 0.999 - slack, `${label}: 99.9% point ${v.tForP999Ms} ms, exact 0 (P there ${rank})`);
  else assert.ok(Math.abs(rank - 0.999) <= slack, `${label}: 99.9% point ${v.tForP999Ms} ms, exact ${exact.t999.toFixed(3)} ms (exact P there ${rank.toFixed(6)})`);
}

const familyE: ExpCase[] = [
  // The paper's synthetic sweep (§5.3): W ~ Exp(λ = 0.1), A = R = S ~ Exp(1).
  { name: "all four legs exponential (W λ=0.1, A=R=S λ=1)", w: { rate: 0.1, shift: 0 }, a: { rate: 1 }, r: { rate: 1 }, s: { rate: 1 } },
  { name: "fast writes (W λ=4, A=R=S λ=1)", w: { rate: 4, shift: 0 }, a: { rate: 1 }, r: { rate: 1 }, s: { rate: 1 } },
  { name: "shifted exponential W (2 ms + Exp(0.5)), constant A=0.5, R=0.25, S ~ Exp(2)", w: { rate: 0.5, shift: 2 }, a: { constant: 0.5 }, r: { constant: 0.25 }, s: { rate: 2 } },
  { name: "W ~ Exp(0.3), A ≡ 1, R ~ Exp(2), S ≡ 0.5", w: { rate: 0.3, shift: 0 }, a: { constant: 1 }, r: { rate: 2 }, s: { constant: 0.5 } },
  { name: "W ~ Exp(0.2), A ~ Exp(3), R ~ Exp(0.5), S ≡ 0", w: { rate: 0.2, shift: 0 }, a: { rate: 3 }, r: { rate: 0.5 }, s: { constant: 0 } },
];

test("the oracle's own checks: its integrals against closed forms they must meet", () => {
  // K: with λ → 0 no responder's own read delay matters, E[Π e^(−λR_j)] → 1.
  const slow: ExpCase = { name: "", w: { rate: 1e-9, shift: 0 }, a: { rate: 1 }, r: { rate: 1.5 }, s: { rate: 0.7 } };
  for (const [n, r] of [[3, 1], [5, 2], [5, 4]]) assert.ok(Math.abs(readFactor(slow, n, r) - 1) < 1e-6, `K(${n},${r}) = ${readFactor(slow, n, r)}`);
  // J with N = 2, R = W = 1 is 2·E[e^(−λX)] over the density of X alone: the Laplace transform of Exp(λ) + Exp(α) at λ,
  // 2 · λ/(2λ) · α/(α + λ) = α/(α + λ).
  const acks: ExpCase = { name: "", w: { rate: 0.2, shift: 0 }, a: { rate: 3 }, r: { constant: 0 }, s: { rate: 1 } };
  assert.ok(Math.abs(writeFactor(acks, 2, 1, 1) - 3 / 3.2) < 1e-7, `J(2,1,1) = ${writeFactor(acks, 2, 1, 1)}`);
  // The numeric J for A ~ Exp(α) tends to the closed form e^(−λRa) of A ≡ 0 as α grows.
  assert.ok(Math.abs(writeFactor({ ...acks, a: { rate: 1e4 } }, 5, 2, 2) - 1) < 1e-3);
  // The numeric K for R ~ Exp(ρ), S ~ Exp(σ) with R = N (every replica answers): E[Π e^(−λR_j)] over all N, (ρ/(ρ+λ))^N.
  const both: ExpCase = { name: "", w: { rate: 0.2, shift: 0 }, a: { constant: 0 }, r: { rate: 0.5 }, s: { rate: 1.3 } };
  for (const n of [1, 3, 5]) assert.ok(Math.abs(readFactor(both, n, n) - (0.5 / 0.7) ** n) < 1e-7, `K(${n},${n}) = ${readFactor(both, n, n)}`);
  // A = R = 0, S continuous, N=3, R=W=1: the responder is a random replica, stale iff it is not the first to get the
  // write and its write is still on the way: (2/3)·e^(−λt) (memorylessness).
  const simple: ExpCase = { name: "", w: { rate: 0.1, shift: 0 }, a: { constant: 0 }, r: { constant: 0 }, s: { rate: 1 } };
  assert.ok(Math.abs(exactE(simple, 3, 1, 1).consistent(5) - (1 - (2 / 3) * Math.exp(-0.5))) < 1e-12);
});

for (const c of familyE) {
  for (const n of [3, 5]) {
    test(`exact oracle, family E, N=${n}, every R and W: ${c.name}`, () => {
      const trials = n === 3 ? 400_000 : 200_000;
      for (let r = 1; r <= n; r++) {
        for (let w = 1; w <= n; w++) {
          const exact = exactE(c, n, r, w);
          const ts = [0.5, 2, 10, exact.t999 / 2].filter((t) => t > 0);
          checkAgainst(fileOf(c), exact, n, r, w, ts, trials, `${c.name} N=${n} R=${r} W=${w}`);
        }
      }
    });
  }
}

test("exact oracle, family D (two-point write leg through a mix of constants, constant A and R): a step at d − a − r0, consistent on the boundary", () => {
  const p = 0.3;
  const d = 4;
  const a = 0.5;
  const r0 = 0.25;
  const file: Record<Leg, Latency> = {
    w: { mix: [{ weight: p, constant: 0 }, { weight: 1 - p, constant: d }] } as Latency,
    a: { constant: a },
    r: { constant: r0 },
    s: { exponential: { rate: 1 } },
  };
  for (const n of [3, 5]) {
    for (let r = 1; r <= n; r++) {
      for (let w = 1; w <= n; w++) {
        const exact = exactD(p, d, a, r0, n, r, w);
        checkAgainst(file, exact, n, r, w, [1, 3.2499, 3.25, 5], 200_000, `two-point N=${n} R=${r} W=${w}`);
      }
    }
  }
});

test("exact oracle: W = R = 1 and R + W > N, spelled out for N = 3 and 5 (exactly 1 at every t when the quorums overlap)", () => {
  const c = familyE[0];
  const ts = [0, 0.001, 1, 100];
  for (const n of [3, 5]) {
    const one = exactE(c, n, 1, 1);
    const v = visibilityFromFile(fileOf(c), { n, r: 1, w: 1, trials: 400_000, seed: 5, tMs: ts });
    v.visibility.forEach((point) => assert.ok(Math.abs(point.consistent - one.consistent(point.tMs)) <= tolerance(one.consistent(point.tMs), 400_000), `N=${n} R=W=1 P(${point.tMs})`));
    for (let r = 1; r <= n; r++) {
      const w = n + 1 - r;
      const strong = visibilityFromFile(fileOf(c), { n, r, w, trials: 50_000, seed: 5, tMs: ts });
      assert.deepEqual(strong.visibility.map((point) => point.consistent), [1, 1, 1, 1], `N=${n} R=${r} W=${w}`);
      assert.equal(strong.tForP999Ms, 0);
    }
  }
});

test("the PBS paper's synthetic sweep (§5.3: N=3, R=W=1, A=R=S ~ Exp(1)), exactly: W λ=4 gives 94% at the commit and 99.9% after 1 ms; λ=0.1 gives 41% and 99.9% after 65 ms", () => {
  // The paper's figures are estimates from 10,000 trials per t, printed to 1%, and its t is the first grid point whose
  // estimate reached 99.9%: 5 standard errors of a 10,000-trial share, plus the rounding.
  const se5 = (p: number) => 5 * Math.sqrt((p * (1 - p)) / 10_000);
  for (const [lambda, atCommit, t999] of [[4, 0.94, 1], [0.1, 0.41, 65]]) {
    const exact = exactE({ name: "", w: { rate: lambda, shift: 0 }, a: { rate: 1 }, r: { rate: 1 }, s: { rate: 1 } }, 3, 1, 1);
    const p0 = exact.consistent(0);
    assert.ok(Math.abs(p0 - atCommit) <= se5(atCommit) + 0.005, `λ=${lambda}: exact P(0) = ${p0}, the paper ${atCommit}`);
    const p = exact.consistent(t999);
    assert.ok(Math.abs(p - 0.999) <= se5(0.999), `λ=${lambda}: exact P(${t999} ms) = ${p} (exact 99.9% point ${exact.t999.toFixed(2)} ms)`);
  }
});

test("exact oracle, family C (constant legs, wide-area replicas): the near replicas are a fresh random choice for the write and for the read; stale C(N−L, R)/C(N, R) until 73 ms", () => {
  const file = { w: { constant: 1 }, a: { constant: 1 }, r: { constant: 1 }, s: { constant: 1 } } as Record<Leg, Latency>;
  for (const [n, local] of [[3, 1], [5, 1], [5, 2], [5, 3]]) {
    const remote = { local, add: 75 };
    for (let r = 1; r <= n; r++) {
      for (let w = 1; w <= n; w++) {
        const stale = r <= local && w <= local ? choose(n - local, r) / choose(n, r) : 0;
        const exact: Exact = { consistent: (t) => (t >= 73 || stale === 0 ? 1 : 1 - stale), t999: stale > 0.001 ? 73 : 0, step: true };
        const label = `N=${n} local=${local} R=${r} W=${w}`;
        const trials = 100_000;
        const v = visibilityFromFile({ ...file, remote }, { n, r, w, trials, seed: 3 + n + r + w, tMs: [0, 72.999, 73, 100] });
        for (const point of v.visibility) {
          const p = exact.consistent(point.tMs);
          if (p === 1) assert.equal(point.consistent, 1, `${label}: P(${point.tMs} ms)`);
          else assert.ok(Math.abs(point.consistent - p) <= tolerance(p, trials), `${label}: P(${point.tMs} ms) = ${point.consistent}, exact ${p}`);
        }
        assert.equal(v.tForP999Ms, exact.t999, `${label}: 99.9% point`);
        // Write latency: the W-th ack, at 2 from a near replica or 152 from a far one.
        assert.equal(v.latencyP50Ms.write, w <= local ? 2 : 152, `${label}: write p50`);
        assert.equal(v.latencyP50Ms.read, r <= local ? 2 : 152, `${label}: read p50`);
      }
    }
  }
  // local >= the replicas drawn: nothing is far, the run is the plain one.
  const plain = visibilityFromFile(fileOf(familyE[0]), { n: 3, r: 1, w: 1, trials: 20_000, seed: 2 });
  assert.deepEqual(visibilityFromFile({ ...fileOf(familyE[0]), remote: { local: 3, add: 75 } }, { n: 3, r: 1, w: 1, trials: 20_000, seed: 2 }), plain);
});

/** The k-subsets of 0..n-1. */
function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  if (k > n) return [];
  return [...subsets(n - 1, k - 1).map((s) => [...s, n - 1]), ...subsets(n - 1, k)];
}

test("exact oracle, family C with K down: the near replicas are `local` of all N, so a down one leaves the coordinator fewer near (found by the quorum review)", () => {
  // Constant legs of 1 ms, far ones 75 ms more each way. Replicas 0..N−K−1 are drawn; the write's and the read's
  // `local` near replicas are a random local-subset of the N (a down one is simply not there). Enumerating both
  // subsets gives the exact answer: the write commits at 2 (W-th near ack) or 152; the read's R responders are the
  // near ones first, lowest index first (ties), then far ones by index; a responder near to the read but far from a
  // write that committed at 2 lacks it until t = 73; every other responder has it.
  const file = { w: { constant: 1 }, a: { constant: 1 }, r: { constant: 1 }, s: { constant: 1 } } as Record<Leg, Latency>;
  for (const [n, local, down] of [[3, 1, 1], [5, 2, 1], [5, 2, 2], [5, 1, 4], [5, 3, 2]]) {
    const drawn = n - down;
    const choices = subsets(n, local);
    for (let r = 1; r <= drawn; r++) {
      for (let w = 1; w <= drawn; w++) {
        let stale = 0;
        let slowWrite = 0;
        let slowRead = 0;
        for (const writeNear of choices) {
          const wNear = (i: number) => writeNear.includes(i);
          const nearCount = writeNear.filter((i) => i < drawn).length;
          const commitFast = w <= nearCount;
          if (!commitFast) slowWrite++;
          for (const readNear of choices) {
            const rNear = (i: number) => readNear.includes(i);
            const replicas = Array.from({ length: drawn }, (_, i) => i);
            const responders = [...replicas.filter(rNear), ...replicas.filter((i) => !rNear(i))].slice(0, r);
            if (responders.some((i) => !rNear(i))) slowRead++;
            if (commitFast && responders.every((i) => rNear(i) && !wNear(i))) stale++;
          }
        }
        const pairs = choices.length ** 2;
        const pStale = stale / pairs;
        const label = `N=${n} local=${local} down=${down} R=${r} W=${w}`;
        const trials = 40_000;
        const v = visibilityFromFile({ ...file, remote: { local, add: 75 } }, { n, r, w, down, trials, seed: 5 + n + r + w, tMs: [0, 72.999, 73] });
        for (const point of v.visibility) {
          const p = point.tMs >= 73 ? 1 : 1 - pStale;
          if (p === 1) assert.equal(point.consistent, 1, `${label}: P(${point.tMs} ms)`);
          else assert.ok(Math.abs(point.consistent - p) <= tolerance(p, trials), `${label}: P(${point.tMs} ms) = ${point.consistent}, exact ${p}`);
        }
        // The write waits 152 ms whenever fewer than W of the drawn are near it; the read whenever a far one answers.
        const slowW = slowWrite / choices.length;
        const slowR = slowRead / pairs;
        if (Math.abs(slowW - 0.5) > 0.05) assert.equal(v.latencyP50Ms.write, slowW > 0.5 ? 152 : 2, `${label}: write p50 (slow share ${slowW})`);
        if (Math.abs(slowR - 0.5) > 0.05) assert.equal(v.latencyP50Ms.read, slowR > 0.5 ? 152 : 2, `${label}: read p50 (slow share ${slowR})`);
        assert.equal(v.latencyP999Ms.write, slowW > 0.002 ? 152 : 2, `${label}: write p99.9`);
      }
    }
  }
  // N=3, one replica per datacenter, one down, R=W=1: stale 2/9 (7/9 consistent), not 1/2 as if the coordinator's own
  // replica could never be the down one; and a third of the writes wait for a far ack.
  const wan = visibilityFromFile({ ...file, remote: { local: 1, add: 75 } }, { n: 3, r: 1, w: 1, down: 1, trials: 90_000, seed: 9, tMs: [0] });
  assert.ok(Math.abs(wan.consistentAtCommit - 7 / 9) <= tolerance(7 / 9, 90_000), `N=3 down=1: ${wan.consistentAtCommit}`);
  assert.equal(wan.latencyP999Ms.write, 152);
});
