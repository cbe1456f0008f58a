// The multi-leader shape against its physics, one knob at a time, and against what each design promises:
// home-region routing never writes a key in two places (not even when a client's home leader is out of reach),
// a crashed leader ships what it had not shipped when it is back (only a leader lost for good loses that tail),
// a partition queues what each side writes and last-write-wins loses each key's losing line (a closed form from
// the Poisson arrivals), scattered conflicts grow with the cross-region delay, catch-up ships at the backlog's
// stated throughput, and `app` keeps as siblings exactly the writes last-write-wins drops.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { Chalk } from "chalk";
import { simulationJson } from "../../src/report/simulate/json.js";
import { renderSimulateText } from "../../src/report/simulate/text.js";
import { runKeepingShape, scenario, writesByKey } from "./multi-leader-helpers.js";

const partition = (atS: number, forS: number, sides = "[[us-east], [eu-west, us-west]]") => `[{ at: ${atS}s, partition: ${sides}, for: ${forS}s }]`;

test("home-region routing: a client cut off from its home leader cannot write there, and no other leader writes its keys: no conflict, no loss", () => {
  // Clients in us-west belong to us-east (the nearest leader, first listed); the partition puts them with eu-west.
  const cut = simulate(scenario({ routing: "home-region", zones: "[us-east/a, eu-west/a, us-west/a]", faults: partition(30, 40) }));
  assert.equal(cut.totals.conflicts, 0, "no key is written in two places");
  assert.equal(cut.totals.writesLost, 0);
  // A third of the clients, cut off from their home for 40 s: their writes fail instead (about 133/s × 40 s).
  const expected = (400 / 3) * 40;
  assert.ok(Math.abs(cut.totals.writesRejected - expected) < 0.2 * expected, `${cut.totals.writesRejected} rejected, about ${expected}`);
  // They still read, from the leader in reach: the other region's copy is readable, not writable (and may be stale).
  assert.equal(cut.totals.readsRejected, 0);
  assert.ok(cut.totals.staleReads > 0);
  // A zone cut off from its own region's leader, with the other region's leader in reach.
  const zone = simulate(scenario({ routing: "home-region", zones: "[us-east/a, us-east/b, eu-west/a]", faults: partition(30, 40, "[[us-east/a], [us-east/b, eu-west]]") }));
  assert.equal(zone.totals.conflicts, 0);
  assert.equal(zone.totals.writesLost, 0);
  // Its home leader crashed and back: its clients waited; nothing was written elsewhere meanwhile.
  const crash = simulate(scenario({ routing: "home-region", faults: "[{ at: 30s, crash: m-us, for: 30s }]" }));
  assert.equal(crash.totals.conflicts, 0);
  assert.equal(crash.totals.writesLost, 0);
});

test("home-region routing: clients outside the home region pay the cross-region round trip on every write; those inside do not", () => {
  const r = simulate(scenario({ routing: "home-region", zones: "[us-west/a, eu-west/a]", duration: "30s" }));
  const west = r.regions.find((x) => x.region === "us-west")!;
  const eu = r.regions.find((x) => x.region === "eu-west")!;
  // A round trip to us-east: twice the 40 ms one-way median.
  assert.ok(west.writeP50Ms! > 80 && west.writeP50Ms! < 95, `us-west writes p50 ${west.writeP50Ms} ms`);
  assert.ok(eu.writeP50Ms! < 5, `eu-west writes p50 ${eu.writeP50Ms} ms`);
});

test("a crashed leader (not lost for good) ships its unshipped writes when it is back: nothing acknowledged is lost, the leaders converge", () => {
  const { result, shape } = runKeepingShape(scenario({ conflict: "crdt", faults: "[{ at: 30s, crash: m-us, for: 30s }]" }));
  assert.equal(result.totals.writesLost, 0);
  const waiting = factsOf(result.timeline, "unshipped");
  assert.equal(waiting.length, 1, "the crash says what waits on its disk");
  assert.ok(waiting[0].writes > 0);
  assert.equal(factsOf(result.timeline, "unreplicated").length, 0, "nothing is gone: it comes back");
  // Every write made reached every leader by the end (a link that never delivers would leave them apart for good).
  const log = shape!.core.log;
  const n = shape!.leaders.length;
  let missing = 0;
  // (A write still being flushed when the host failed was never durable, nor acknowledged: it is not shipped.)
  const durable = (id: number) => Number.isFinite(log.appendMs[id]) && !(log.appendMs[id] <= 30_000 && log.flushMs[id] > 30_000);
  for (let id = 0; id < log.count; id++) if (durable(id)) for (let L = 0; L < n; L++) if (!(shape!.arrival[id * n + L] < Infinity)) missing++;
  assert.equal(missing, 0, "writes that never reached a leader");
  // Still down at the end: its writes wait, not lost.
  const down = simulate(scenario({ conflict: "crdt", faults: "[{ at: 30s, crash: m-us }]" }));
  assert.equal(down.totals.writesLost, 0);
});

