// Small helpers over the engine's seeded generator, so that the swarm's
// choices replay from a seed exactly as the engine's do.
import { Rng } from "../base/rng.js";

export { Rng };

/** A uniform integer in [low, high] (both included). */
export function between(rng: Rng, low: number, high: number): number {
  return low + rng.int(high - low + 1);
}

export function chance(rng: Rng, probability: number): boolean {
  return rng.next() < probability;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error("assertion: pick from an empty list");
  return items[rng.int(items.length)];
}

/** Picks by weight: [[value, weight], ...]. */
export function weighted<T>(rng: Rng, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let u = rng.next() * total;
  for (const [value, w] of choices) {
    if (u < w) return value;
    u -= w;
  }
  return choices[choices.length - 1][0];
}

/** A random subset of exactly `count` items, in their original order. */
export function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, items.length)) chosen.add(rng.int(items.length));
  return items.filter((_, i) => chosen.has(i));
}

export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A time in whole milliseconds, rounded to `step` (so generated files read "12.5s", not "12437ms"). */
export function timeMs(rng: Rng, lowMs: number, highMs: number, stepMs = 500): number {
  const steps = Math.floor((highMs - lowMs) / stepMs);
  return lowMs + rng.int(steps + 1) * stepMs;
}
