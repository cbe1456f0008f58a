// A leader applies each other leader's stream at its apply_rate: a stream that comes faster than that falls
// further behind all run (conflicts and stale reads grow with the delay), and the backlog a partition queued takes
// its count / apply_rate to apply after the heal, whatever the network ships.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import { simulationJson } from "../../src/report/simulate/json.js";
import { runKeepingShape, scenario } from "./multi-leader-helpers.js";

test("a leader that applies slower than the other leader writes falls behind: the delay, the conflicts and the stale reads grow", () => {
  // 400 writes/s, half on each leader: each receives 200/s and applies 100/s, so the 200·t writes the other side
  // made by time t are applied by 2t: a write made 100 s in reaches the other leader about 100 s later.
  const fast = simulate(scenario({ duration: "2m" }));
  const { result: slow, shape } = runKeepingShape(scenario({ duration: "2m", applyRate: 100 }));
  assert.ok(slow.totals.conflicts > 20 * fast.totals.conflicts, `conflicts ${slow.totals.conflicts} at apply_rate 100, ${fast.totals.conflicts} at the preset's`);
  assert.ok(slow.totals.staleReads > 20 * fast.totals.staleReads, `stale reads ${slow.totals.staleReads} against ${fast.totals.staleReads}`);
  const log = shape.core.log;
  let last = -1;
  for (let id = 0; id < log.count; id++) if (shape.origin[id] === 0 && log.appendMs[id] < 100_000) last = id;
  const delay = shape.arrival[last * 2 + 1] - log.appendMs[last];
  assert.ok(delay > 90_000 && delay < 110_000, `a write made at ${log.appendMs[last]} ms reaches the other leader ${delay} ms later`);
});

test("after a partition the queued writes take their count over apply_rate to apply, and the timeline says so", () => {
  const healMs = 60_000;
  const { result, shape } = runKeepingShape(scenario({ conflict: "crdt", applyRate: 2000, faults: "[{ at: 30s, partition: [[us-east], [eu-west]], for: 30s }]", duration: "70s" }));
  const catchUps = factsOf(result.timeline, "catch-up");
  assert.equal(catchUps.length, 2);
  for (const f of catchUps) {
    // About 6,000 writes (200/s × 30 s) at 2,000/s: 3 s, where shipping 6 MB at 50 MB/s takes about 120 ms.
    assert.ok(Math.abs(f.applyMs - (f.writes * 1000) / 2000) < 1e-6, JSON.stringify(f));
    assert.equal(f.applyRate, 2000);
    const to = f.node === "m-us" ? 0 : 1;
    const log = shape.core.log;
    let last = -1;
    for (let id = 0; id < log.count; id++) if (shape.origin[id] !== to && log.appendMs[id] < healMs && log.appendMs[id] >= 30_000) last = id;
    const arrived = shape.arrival[last * 2 + to];
    assert.ok(arrived >= healMs + f.applyMs - 1 && arrived < healMs + f.applyMs + 200, `${f.node}: last queued write applied ${arrived - healMs} ms after the heal (apply ${f.applyMs} ms)`);
  }
  const json = simulationJson(result) as unknown as { timeline: { event: string; detail: string }[] };
  const line = json.timeline.find((e) => e.event === "catch-up")!;
  assert.match(line.detail, /to apply at 2,000 writes\/s/);
});

test("a leader that applies slower than the other leader writes: the lag series grows at the difference, and the timeline says it cannot keep up", () => {
  // Each leader receives about 200 writes/s and applies 100/s: its unapplied writes grow by about 100 a second, and
  // at time t the oldest it has not applied was made about t/2 ago (it has applied the other's first t/2 seconds).
  const result = simulate(scenario({ duration: "2m", applyRate: 100 }));
  const size = 1024;
  for (const [node, origin] of [["m-us", "m-eu"], ["m-eu", "m-us"]]) {
    const series = result.lag.filter((s) => s.node === node && s.origin === origin);
    const at = (ms: number) => series.find((s) => s.atMs === ms)!;
    const growth = (at(100_000).lagBytes - at(50_000).lagBytes) / size / 50;
    assert.ok(growth > 80 && growth < 120, `${node} ← ${origin}: unapplied writes grow ${growth}/s`);
    assert.ok(Math.abs(at(100_000).lagMs - 50_000) < 5_000, `${node} ← ${origin}: ${at(100_000).lagMs} ms behind at 100 s`);
    const notes = factsOf(result.timeline, "apply-falling-behind").filter((f) => f.node === node);
    assert.equal(notes.length, 1, `${node}: ${JSON.stringify(notes)}`);
    assert.equal(notes[0].origin, origin);
    assert.equal(notes[0].applyRate, 100);
    assert.ok(notes[0].incomingRate > 150 && notes[0].incomingRate < 250, JSON.stringify(notes[0]));
    assert.ok(notes[0].atMs <= 15_000, JSON.stringify(notes[0]));
  }
  const json = simulationJson(result) as unknown as { lag: { node: string; origin?: string; maxLagMs: number }[]; lagSeries: unknown[]; timeline: { event: string; detail: string }[] };
  assert.deepEqual(json.lag.map((l) => `${l.node} ← ${l.origin}`).sort(), ["m-eu ← m-us", "m-us ← m-eu"]);
  assert.ok(json.lagSeries.length >= 2 * 119);
  assert.match(json.timeline.find((e) => e.event === "apply-falling-behind")!.detail, /at 100\/s but m-.. makes \d+\/s: it falls \d+ writes further behind every second/);
});

