// The swarm as a test: a slice of generated cases (the CI scale: less traffic,
// shorter runs), every oracle on every run, no violation allowed. A failure
// names each failing case's seed; `npm run swarm -- --seed N --schedules 1
// --scale ci` replays it, minimises it and writes the minimised scenario.
import assert from "node:assert/strict";
import { runSwarm, type SwarmFailure } from "../../src/swarm/swarm.js";

/** At least this many schedules run in `npm test` (over the two halves). */
export const SWARM_SCHEDULES = 2000;

function describeFailure(f: SwarmFailure): string {
  return `${f.oracle} (${f.mode}, seed ${f.caseSeed}): ${f.findings[0]}\n    replay: npm run swarm -- --seed ${f.caseSeed} --schedules 1 --scale ci`;
}

export function assertSwarmClean(fromSeed: number, schedules: number): void {
  const summary = runSwarm({ schedules, seed: fromSeed, scale: "ci", shrink: false });
  const cases = Object.values(summary.byMode).reduce((n, m) => n + m.cases, 0);
  assert.equal(cases, schedules, "every schedule ran");
  for (const [mode, tally] of Object.entries(summary.byMode)) assert.ok(tally.cases > 0, `no ${mode} case in the slice`);
  const failures = summary.failures;
  assert.equal(failures.length, 0, `${failures.length} oracle violations in seeds ${fromSeed}..${fromSeed + schedules - 1}:\n  ${failures.slice(0, 12).map(describeFailure).join("\n  ")}`);
}
