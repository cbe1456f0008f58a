// Faults the schedule shows to be impossible: a `heal` with no partition open, and a `rebuild` of the node that
// leads from the start before any fault could have moved the leadership. Both loaded, ran, and were only noted in
// the timeline ("all partitions healed" of nothing; "cannot rebuild the leader; fail over first"); they are refused
// at the fault's line and column, naming what explains it. A rebuild of that node after a fault that may have
// started a failover depends on the run, and still loads (the engine notes it if the node still leads).
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertOne, loads, scenario } from "./helpers.js";

// scenario(): TOPOLOGY inline (pg-a leader in us-east/a, pg-b in us-east/b, pg-c in us-east/c); `faults:` on line 18.
const withFaults = (...faults: string[]) => scenario(["faults:", ...faults.map((f) => `  - ${f}`)]);
const CUT = "partition: [[pg-a], [pg-b, pg-c]]";

test("a heal with no partition before it is refused at the heal", () => {
  assertOne(withFaults("{ at: 30s, heal: true }"), 19, 16, /^no partition is open at 30s: no partition comes before it, so this heal would do nothing; put a partition with no `for:` before it, or leave this heal out/);
  // Written first in the file at the same instant as the partition: faults of one instant run in file order.
  assertOne(withFaults("{ at: 30s, heal: true }", `{ at: 30s, ${CUT} }`), 19, 16, /no partition is open at 30s: no partition comes before it/);
});

test("a heal after every partition has ended by its `for:`, or was healed already, is refused naming that fault's line", () => {
  assertOne(withFaults(`{ at: 10s, ${CUT}, for: 5s }`, "{ at: 30s, heal: true }"), 20, 16, /no partition is open at 30s: the last one, at 10s \(line 19\), ended at 15s by its `for:`/);
  assertOne(withFaults(`{ at: 10s, ${CUT} }`, "{ at: 20s, heal: true }", "{ at: 30s, heal: true }"), 21, 16, /no partition is open at 30s: the last one, at 10s, was healed at 20s \(line 20\)/);
});

test("heals the schedule allows still load: of a partition with no `for:`, or before its `for:` runs out (at that very instant too)", () => {
  for (const faults of [
    [`{ at: 10s, ${CUT} }`, "{ at: 30s, heal: true }"],
    [`{ at: 10s, ${CUT}, for: 1m }`, "{ at: 30s, heal: true }"],
    [`{ at: 10s, ${CUT}, for: 20s }`, "{ at: 30s, heal: true }"],
    [`{ at: 10s, ${CUT} }`, "{ at: 20s, heal: true }", `{ at: 25s, ${CUT} }`, "{ at: 30s, heal: true }"],
  ]) loads(withFaults(...faults));
});

test("a rebuild of the first leader before any fault that could start a failover is refused at the rebuild", () => {
  const d = assertOne(withFaults("{ at: 30s, rebuild: pg-a }"), 19, 16, /^pg-a still leads at 30s: it is the leader from the start and no earlier fault .* can have started a failover, and a leader cannot be re-seeded from a base backup/);
  assert.match(d.message, /rebuild a replica, or crash pg-a before 30s so that another node leads first/);
  // Faults that never move the leadership change nothing; a crash at the same instant cannot have finished a failover.
  assertOne(withFaults("{ at: 10s, archive_fails: true }", "{ at: 20s, promote_fails: pg-b }", "{ at: 25s, rebuild: pg-b }", "{ at: 30s, rebuild: pg-a }"), 22, 16, /pg-a still leads at 30s/);
  assertOne(withFaults("{ at: 30s, crash: pg-a }", "{ at: 30s, rebuild: pg-a }"), 20, 16, /pg-a still leads at 30s/);
});

test("a rebuild of the first leader after a fault that may have moved the leadership loads (the run decides), as does a replica's", () => {
  for (const faults of [
    ["{ at: 10s, crash: pg-a }", "{ at: 30s, rebuild: pg-a }"],
    [`{ at: 10s, ${CUT}, for: 5s }`, "{ at: 30s, rebuild: pg-a }"],
    ["{ at: 10s, lose: us-east/a, for: 5s }", "{ at: 30s, rebuild: pg-a }"],
    ["{ at: 10s, latency: { between: [[pg-a], [pg-b, pg-c]], add: 5s }, for: 5s }", "{ at: 30s, rebuild: pg-a }"],
    ["{ at: 30s, rebuild: pg-b }"],
  ]) loads(withFaults(...faults));
});