test("a region lost for good loses its leader's unshipped tail: about a replication delay's worth of its writes, each that young", () => {
  let lost = 0;
  let told = 0;
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  for (const seed of seeds) {
    const r = simulate(scenario({ conflict: "crdt", seed, faults: "[{ at: 30s, lose: us-east }]", duration: "40s" }));
    lost += r.totals.writesLost;
    told += factsOf(r.timeline, "unreplicated").reduce((s, f) => s + f.writes, 0);
    if (r.totals.writesLost > 0) assert.ok(r.classes[0].rpo.windowMs < 200, `seed ${seed}: window ${r.classes[0].rpo.windowMs} ms`);
  }
  assert.equal(told, lost, "the timeline tells every write the region took with it");
  // us-east writes 200/s; a write is acknowledged at once and reaches eu-west a one-way delay later (mean ≈ 42.5 ms).
  const expected = 200 * 0.0425;
  const mean = lost / seeds.length;
  assert.ok(Math.abs(mean - expected) < 0.35 * expected, `mean ${mean} lost per run, about ${expected}`);
});

/** E[writes LWW loses] for a partition: per key, N ~ Poisson(λ) writes, each side's with probability ½; the losing side's (N − 1)/2 on average. */
const closedFormLost = (keys: number, writes: number) => {
  const lambda = writes / keys;
  return (keys * (lambda - 1 + Math.exp(-lambda))) / 2;
};

test("a partition: the writes queued grow with its length and the write rate, and LWW loses each key's losing line (closed form), a partition old", () => {
  const run = (forS: number, writes: number) => simulate(scenario({ writes, faults: partition(30, forS, "[[us-east], [eu-west]]"), duration: `${30 + forS + 20}s` }));
  const calm = (writes: number, s: number) => simulate(scenario({ writes, duration: `${s}s` })).totals.writesLost;
  for (const [forS, writes] of [
    [30, 400],
    [60, 400],
    [30, 200],
  ]) {
    const r = run(forS, writes);
    const queued = factsOf(r.timeline, "catch-up").reduce((s, f) => s + f.writes, 0);
    const during = writes * forS;
    assert.ok(Math.abs(queued - during) < 0.03 * during, `${forS}s at ${writes}/s: ${queued} queued, about ${during}`);
    // Scattered conflicts outside the partition add a few, as in a run without it.
    const expected = closedFormLost(2000, during) + calm(writes, 50);
    assert.ok(Math.abs(r.totals.writesLost - expected) < 0.06 * expected, `${forS}s at ${writes}/s: ${r.totals.writesLost} lost, about ${Math.round(expected)}`);
    const window = r.classes[0].rpo.windowMs;
    assert.ok(window >= forS * 1000 && window < forS * 1000 + 1000, `${forS}s: RPO window ${window} ms`);
  }
});

test("scattered conflicts (no fault) grow with the cross-region delay; under LWW each loses one write, a delay old", () => {
  const rows = [20, 40, 80].map((median) => {
    const crdt = simulate(scenario({ conflict: "crdt", median, duration: "60s" }));
    const lww = simulate(scenario({ conflict: "lww", median, duration: "60s" }));
    // Two writes to one key from both sides within a one-way delay of each other (mean of the log-normal ≈ 1.06 × median).
    const perKey = 400 / 2 / 2000;
    const expected = 2000 * perKey * perKey * 2 * (1.063 * median) / 1000 * 60;
    assert.ok(Math.abs(crdt.totals.conflicts - expected) < 0.3 * expected, `${median} ms: ${crdt.totals.conflicts} conflicts, about ${Math.round(expected)}`);
    assert.equal(crdt.totals.writesLost, 0);
    assert.ok(Math.abs(lww.totals.writesLost - lww.totals.conflicts) <= 0.1 * lww.totals.conflicts, `${median} ms: ${lww.totals.writesLost} lost of ${lww.totals.conflicts} conflicts`);
    assert.ok(lww.classes[0].rpo.windowMs < median * 5, `${median} ms: window ${lww.classes[0].rpo.windowMs}`);
    return { conflicts: crdt.totals.conflicts, window: lww.classes[0].rpo.windowMs };
  });
  assert.ok(rows[0].conflicts < rows[1].conflicts && rows[1].conflicts < rows[2].conflicts, JSON.stringify(rows));
  assert.ok(rows[0].window < rows[2].window, JSON.stringify(rows));
});

