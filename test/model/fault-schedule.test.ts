// The fault list read as a schedule: a fault that repeats another at the same
// instant, and a crash of a node the schedule has already taken down, are
// refused at load, at the later fault, naming the earlier one's line. Before
// these checks both loaded and ran as if the second fault were not there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate } from "../../src/engine/simulate.js";
import { factsOf } from "../../src/engine/result.js";
import type { ResolvedFault, ResolvedScenario } from "../../src/model/types.js";
import { assertOne, diagnosticsOf, loads, scenario } from "./helpers.js";

// scenario(): TOPOLOGY inline (pg-a leader in us-east/a, pg-b in us-east/b, pg-c in us-east/c); `faults:` on line 18.
const withFaults = (...faults: string[]) => scenario(["faults:", ...faults.map((f) => `  - ${f}`)]);

test("a second crash of a node crashed for good is refused at the second crash, naming the first's time and line and the two fixes", () => {
  const d = assertOne(withFaults("{ at: 30s, crash: pg-b }", "{ at: 40s, crash: pg-b }"), 20, 16, /^pg-b is already down at 40s: it crashed at 30s \(line 19\) with no `for:` and no recovery since/);
  assert.match(d.message, /give the crash at 30s a `for:` that ends before 40s, or add `recover: pg-b` between them/);
});

test("a crash whose `for:` is not over yet, or ends at that very instant (ends come after the instant's faults), is refused", () => {
  assertOne(withFaults("{ at: 30s, crash: pg-b, for: 20s }", "{ at: 40s, crash: pg-b }"), 20, 16, /already down at 40s: it crashed at 30s \(line 19\) for 20s \(back at 50s\)/);
  assertOne(withFaults("{ at: 30s, crash: pg-b, for: 10s }", "{ at: 40s, crash: pg-b }"), 20, 16, /back at 40s, after the faults of that instant/);
});

test("a node of a lost zone or region is down until the loss ends; a recover does not bring it back", () => {
  assertOne(withFaults("{ at: 30s, lose: us-east/b }", "{ at: 40s, crash: pg-b }"), 20, 16, /pg-b is already down at 40s: zone us-east\/b was lost at 30s \(line 19\) with no `for:`.*give that loss a `for:` that ends before 40s/);
  assertOne(withFaults("{ at: 30s, lose: us-east, for: 1m }", "{ at: 40s, crash: pg-c }"), 20, 16, /region us-east was lost at 30s \(line 19\) for 1m/);
  // The recovery in between is refused itself (below); the crash after it is still one of a node down.
  const found = diagnosticsOf(withFaults("{ at: 30s, lose: us-east/b }", "{ at: 35s, recover: pg-b }", "{ at: 40s, crash: pg-b }"));
  assert.deepEqual(found.map((d) => d.line), [20, 21]);
  assert.match(found[1].message, /pg-b is already down at 40s: zone us-east\/b was lost at 30s/);
});

test("the schedule is read in time order, not file order: the later crash is the one refused, wherever it is written", () => {
  assertOne(withFaults("{ at: 40s, crash: pg-b }", "{ at: 30s, crash: pg-b }"), 19, 16, /already down at 40s: it crashed at 30s \(line 20\)/);
});

test("crashes the schedule allows still load: after a `for:`, a recover, a rebuild, a loss's end, or of another node", () => {
  for (const faults of [
    ["{ at: 30s, crash: pg-b, for: 5s }", "{ at: 40s, crash: pg-b }"],
    ["{ at: 30s, crash: pg-b }", "{ at: 35s, recover: pg-b }", "{ at: 40s, crash: pg-b }"],
    ["{ at: 30s, crash: pg-b }", "{ at: 35s, rebuild: pg-b }", "{ at: 40s, crash: pg-b }"],
    ["{ at: 30s, lose: us-east/b, for: 5s }", "{ at: 40s, crash: pg-b }"],
    // A loss's end brings back every node of the zone, one crashed before it too.
    ["{ at: 30s, crash: pg-b }", "{ at: 32s, lose: us-east/b, for: 3s }", "{ at: 40s, crash: pg-b }"],
    ["{ at: 30s, crash: pg-b }", "{ at: 40s, crash: pg-c }"],
    // A recover written before the crash at the same instant runs first: the crash finds the node up.
    ["{ at: 30s, crash: pg-b }", "{ at: 40s, recover: pg-b }", "{ at: 40s, crash: pg-b }"],
  ]) {
    assert.equal(loads(withFaults(...faults)).kind, "scenario", faults.join(", "));
  }
});

