// Multi-leader partial outages under home-region routing (result.classes[i].keyOutages and verdicts.keyRto):
// while a region's leader is down, the keys whose home it is cannot be written anywhere, while the other
// region's keys are. Checked against the routing's arithmetic (a key's home is its index modulo the number of
// leader regions, counted here key by key), against the writes the run acknowledged (none on those keys while
// their leader was down), and against the RTO target: out longer than it, the class misses, whatever its RTO.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf, type ClassResult } from "../../src/engine/result.js";
import { Chalk } from "chalk";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { simulationJson } from "../../src/report/simulate/json.js";
import { scenarioFrom } from "./helpers.js";
import { runKeepingShape, scenario } from "./multi-leader-helpers.js";

const plain = new Chalk({ level: 0 });

/** The keys (of `keys`) whose home is leader region `home` of `leaders`: k mod leaders = home, counted one by one. */
function homeKeys(keys: number, leaders: number, home: number): number {
  let count = 0;
  for (let k = 0; k < keys; k++) if (k % leaders === home) count++;
  return count;
}

const crashUs = (forS: number) => `[{ at: 30s, crash: m-us, for: ${forS}s }]`;

const orders = (c: ClassResult | undefined): ClassResult => {
  assert.ok(c, "the class");
  return c;
};

test("home-region routing, us-east's leader down 20 s against a 10 s RTO: us-east's keys cannot be written for 20 s, the class misses", () => {
  const { result, shape } = runKeepingShape(scenario({ routing: "home-region", rtoS: 10, faults: crashUs(20) }));
  const c = orders(result.classes[0]);
  const expected = homeKeys(2000, 2, 0);
  assert.deepEqual(c.keyOutages!.writes.longestPartial, { fault: 0, startMs: 30_000, endMs: 50_000, ms: 20_000, keys: expected, share: expected / 2000 });
  // Reads of those keys go to the other region's leader meanwhile.
  assert.equal(c.keyOutages!.reads.longestPartial, null);
  // What the run did: no write to a us-east key was made while m-us was down; eu-west's keys kept being written.
  const log = shape.core.log;
  const made = (home: number) => {
    let n = 0;
    for (let id = 0; id < log.count; id++) if (log.appendMs[id] > 30_000 && log.appendMs[id] < 50_000 && log.key[id] % 2 === home) n++;
    return n;
  };
  assert.equal(made(0), 0, "writes to us-east's keys while its leader was down");
  assert.ok(made(1) > 1000, `${made(1)} writes to eu-west's keys meanwhile`);
  // The class's RTO ends at the first write acknowledged on any key: milliseconds.
  assert.ok(c.rto.writeMs !== null && c.rto.writeMs < 1000, `RTO ${c.rto.writeMs}`);
  assert.equal(c.verdicts!.writeRto, true);
  assert.equal(c.verdicts!.keyRto, false);
  assert.equal(c.met, false);
  // The timeline, the text and the JSON say so.
  const gone = factsOf(result.timeline, "keys-unavailable");
  assert.deepEqual(gone.map((e) => [e.atMs, e.writes.keys, e.reads.keys]), [[30_000, expected, 0]]);
  assert.deepEqual(factsOf(result.timeline, "keys-available").map((e) => e.atMs), [50_000]);
  const text = renderSimulateText(result, plain, { width: 300 }).replace(/\s+/g, " ");
  // (Its clients of us-east, back some seconds after their leader, miss the p99 client target too.)
  assert.match(text, /│ write RTO met · (p99 client missed · )?RTO missed on 50% of keys \(20s\) │/);
  assert.ok(text.includes(`orders: 50% of its keys (${expected.toLocaleString("en-US")} of 2,000) could not be written for 20s (T+0 to T+20s)`), text);
  assert.ok(text.includes("That is longer than its RTO target of 10s"), text);
  const json = simulationJson(result) as { classes: { met: boolean; verdicts: { keyRto: boolean | null }; keyOutages: { writes: { longestPartial: { ms: number } } } }[] };
  assert.deepEqual([json.classes[0].met, json.classes[0].verdicts.keyRto, json.classes[0].keyOutages.writes.longestPartial.ms], [false, false, 20_000]);
});

test("the same leader down 5 s against a 10 s RTO: its keys were out 5 s, the class met its targets", () => {
  const c = orders(simulate(scenario({ routing: "home-region", rtoS: 10, faults: crashUs(5) })).classes[0]);
  assert.deepEqual([c.keyOutages!.writes.longestPartial?.ms, c.keyOutages!.writes.longestPartial?.keys], [5_000, homeKeys(2000, 2, 0)]);
  assert.equal(c.verdicts!.keyRto, true);
  assert.equal(c.met, true, JSON.stringify(c.verdicts));
});

test("a region lost for good with its clients: its keys stay unwritable to the end of the run, past the RTO", () => {
  const s = scenarioFrom("scenarios/cross-region/partitioned-active-active-region-loss.yaml");
  const c = orders(simulate(s).classes[0]);
  const span = c.keyOutages!.writes.longestPartial!;
  assert.deepEqual([span.startMs, span.endMs, span.ms, span.keys], [30_000, null, s.durationMs - 30_000, homeKeys(s.workload.keys, 2, 0)]);
  assert.equal(c.verdicts!.keyRto, false, "70 s and counting against a 1 m RTO");
  assert.equal(c.met, false);
});

test("a partition between the regions, each region's clients with their own leader: every key stays writable, no key verdict", () => {
  const c = orders(simulate(scenarioFrom("scenarios/multi-leader-partition-home-region.yaml")).classes[0]);
  assert.equal(c.keyOutages!.writes.longest, null);
  assert.equal(c.keyOutages!.reads.longest, null);
  assert.equal(c.verdicts!.keyRto, null);
  assert.equal(c.met, true);
});

test("no partial outages without home-region routing, nor with a single leader: no keyOutages, keyRto null, the verdict the other parts make", () => {
  // Routing `any`: a client whose home leader is down writes on the other one; every key stays writable.
  const any = orders(simulate(scenario({ routing: "any", rtoS: 10, faults: crashUs(20) })).classes[0]);
  const single = simulate(scenarioFrom("scenarios/leader-dies-in-az-a.yaml")).classes;
  for (const c of [any, ...single]) {
    assert.equal(c.keyOutages, undefined, c.name);
    assert.equal(c.verdicts!.keyRto, null, c.name);
    const { keyRto: _, ...others } = c.verdicts!;
    assert.equal(c.met, Object.values(others).every((v) => v !== false), c.name);
  }
});