test("a leader that keeps up has a small lag and no falling-behind entry", () => {
  const result = simulate(scenario({ duration: "1m" }));
  assert.equal(factsOf(result.timeline, "apply-falling-behind").length, 0);
  const peak = Math.max(...result.lag.filter((s) => s.origin !== undefined).map((s) => s.lagMs));
  assert.ok(peak < 1000, `peak ${peak} ms`);
});

test("apply_rate 0: no write reaches another leader, and the run ends with all of them reported pending (and what resolving them would drop)", () => {
  const { result, shape } = runKeepingShape(scenario({ duration: "1m", applyRate: 0 }));
  const log = shape.core.log;
  for (let id = 0; id < log.count; id++) {
    for (let L = 0; L < 2; L++) {
      const t = shape.arrival[id * 2 + L];
      assert.ok(!Number.isNaN(t), `write ${id} arrives at leader ${L} at NaN`);
      if (L !== shape.origin[id]) assert.equal(t, Infinity, `write ${id} reached leader ${L}`);
    }
  }
  assert.equal(result.totals.conflicts, 0, "no two writes meet at a leader that applies nothing");
  const pending = factsOf(result.timeline, "conflicts-pending");
  assert.equal(pending.length, 1);
  assert.ok(pending[0].queued > 20_000, JSON.stringify(pending[0]));
  assert.ok(pending[0].projectedLost > 1000, JSON.stringify(pending[0]));
  const behind = factsOf(result.timeline, "apply-falling-behind");
  assert.equal(behind.length, 2);
  const json = simulationJson(result) as unknown as { timeline: { event: string; detail: string }[] };
  assert.match(json.timeline.find((e) => e.event === "apply-falling-behind")!.detail, /applies none of m-..'s writes \(apply_rate 0\)/);
  assert.equal(factsOf(result.timeline, "catch-up").length, 0);
});

test("apply_rate 0 on one leader: a partition's heal delivers nothing to it and it catches nothing up", () => {
  const { result } = runKeepingShape(scenario({ conflict: "crdt", applyRate: 0, faults: "[{ at: 10s, partition: [[us-east], [eu-west]], for: 10s }]", duration: "30s" }));
  assert.equal(factsOf(result.timeline, "catch-up").length, 0);
  assert.equal(result.totals.conflicts, 0);
});

test("after a partition a leader catches up in its backlog over apply_rate minus the writes still arriving, and the timeline says when", () => {
  // 200 writes/s on each side, 60 s cut off: about 12,000 queued for each leader, applied at 500/s while 200/s more
  // arrive: the backlog's last write is applied 24 s after the heal, but the leader is caught up only after
  // 12,000 / (500 − 200) = 40 s, as the lag series shows.
  const healMs = 90_000;
  const result = simulate(scenario({ conflict: "crdt", applyRate: 500, faults: "[{ at: 30s, partition: [[us-east], [eu-west]], for: 60s }]", duration: "3m" }));
  const size = 1024;
  for (const f of factsOf(result.timeline, "catch-up")) {
    assert.ok(Math.abs(f.applyMs - (f.writes * 1000) / 500) < 1e-6, JSON.stringify(f));
    assert.ok(f.incomingRate > 170 && f.incomingRate < 230, JSON.stringify(f));
    assert.ok(Math.abs(f.caughtUpMs - (f.writes * 1000) / (500 - f.incomingRate)) < 1e-6, JSON.stringify(f));
    const origin = f.node === "m-us" ? "m-eu" : "m-us";
    const series = result.lag.filter((s) => s.node === f.node && s.origin === origin);
    const unapplied = (ms: number) => series.find((s) => s.atMs === Math.ceil(ms / 1000) * 1000)!.lagBytes / size;
    assert.ok(unapplied(healMs + f.applyMs + 1000) > 2000, `${f.node}: ${unapplied(healMs + f.applyMs + 1000)} writes unapplied 1 s after its backlog's apply time`);
    assert.ok(unapplied(healMs + f.caughtUpMs + 2000) < 100, `${f.node}: ${unapplied(healMs + f.caughtUpMs + 2000)} writes unapplied 2 s after it caught up`);
    assert.ok(unapplied(healMs + f.caughtUpMs - 4000) > 500, `${f.node}: ${unapplied(healMs + f.caughtUpMs - 4000)} writes unapplied 4 s before it caught up`);
  }
  const json = simulationJson(result) as unknown as { timeline: { event: string; detail: string }[] };
  assert.match(json.timeline.find((e) => e.event === "catch-up")!.detail, /to apply at 500 writes\/s; caught up after [34]\d(\.\d)?s, as about 2\d\d writes\/s more arrive meanwhile\)/);
});

test("a backlog that arrives faster than the leader applies it is never caught up, and the timeline says so", () => {
  const result = simulate(scenario({ conflict: "crdt", applyRate: 150, faults: "[{ at: 30s, partition: [[us-east], [eu-west]], for: 20s }]", duration: "1m" }));
  const f = factsOf(result.timeline, "catch-up")[0];
  assert.equal(f.caughtUpMs, Infinity, JSON.stringify(f));
  const json = simulationJson(result) as unknown as { timeline: { event: string; detail: string }[] };
  assert.match(json.timeline.find((e) => e.event === "catch-up")!.detail, /never caught up: about [12]\d\d writes\/s more arrive/);
});