test("the static rule agrees with the engine: a crash it refuses is one the engine would not apply, and the others are applied", () => {
  // Each schedule runs without its last crash, which is then added by hand (past the loader) at 40 s on pg-b.
  const cases: [string[], boolean][] = [
    [["{ at: 30s, crash: pg-b }"], true],
    [["{ at: 30s, crash: pg-b, for: 5s }"], false],
    [["{ at: 30s, crash: pg-b, for: 10s }"], true],
    [["{ at: 30s, crash: pg-b }", "{ at: 35s, recover: pg-b }"], false],
    [["{ at: 30s, lose: us-east/b }"], true],
    [["{ at: 30s, lose: us-east/b, for: 5s }"], false],
    [["{ at: 30s, crash: pg-b }", "{ at: 32s, lose: us-east/b, for: 3s }"], false],
  ];
  for (const [faults, refused] of cases) {
    const crash = "{ at: 40s, crash: pg-b }";
    const staticVerdict = refusedAsDown(withFaults(...faults, crash));
    const base = (loads(withFaults(...faults)) as { scenario: ResolvedScenario }).scenario;
    const extra: ResolvedFault = { atMs: 40_000, kind: "crash", node: "pg-b", nodeIndex: 1, forMs: null };
    const result = simulate({ ...base, faults: [...base.faults, extra] });
    const ignored = factsOf(result.timeline, "crash-ignored").some((f) => f.atMs === 40_000 && f.node === "pg-b");
    assert.equal(staticVerdict, refused, `the loader on ${faults.join(", ")}`);
    assert.equal(ignored, refused, `the engine on ${faults.join(", ")}`);
  }
});

function refusedAsDown(text: string): boolean {
  try {
    loads(text);
    return false;
  } catch {
    const [d] = diagnosticsOf(text);
    return /already down/.test(d.message);
  }
}

test("a fault repeating another at the same instant is refused at the repeat, naming the first's line, for every action but latency", () => {
  const repeat = /repeats an earlier fault at the same time \(line 19\): it would do nothing more, or override that one/;
  // A crash repeated is one error (the repeat), not also "already down".
  assertOne(withFaults("{ at: 30s, crash: pg-b }", "{ at: 30s, crash: pg-b, for: 5s }"), 20, 16, /this "crash" of pg-b at 30s repeats/);
  assertOne(withFaults("{ at: 20s, partition: [[pg-a], [pg-b, pg-c]] }", "{ at: 30s, heal: true }", "{ at: 30s, heal: true }"), 21, 16, /repeats an earlier fault at the same time \(line 20\)/);
  assertOne(withFaults("{ at: 20s, crash: pg-b }", "{ at: 30s, recover: pg-b }", "{ at: 30s, recover: pg-b }"), 21, 16, /this "recover" of pg-b at 30s repeats an earlier fault at the same time \(line 20\)/);
  assertOne(withFaults("{ at: 30s, slow: pg-b, apply_rate: 100 }", "{ at: 30s, slow: pg-b, apply_rate: 50 }"), 20, 16, repeat);
  assertOne(withFaults("{ at: 30s, lose: us-east/b, for: 5s }", "{ at: 30s, lose: us-east/b, for: 5s }"), 20, 16, /this "lose" of us-east\/b at 30s repeats/);
  assertOne(withFaults("{ at: 30s, archive_fails: true }", "{ at: 30s, archive_fails: true, for: 1m }"), 20, 16, repeat);
  assertOne(withFaults("{ at: 30s, bad_write: { class: ledger, statement: delete, rows: 10% } }", "{ at: 30s, bad_write: { class: ledger, statement: drop } }"), 20, 16, /this "bad_write" on ledger at 30s repeats/);
  // The same sides, written in another order.
  assertOne(withFaults("{ at: 30s, partition: [[us-east/a], [us-east/b, us-east/c]], for: 5s }", "{ at: 30s, partition: [[us-east/c, us-east/b], [us-east/a]], for: 5s }"), 20, 16, /this "partition" with the same sides at 30s repeats/);
});

test("repeats that mean something still load: latency added twice stacks; the same action at another time or on another target", () => {
  for (const faults of [
    ["{ at: 30s, latency: { between: [[pg-a], [pg-b]], add: 50ms }, for: 10s }", "{ at: 30s, latency: { between: [[pg-a], [pg-b]], add: 50ms }, for: 20s }"],
    ["{ at: 30s, stall: pg-b, for: 5s }", "{ at: 40s, stall: pg-b, for: 5s }"],
    ["{ at: 30s, stall: pg-b, for: 5s }", "{ at: 30s, stall: pg-c, for: 5s }"],
    ["{ at: 30s, partition: [[us-east/a], [us-east/b, us-east/c]], for: 5s }", "{ at: 30s, partition: [[us-east/b], [us-east/a, us-east/c]], for: 5s }"],
  ]) {
    assert.equal(loads(withFaults(...faults)).kind, "scenario", faults.join(", "));
  }
});

test("an invalid fault left out of the salvage does not make the others look like a schedule they are not", () => {
  // The recover is broken (an unknown key): only its own problem is reported, not a crash "already down".
  const found = diagnosticsOf(withFaults("{ at: 30s, crash: pg-b }", "{ at: 35s, recover: pg-b, wait: 1s }", "{ at: 40s, crash: pg-b }"));
  assert.equal(found.length, 1, found.map((d) => d.message).join("\n"));
  assert.match(found[0].message, /unknown key "wait"/);
});

