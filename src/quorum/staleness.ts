// The closed form for a partial quorum's staleness: the chance that a read
// quorum of R replicas, picked uniformly at random among N, contains none of
// the W replicas that acknowledged the latest write. Exact: binomial
// coefficients in BigInt, the ratio reduced before it becomes a float, so
// N = 64 loses nothing to rounding until the very last division.

/** C(n, k) exactly; 0 when k < 0 or k > n. */
export function binomial(n: number, k: number): bigint {
  if (!Number.isInteger(n) || !Number.isInteger(k)) throw new Error(`binomial(${n}, ${k}): integers expected`);
  if (k < 0 || k > n) return 0n;
  const m = Math.min(k, n - k);
  let result = 1n;
  // After step i the product is C(n - m + i, i): every intermediate value is an integer.
  for (let i = 1; i <= m; i++) result = (result * BigInt(n - m + i)) / BigInt(i);
  return result;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export interface StaleProbability {
  /** The reduced fraction numerator / denominator. */
  numerator: bigint;
  denominator: bigint;
  /** The same as a double (the reduced parts divided; within an ulp or two of the exact ratio). */
  value: number;
}

/**
 * P(a random R-subset misses a fixed W-subset of N) = C(N − W, R) / C(N, R).
 * It is 0 exactly when R + W > N (every R-subset meets every W-subset).
 */
export function staleProbability(n: number, r: number, w: number): StaleProbability {
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(r) && r >= 1 && r <= n && Number.isInteger(w) && w >= 1 && w <= n)) {
    throw new Error(`staleProbability(${n}, ${r}, ${w}): expected 1 <= R, W <= N`);
  }
  const missing = binomial(n - w, r);
  if (missing === 0n) return { numerator: 0n, denominator: 1n, value: 0 };
  const all = binomial(n, r);
  const g = gcd(missing, all);
  const numerator = missing / g;
  const denominator = all / g;
  return { numerator, denominator, value: ratio(numerator, denominator) };
}

/**
 * A write made with every replica up, read while K of them are down and S
 * stand-ins answer in their place (a sloppy quorum): its W replicas are a
 * uniform W of the N, the read asks a uniform R of the M = N − K + S nodes a
 * request reaches. A read holding j up replicas (and R − j stand-ins, which
 * lack the write) misses it with chance C(N − j, W) / C(N, W), so
 *   P = Σ_j C(N − K, j) · C(S, R − j) / C(M, R) · C(N − j, W) / C(N, W).
 * With S = 0 it is C(N − W, R) / C(N, R), the closed form for every replica up.
 */
export function staleBeforeFailure(n: number, r: number, w: number, down: number, standIns: number): StaleProbability {
  const up = n - down;
  const reached = up + standIns;
  if (standIns === 0 || r > reached) return staleProbability(n, r, w);
  let missing = 0n;
  for (let j = Math.max(0, r - standIns); j <= Math.min(r, up); j++) missing += binomial(up, j) * binomial(standIns, r - j) * binomial(n - j, w);
  if (missing === 0n) return { numerator: 0n, denominator: 1n, value: 0 };
  const all = binomial(reached, r) * binomial(n, w);
  const g = gcd(missing, all);
  return { numerator: missing / g, denominator: all / g, value: ratio(missing / g, all / g) };
}

/** numerator / denominator as a double; shifted first if either part were too large for a double (never for N <= 64). */
function ratio(numerator: bigint, denominator: bigint): number {
  const bits = Math.max(numerator.toString(2).length, denominator.toString(2).length);
  if (bits <= 1000) return Number(numerator) / Number(denominator);
  const shift = BigInt(bits - 1000);
  return Number(numerator >> shift) / Number(denominator >> shift);
}

/** "2/3", "0", "1": the exact value for reports. */
export function formatFraction(p: StaleProbability): string {
  if (p.numerator === 0n) return "0";
  if (p.denominator === 1n) return p.numerator.toString();
  return `${p.numerator}/${p.denominator}`;
}