test("catch-up ships the backlog at 50 MB/s and applies it at the apply rate: the last queued write arrives the longer of the two after the heal, plus the link's delay", () => {
  const { result, shape } = runKeepingShape(scenario({ conflict: "crdt", faults: partition(30, 30, "[[us-east], [eu-west]]"), duration: "70s" }));
  const healMs = 60_000;
  for (const f of factsOf(result.timeline, "catch-up")) {
    assert.equal(f.bytesPerSecond, 50 * 1024 * 1024);
    assert.ok(Math.abs(f.shipMs - (f.writes * 1024 * 1000) / f.bytesPerSecond) < 1e-6, JSON.stringify(f));
    // The latest write made during the partition on the other side arrives after shipping the whole backlog.
    const to = f.node === "m-us" ? 0 : 1;
    const log = shape!.core.log;
    let last = -1;
    for (let id = 0; id < log.count; id++) if (shape!.origin[id] !== to && log.appendMs[id] < healMs && log.appendMs[id] >= 30_000) last = id;
    const arrived = shape!.arrival[last * 2 + to];
    const takes = Math.max(f.shipMs, f.applyMs);
    assert.ok(arrived >= healMs + takes - 1 && arrived < healMs + takes + 200, `${f.node}: last queued write arrives at ${arrived - healMs} ms after the heal (ship ${f.shipMs} ms, apply ${f.applyMs} ms)`);
  }
});

test("conflicts are pairs counted once each: within 1% of the pairs that met at a leader in arrival order (an oracle from the raw facts)", () => {
  const { result, shape } = runKeepingShape(scenario({ conflict: "lww", faults: partition(30, 30, "[[us-east], [eu-west]]"), duration: "70s" }));
  const s = shape!;
  const log = s.core.log;
  const n = s.leaders.length;
  const byKey = writesByKey(log);
  const later = (a: number, b: number) => b < 0 || log.appendMs[a] > log.appendMs[b] || (log.appendMs[a] === log.appendMs[b] && a > b);
  const concurrent = (a: number, b: number) => s.origin[a] !== s.origin[b] && s.arrival[a * n + s.origin[b]] > log.appendMs[b] && s.arrival[b * n + s.origin[a]] > log.appendMs[a];
  const pairs = new Set<string>();
  for (const writes of byKey.values()) {
    for (let L = 0; L < n; L++) {
      const order = writes.filter((y) => s.arrival[y * n + L] < Infinity).sort((a, b) => s.arrival[a * n + L] - s.arrival[b * n + L] || a - b);
      let held = -1;
      for (const y of order) {
        if (held >= 0 && concurrent(held, y)) pairs.add(`${Math.min(held, y)}:${Math.max(held, y)}`);
        if (later(y, held)) held = y;
      }
    }
  }
  assert.ok(Math.abs(result.totals.conflicts - pairs.size) < 0.01 * pairs.size, `${result.totals.conflicts} conflicts counted, ${pairs.size} pairs met`);
});

test("app keeps as siblings exactly the writes LWW drops, loses none, and says so alike in the text, the JSON and the timeline", () => {
  const faults = partition(30, 30, "[[us-east], [eu-west]]");
  const lww = simulate(scenario({ conflict: "lww", faults, duration: "70s" }));
  const app = simulate(scenario({ conflict: "app", faults, duration: "70s" }));
  const crdt = simulate(scenario({ conflict: "crdt", faults, duration: "70s" }));
  assert.equal(app.totals.writesLost, 0);
  assert.ok(lww.totals.writesLost > 1000);
  assert.equal(app.totals.siblings, lww.totals.writesLost, "the same run: what LWW drops, app hands the application");
  assert.equal(app.totals.conflicts, lww.totals.conflicts);
  assert.equal(crdt.totals.siblings, undefined, "a CRDT merges: no siblings");
  assert.equal(lww.totals.siblings, undefined);
  const json = simulationJson(app) as unknown as { totals: { siblings?: number; conflicts: number }; timeline: { event: string; detail: string }[] };
  assert.equal(json.totals.siblings, app.totals.siblings);
  const text = renderSimulateText(app, new Chalk({ level: 0 }), { width: 200 });
  assert.match(text, new RegExp(`conflicts ${app.totals.conflicts.toLocaleString("en-US")} · siblings ${app.totals.siblings!.toLocaleString("en-US")}`));
  const surface = json.timeline.find((e) => e.event === "conflicts-surface")!;
  assert.match(surface.detail, /^[\d,]+ conflicts surface .*siblings for the application/);
  const lwwSurface = (simulationJson(lww) as unknown as typeof json).timeline.find((e) => e.event === "conflicts-surface")!;
  assert.match(lwwSurface.detail, /conflicts surface .*each a pair of writes.*writes lost count each write once, not each pair/, "the words tell conflicts (pairs) from writes lost");
  assert.doesNotMatch(lwwSurface.detail, /conflicting writes/);
});