// ---------------------------------------------------------------------------
// Recoveries of nodes that are up, and losses of what is already lost (before these checks both loaded: the
// recovery did nothing, and a second loss of a region counted that region lost twice).

test("a recovery of a node the schedule shows up is refused, saying what brought it back (or that nothing took it down)", () => {
  assertOne(withFaults("{ at: 30s, recover: pg-b }"), 19, 16, /^pg-b is up at 30s: no fault before it takes it down, so this recovery would do nothing; add a crash of pg-b before it/);
  assertOne(withFaults("{ at: 30s, crash: pg-b, for: 5s }", "{ at: 40s, recover: pg-b }"), 20, 16, /pg-b is up at 40s: its crash at 30s ended at 35s \(line 19\) and nothing has taken it down since/);
  assertOne(withFaults("{ at: 30s, crash: pg-b }", "{ at: 35s, recover: pg-b }", "{ at: 40s, recover: pg-b }"), 21, 16, /pg-b is up at 40s: it was recovered at 35s \(line 20\)/);
  assertOne(withFaults("{ at: 30s, lose: us-east/b, for: 5s }", "{ at: 40s, recover: pg-b }"), 20, 16, /the loss of zone us-east\/b ended at 35s \(line 19\)/);
  // A crash whose `for:` ends at the recovery's instant ends after it: the recovery is the one that brings it back.
  assert.equal(loads(withFaults("{ at: 30s, crash: pg-b, for: 10s }", "{ at: 40s, recover: pg-b }")).kind, "scenario");
});

test("a recovery of a node in a lost zone is refused: the node stays down until the loss ends", () => {
  assertOne(withFaults("{ at: 30s, lose: us-east/b }", "{ at: 35s, recover: pg-b }"), 20, 16, /^pg-b cannot be recovered at 35s: zone us-east\/b was lost at 30s \(line 19\) with no `for:`, and a node of a lost zone stays down/);
  assertOne(withFaults("{ at: 30s, lose: us-east, for: 1m }", "{ at: 35s, recover: pg-c }"), 20, 16, /region us-east was lost at 30s \(line 19\) for 1m \(back at 1m30s\)/);
  assert.equal(loads(withFaults("{ at: 30s, lose: us-east/b, for: 2s }", "{ at: 35s, crash: pg-b }", "{ at: 40s, recover: pg-b }")).kind, "scenario");
});

test("a loss of a zone or region the schedule has already lost is refused; a region with a zone still up may be lost", () => {
  assertOne(withFaults("{ at: 30s, lose: us-east/b }", "{ at: 40s, lose: us-east/b }"), 20, 16, /^zone us-east\/b is already lost at 40s: it was lost at 30s \(line 19\) with no `for:`, so this loss would do nothing/);
  assertOne(withFaults("{ at: 30s, lose: us-east, for: 20s }", "{ at: 40s, lose: us-east }"), 20, 16, /region us-east is already lost at 40s: it was lost at 30s \(line 19\) for 20s \(back at 50s\)/);
  assertOne(withFaults("{ at: 30s, lose: us-east }", "{ at: 40s, lose: us-east/c }"), 20, 16, /zone us-east\/c is already lost at 40s: region us-east was lost at 30s/);
  for (const faults of [
    ["{ at: 30s, lose: us-east/b }", "{ at: 40s, lose: us-east }"],
    ["{ at: 30s, lose: us-east/b, for: 5s }", "{ at: 40s, lose: us-east/b }"],
  ]) {
    assert.equal(loads(withFaults(...faults)).kind, "scenario", faults.join(", "));
  }
});

/** The scenario of withFaults under a topology that fences by STONITH (one line more: `faults:` on line 19). */
const stonith = (...faults: string[]) => withFaults(...faults).replace("  data_classes:", "  failover: { fencing: stonith }\n  data_classes:");

test("under STONITH a failover may power a node off, so a recovery of a node the schedule shows up loads; the engine says when it finds the node up", () => {
  const loaded = loads(stonith("{ at: 30s, recover: pg-b }"));
  assert.equal(loaded.kind, "scenario");
  const result = simulate((loaded as { scenario: ResolvedScenario }).scenario);
  const ignored = factsOf(result.timeline, "recover-ignored");
  assert.deepEqual(ignored.map((e) => [e.atMs, e.node, e.reason]), [[30_000, "pg-b", "already-up"]]);
  assert.equal(factsOf(result.timeline, "recover").length, 0, "no restart of a node that did not stop");
  // What the schedule does show is still refused there: a node of a lost zone, a second loss.
  assertOne(stonith("{ at: 30s, lose: us-east/b }", "{ at: 35s, recover: pg-b }"), 21, 16, /cannot be recovered at 35s/);
});
