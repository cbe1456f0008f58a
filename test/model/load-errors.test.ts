// Bad input, file by file: each problem is reported at the exact line and
// column of the key or value at fault, says what was expected, and offers a
// "did you mean" where a typo is likely.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError, type Diagnostic } from "../../src/model/diagnostics.js";
import { loadText } from "../../src/model/load.js";
import { LIMITS } from "../../src/model/schema.js";
import { assertOne, diagnosticsOf, loads, scenario, topology } from "./helpers.js";

test("the helpers' topology and scenario load as they are", () => {
  assert.equal(loads(topology()).kind, "topology");
  assert.equal(loads(scenario()).kind, "scenario");
});

// ---------------------------------------------------------------------------
// Schema errors

test("unknown top-level key: at the key, with did-you-mean and the allowed keys", () => {
  const d = assertOne(topology({}, ["failovr:", "  mode: automatic"]), 13, 1, /unknown key "failovr" — did you mean "failover"\?/);
  assert.match(d.message, /expected one of: kind, name, .*failover/);
});

test("unknown nested key: at the key, with the keys allowed in that block", () => {
  assertOne(topology({}, ["failover:", "  detecton: { ttl: 10s }"]), 14, 3, /unknown key "detecton" — did you mean "detection"\?/);
});

test("unknown key inside a node: at the key (the column of the flow mapping entry)", () => {
  assertOne(topology({ 7: "  pg-b: { zone: us-east/b, nofailovr: true }" }), 7, 28, /unknown key "nofailovr" — did you mean "nofailover"\?/);
});

test("wrong enum value: at the value, listing the choices, with did-you-mean", () => {
  const d = assertOne(topology({}, ["failover:", "  fencing: stonit"]), 14, 12, /"fencing": expected one of "stonith", "lease", "none", got "stonit"/);
  assert.match(d.message, /did you mean "stonith"\?/);
});

test("replication mode typo (the union's discriminator): at the value, with did-you-mean", () => {
  const d = assertOne(topology({ 10: "  mode: leader-folower" }), 10, 9, /"mode".*"leader-follower", "leaderless", "multi-leader", "consensus"/);
  assert.match(d.message, /got "leader-folower" — did you mean "leader-follower"\?/);
});

test("missing required key: reported once, at the mapping that lacks it", () => {
  const text = topology().replace("data_classes:\n  ledger: { rpo: 0, rto: 1m }\n", "");
  assertOne(text, 1, 1, /missing required key "data_classes" \(a mapping\)/);
});

test("missing required key in a nested mapping: at that mapping", () => {
  assertOne(topology({ 12: "  ledger: { rpo: 0 }" }), 12, 11, /missing required key "rto"/);
});

test("duration without a unit: at the value, saying to add one", () => {
  assertOne(topology({ 12: "  ledger: { rpo: 0, rto: 30 }" }), 12, 26, /got the bare number 30 — add a unit/);
});

test("duration with an unknown unit: at the value, with examples of valid ones", () => {
  assertOne(topology({ 12: "  ledger: { rpo: 0, rto: 30x }" }), 12, 26, /expected a duration with a unit such as "500ms", "30s".*got "30x"/);
});

test("sizes: a unit that is not binary-size syntax is refused at the value", () => {
  assertOne(topology({}, ["failover:", "  maximum_lag_on_failover: 1PB"]), 14, 28, /"PB" is not a size unit/);
});

test("out-of-limit: 100 nodes is above the 64-node limit", () => {
  const nodes = Array.from({ length: 100 }, (_, i) => `  n${i}: { zone: us-east/a }`);
  const text = ["kind: topology", "name: big", "regions: { us-east: { zones: [a] } }", "nodes:", ...nodes, "replication: { mode: leader-follower }", "data_classes: { c: { rpo: 0, rto: 1m } }"].join("\n");
  assertOne(text, 5, 3, new RegExp(`between 1 and ${LIMITS.nodes} nodes`));
});

test("out-of-limit: writes above the limit, at the value, naming the limit", () => {
  assertOne(scenario([], { workload: "{ writes: 200000 }" }), 17, 21, new RegExp(`"writes" is number 200000, above the limit of ${LIMITS.writesPerSecond}`));
});

test("a node on both sides of a partition is refused at the side that repeats it (found by a review: it ran, half cut off)", () => {
  assertOne(scenario(["faults:", "  - { at: 10s, partition: [[pg-a], [pg-a, pg-b]] }"]), 19, 36, /pg-a is on two sides of the partition/);
  assertOne(scenario(["faults:", "  - { at: 10s, partition: [[us-east], [pg-a]] }"]), 19, 39, /pg-a is on two sides of the partition/);
});

test("out-of-limit: a scenario longer than 6h", () => {
  assertOne(scenario([], { duration: "7h" }), 16, 11, /7h is above the limit of 6h/);
});

test("out-of-limit: a negative rate, and a seed past 2^32 - 1", () => {
  assertOne(scenario([], { workload: "{ writes: -5 }" }), 17, 21, /"writes" is number -5; expected at least 0/);
  assertOne(scenario(["seed: 5000000000"]), 18, 7, /"seed" is number 5000000000, above the limit of 4294967295/);
});

test("ops-per-run limit: rate × duration above 50 million requests, at the workload key", () => {
  const d = assertOne(scenario([], { duration: "6h", workload: "{ writes: 100000, reads: 400000 }" }), 17, 1, /10,800,000,000 requests in one run/);
  assert.match(d.message, /above the limit of 50,000,000; shorten the scenario or lower the rates/);
});

test("reconnection limit: clients retrying every millisecond for the rest of the run are refused at load, at the clients (found by a review: 76 s, then an internal error)", () => {
  // The default reconnect cap is 5 s: 20,000 clients for the 58 s after the fault stay well within the limit.
  assert.equal(loads(scenario(["faults:", "  - { at: 2s, crash: pg-a }"], { workload: "{ writes: 1, clients: 20000 }" })).kind, "scenario");
  const fast = scenario(["faults:", "  - { at: 2s, crash: pg-a }"], { workload: "{ writes: 1, clients: 20000 }" }).replace("  replication:", "  failover: { reconnect: { backoff: 1ms, max: 2ms, jitter: full } }\n  replication:");
  const d = assertOne(fast, 18, 33, /reconnection attempts in one run .* above the limit of 50,000,000; raise failover\.reconnect\.max or lower workload\.clients/);
  assert.match(d.message, /^up to 1,160,000,000 /);
});

test("a bad name of a node or class is said at the name, with what a name may be (was zod's 'Invalid key in record', at the value)", () => {
  assertOne(topology({ 7: '  "pg b": { zone: us-east/b }' }), 7, 3, /name "pg b" is not valid: expected a name of letters, digits, '-', '_' or '\.'/);
  assertOne(topology({ 12: `  ${"l".repeat(70)}: { rpo: 0, rto: 1m }` }), 12, 3, /name "l{70}" is longer than 64 characters/);
});

test("a list past its limit: more than 500 faults", () => {
  const faults = Array.from({ length: LIMITS.faults + 1 }, () => "  - { at: 1s, crash: pg-b }");
  assertOne(scenario(["faults:", ...faults]), 19, 3, new RegExp(`"faults" may have at most ${LIMITS.faults} items`));
});

// ---------------------------------------------------------------------------
// Cross-references (resolve)

test("a node in an unknown region, and in an unknown zone of a known region", () => {
  const diagnostics = diagnosticsOf(topology({ 7: "  pg-b: { zone: us-est/b }", 8: "  pg-c: { zone: us-east/d }" }));
  assert.deepEqual(
    diagnostics.map((d) => [d.line, d.column]),
    [
      [7, 17],
      [8, 17],
    ],
  );
  assert.match(diagnostics[0].message, /unknown region "us-est" — did you mean "us-east"\? \(regions: us-east\)/);
  assert.match(diagnostics[1].message, /region "us-east" has no zone "d".*\(zones: a, b, c\)/);
});

test("an unknown region as coordinator and as backup region", () => {
  const diagnostics = diagnosticsOf(topology({}, ["failover: { coordinator: us-wst }", "backups:", "  wal_archive: { mode: continuous, region: eu }"]));
  assert.deepEqual(
    diagnostics.map((d) => [d.line, d.column]),
    [
      [13, 26],
      [15, 44],
    ],
  );
  assert.match(diagnostics[0].message, /unknown region "us-wst"/);
  assert.match(diagnostics[1].message, /unknown region "eu"/);
});

test("shares that do not add up to 1: at the data_classes key", () => {
  const text = topology({ 12: "  ledger: { rpo: 0, rto: 1m, share: 50% }" }, ["  audit: { rpo: 1m, rto: 5m, share: 0.4 }"]);
  assertOne(text, 11, 1, /shares add up to 0\.9; they must add up to 1 \(100%\)/);
});

test("shares above 1 in total, even with a class left to share the rest", () => {
  const text = topology({ 12: "  ledger: { rpo: 0, rto: 1m, share: 0.8 }" }, ["  audit: { rpo: 1m, rto: 5m, share: 0.4 }", "  rest: { rpo: 1h, rto: 1h }"]);
  assertOne(text, 11, 1, /shares add up to 1\.2/);
});

test("a sync standby that is not a node: at the standbys value, with did-you-mean", () => {
  const text = topology({ 10: "  mode: leader-follower\n  synchronous: { standbys: \"ANY 1 (pg-b, pg-x)\" }" });
  assertOne(text, 11, 28, /synchronous standby "pg-x" is not a node — did you mean "pg-a"\?|synchronous standby "pg-x" is not a node/);
});

test("a sync standby that is the leader", () => {
  const text = topology({ 10: "  mode: leader-follower\n  synchronous: { standbys: \"FIRST 1 (pg-a, pg-b)\" }" });
  assertOne(text, 11, 28, /"pg-a" is the leader; it cannot be its own synchronous standby/);
});

test("a sync standby count above the names listed, and a name listed twice", () => {
  assertOne(topology({ 10: "  mode: leader-follower\n  synchronous: { standbys: \"ANY 3 (pg-b, pg-c)\" }" }), 11, 28, /asks for 3 synchronous standbys but lists only 2/);
  assertOne(topology({ 10: "  mode: leader-follower\n  synchronous: { standbys: \"ANY 2 (pg-b, pg-b)\" }" }), 11, 28, /names "pg-b" twice/);
});

test("two leaders: the second is reported", () => {
  assertOne(topology({ 7: "  pg-b: { zone: us-east/b, role: leader }" }), 7, 34, /only one node may start as the leader; "pg-a" already is/);
});

test("leaderless: n above the number of nodes (W or R above N is left to the linter's quorum-exceeds-n)", () => {
  assertOne(topology({ 10: "  mode: leaderless\n  n: 5" }), 11, 6, /n = 5 copies of each key, but the topology has only 3 nodes/);
  assert.equal(loads(topology({ 10: "  mode: leaderless\n  n: 3\n  w: 4" })).kind, "topology");
});

test("per-class r and w outside leaderless mode: at the key", () => {
  assertOne(topology({ 12: "  ledger: { rpo: 0, rto: 1m, r: 2 }" }), 12, 30, /per-class r and w apply only to replication mode "leaderless"/);
});

// ---------------------------------------------------------------------------
// Scenario cross-references

test("a fault naming an unknown node: at the node name, with did-you-mean and the node list", () => {
  assertOne(scenario(["faults:", "  - { at: 10s, crash: pg-x }"]), 19, 23, /unknown node "pg-x" — did you mean "pg-a"\? \(nodes: pg-a, pg-b, pg-c\)|unknown node "pg-x".*\(nodes: pg-a, pg-b, pg-c\)/);
});

test("a fault with two actions: at the fault, naming both", () => {
  assertOne(scenario(["faults:", "  - { at: 10s, crash: pg-a, recover: pg-b }"]), 19, 5, /a fault takes exactly one action; this one has crash and recover — split it into 2 faults/);
});

test("a fault with no action", () => {
  assertOne(scenario(["faults:", "  - { at: 10s, for: 5s }"]), 19, 5, /a fault needs one action: crash, recover, partition/);
});

test("a fault after the scenario's end: at its `at`", () => {
  assertOne(scenario(["faults:", "  - { at: 90s, crash: pg-a }"]), 19, 11, /the fault is at 1m30s, after the scenario ends \(duration 1m\)/);
});

test("a partition side naming something that is no node, zone or region", () => {
  assertOne(scenario(["faults:", "  - { at: 10s, partition: [[pg-a], [us-east/q]] }"]), 19, 37, /"us-east\/q" is not a node, zone or region of the topology/);
});

test("lose: a node is refused (it takes a zone or a region)", () => {
  assertOne(scenario(["faults:", "  - { at: 10s, lose: pg-a }"]), 19, 22, /"lose" takes a zone \("region\/zone"\) or a region; use "crash: pg-a"/);
});

test("a DROP TABLE takes the whole table: a share of its rows is refused (found by a review: 'DROP TABLE … (25% of its rows)')", () => {
  assertOne(scenario(["faults:", "  - { at: 10s, bad_write: { class: ledger, statement: drop, rows: 25% } }"]), 19, 67, /a DROP TABLE takes every row of the table/);
  assert.equal(loads(scenario(["faults:", "  - { at: 10s, bad_write: { class: ledger, statement: drop, rows: 100% } }"])).kind, "scenario");
});

test("a bad_write on an unknown data class", () => {
  assertOne(scenario(["faults:", "  - { at: 10s, bad_write: { class: ledgr, statement: delete } }"]), 19, 36, /unknown data class "ledgr" — did you mean "ledger"\?/);
});

test("a slow fault without apply_rate, and apply_rate without slow", () => {
  assertOne(scenario(["faults:", "  - { at: 10s, slow: pg-b }"]), 19, 22, /a `slow:` fault needs `apply_rate:`/);
  assertOne(scenario(["faults:", "  - { at: 10s, crash: pg-b, apply_rate: 5 }"]), 19, 41, /apply_rate belongs to a `slow:` fault/);
});

test("an expect key that is neither a class nor a scenario-wide key: at the key, with did-you-mean", () => {
  const d = assertOne(scenario(["expect:", "  splitbrain: false"]), 19, 3, /"splitbrain" is neither a data class nor a scenario-wide expectation — did you mean "split_brain"\?/);
  assert.match(d.message, /expected one of: ledger, split_brain/);
});

test("an unknown workload zone", () => {
  assertOne(scenario([], { workload: "{ writes: 10, zones: [us-east/z] }" }), 17, 33, /unknown zone "us-east\/z"/);
});

test("an inline topology's problems are placed in the scenario file, under topology:", () => {
  const text = scenario().replace("  pg-b: { zone: us-east/b }", "  pg-b: { zone: us-east/x }");
  assertOne(text, 10, 19, /region "us-east" has no zone "x"/);
});

// ---------------------------------------------------------------------------
// Every problem at once

test("every schema problem in a file is reported at once, in file order", () => {
  const text = topology({ 7: "  pg-b: { zone: us-east/b, rol: replica }", 12: "  ledger: { rpo: 0, rto: 30, share: 2 }" }, ["failover:", "  fencing: stonit", "  detecton: {}", "backups:", "  pitr_window: 7"]);
  const diagnostics = diagnosticsOf(text);
  assert.deepEqual(
    diagnostics.map((d) => [d.line, d.column]),
    [
      [7, 28],
      [12, 26],
      [12, 37],
      [14, 12],
      [15, 3],
      [17, 16],
    ],
  );
  assert.ok(diagnostics.every((d) => d.file === "t.yaml"));
});

test("every cross-reference problem in a file is reported at once", () => {
  const text = scenario(["faults:", "  - { at: 10s, crash: pg-x }", "  - { at: 20s, recover: pg-y }", "  - { at: 99s, stall: pg-b }", "expect:", "  nope: 1"]);
  const diagnostics = diagnosticsOf(text);
  assert.deepEqual(
    diagnostics.map((d) => d.line),
    [19, 20, 21, 23],
  );
});

test("a flood of problems is cut at 50 diagnostics plus one note that counts the rest", () => {
  const keys = Array.from({ length: 500 }, (_, i) => `k${i}: 1`);
  const diagnostics = diagnosticsOf(topology({}, keys));
  assert.equal(diagnostics.length, 51);
  const note = diagnostics[50];
  assert.equal(note.line, 0);
  assert.match(note.message, /450 more problems are not shown \(only the first 50 are\)/);
});

// ---------------------------------------------------------------------------
// Schema problems and cross-reference problems together (issue 13: a scenario
// with three mistakes must not take three runs to fix)

/** "line:column message" of every diagnostic, for readable failures. */
const summary = (text: string) => diagnosticsOf(text).map((d) => `${d.line}:${d.column} ${d.message}`);

test("a scenario's schema problems and its unknown node, fault after the end and unknown class come in one report", () => {
  const text = scenario(["faults:", "  - { at: 10s, crash: pg-z }", "  - { at: 90s, recover: pg-a }", "expect:", "  ledgr: { rpo: 0 }"], { workload: "{ reads: 100 }" });
  const found = summary(text);
  assert.equal(found.length, 4, found.join("\n"));
  assert.match(found[0], /^17:11 missing required key "writes"/);
  assert.match(found[1], /^19:23 unknown node "pg-z" — did you mean "pg-a"\?/);
  assert.match(found[2], /^20:11 the fault is at 1m30s, after the scenario ends/);
  assert.match(found[3], /^22:3 "ledgr" is neither a data class/);
});

test("a missing workload does not hide an unknown node; nothing is said about the stand-in workload", () => {
  const text = scenario(["faults:", "  - { at: 10s, crash: pg-z }"]).replace(/^workload: .*\n/m, "");
  const found = summary(text);
  assert.equal(found.length, 2, found.join("\n"));
  assert.match(found[0], /^1:1 missing required key "workload"/);
  assert.match(found[1], /^18:23 unknown node "pg-z"/);
});

test("a broken fault is left out, and the faults after it keep their own positions", () => {
  const text = scenario(["faults:", "  - { at: soon, crash: pg-a }", "  - { at: 10s, stall: pg-q }", "  - { at: 20s, crash: pg-b, recover: pg-b }", "  - { at: 30s, rebuild: pg-x }"]);
  const found = summary(text);
  assert.deepEqual(
    found.map((f) => f.split(" ")[0]),
    ["19:11", "20:23", "21:5", "22:25"],
    found.join("\n"),
  );
  assert.match(found[1], /unknown node "pg-q"/);
  assert.match(found[3], /unknown node "pg-x"/);
});

test("a broken duration: no fault is called late and no request limit is claimed against the stand-in", () => {
  const text = scenario(["faults:", "  - { at: 5h, crash: pg-z }"], { duration: "forever", workload: "{ writes: 100000, reads: 100000 }" });
  const found = summary(text);
  assert.equal(found.length, 2, found.join("\n"));
  assert.match(found[0], /^16:11 .*got "forever"/);
  assert.match(found[1], /^19:22 unknown node "pg-z"/);
});

test("a topology's schema problem in an optional block does not hide its cross-reference problems", () => {
  // Line 10 becomes two lines, so failover starts on line 14.
  const text = topology({ 10: '  mode: leader-follower\n  synchronous: { standbys: "ANY 1 (pg-x)" }' }, ["failover:", "  fencing: stonit"]);
  const found = summary(text);
  assert.equal(found.length, 2, found.join("\n"));
  assert.match(found[0], /^11:\d+ synchronous standby "pg-x" is not a node/);
  assert.match(found[1], /^15:12 "fencing": expected one of "stonith"/);
});

test("an inline topology's schema problem and the scenario's own problems come together", () => {
  const text = scenario([], { workload: "{ reads: 100 }" }).replace("  ledger: { rpo: 0, rto: 1m }", "  ledger: { rpo: 0, rto: 30 }");
  const found = summary(text);
  assert.equal(found.length, 2, found.join("\n"));
  assert.match(found[0], /^15:\d+ .*bare number 30/);
  assert.match(found[1], /^17:11 missing required key "writes"/);
});

test("a scenario whose topology file is broken reports both files", () => {
  const dir = mkdtempSync(join(tmpdir(), "repl-lab-both-"));
  try {
    writeFileSync(join(dir, "t.yaml"), topology({ 12: "  ledger: { rpo: 0, rto: 30 }" }));
    const text = ["kind: scenario", "name: s", "topology: t.yaml", "duration: 1m", "workload: { reads: 1 }", ""].join("\n");
    let diagnostics: Diagnostic[] = [];
    try {
      loadText(join(dir, "s.yaml"), text);
      assert.fail("expected the scenario to be refused");
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      diagnostics = error.diagnostics;
    }
    assert.deepEqual(
      diagnostics.map((d) => [d.file.endsWith("s.yaml") ? "s" : "t", d.line, d.column]),
      [
        ["s", 5, 11],
        ["t", 12, 26],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("schema and cross-reference problems together are still cut at 50 plus a note counting the rest", () => {
  const faults = Array.from({ length: 60 }, (_, i) => `  - { at: ${i}s, crash: pg-z${i} }`);
  const found = diagnosticsOf(scenario(["faults:", ...faults], { workload: "{ reads: 1 }" }));
  assert.equal(found.length, 51);
  assert.equal(found[50].line, 0);
  assert.match(found[50].message, /^11 more problems are not shown \(only the first 50 are\)/);
});

test("a Raft election timeout of one heartbeat or less is refused at the timeout; CockroachDB's 2 heartbeats load (etcd's 5 is a lint warning)", () => {
  const raft = (timers: string) =>
    ["kind: topology", "name: raft", "regions: { us-east: { zones: [a, b, c] } }", "nodes:", "  n1: { zone: us-east/a, role: leader }", "  n2: { zone: us-east/b }", "  n3: { zone: us-east/c }", `replication: { mode: consensus, ${timers} }`, "data_classes: { c: { rpo: 0, rto: 1m } }"].join("\n");
  // Found by a review: heartbeat 3s with timeout 1s ran.
  assertOne(raft("election_timeout: 1s, heartbeat: 3s"), 8, 51, /the election timeout \(1s\) must be longer than the heartbeat \(3s\): a follower would call an election between two heartbeats of a healthy leader/);
  assertOne(raft("election_timeout: 500ms, heartbeat: 500ms"), 8, 51, /must be longer than the heartbeat/);
  // Only the heartbeat set: the preset's 1 s timeout is under it, and the heartbeat is what to change.
  assertOne(raft("heartbeat: 2s"), 8, 44, /the election timeout \(1s\) must be longer than the heartbeat \(2s\)/);
  // CockroachDB: heartbeat every 2 ticks of 500 ms, election timeout 4 ticks.
  assert.equal(loads(raft("election_timeout: 2s, heartbeat: 1s")).kind, "topology", "2 heartbeats, as CockroachDB runs");
  assert.equal(loads(raft("election_timeout: 1001ms, heartbeat: 1s")).kind, "topology", "just over one heartbeat");
});

test("a fault that acts on a single leader is refused on a leaderless or multi-leader cluster, at its key (a bad write was ignored, then reported as handled by replication)", () => {
  const leaderless = (fault: string) => `kind: scenario
name: t
duration: 60s
workload: { writes: 100, reads: 100 }
faults:
  - ${fault}
topology:
  kind: topology
  name: ring
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n1: { zone: east/a }
    n2: { zone: east/b }
    n3: { zone: east/c }
  replication: { mode: leaderless, n: 3, w: 2, r: 2 }
  data_classes:
    carts: { rpo: 0, rto: 1m }
`;
  const badWrite = leaderless("{ at: 20s, bad_write: { class: carts, statement: update-all } }");
  const d = assertOne(badWrite, 6, 16, /"bad_write" does not apply to a leaderless cluster \(its damage and recovery are modelled with a WAL archive and base backups\); the faults that do: crash, recover/);
  assert.ok(d.message.includes("archive_fails"));
  assertOne(leaderless("{ at: 20s, stall: n2, for: 5s }"), 6, 16, /"stall" does not apply to a leaderless cluster \(it stalls the stream a leader ships its log to the replicas on\)/);
  assertOne(leaderless("{ at: 20s, promote_fails: n2 }"), 6, 16, /"promote_fails" does not apply/);
  // The faults that do apply still load.
  assert.equal(loads(leaderless("{ at: 20s, crash: n2, for: 5s }")).kind, "scenario");
});

test("a latency whose 99.9th percentile is not finite or past the latency limit is refused where it is written, in every file kind; tails within it load", () => {
  // A topology's network link and its storage flush time.
  assertOne(topology({}, ["network:", "  cross-zone: { pareto: { scale: 1, shape: 0.01 } }"]), 14, 15, /^this distribution's 99\.9th percentile is about 1\.00e\+300 ms, above the latency limit of 600,000 ms: raise shape or lower scale/);
  assertOne(topology({}, ["storage: { fsync: { exponential: { rate: 1e-300 } } }"]), 13, 19, /99\.9th percentile is about 6\.91e\+300 ms.*raise rate/);
  // A log-normal whose p99 is in range but whose tail is not, and a mix through its slowest part.
  assertOne(topology({}, ["network:", "  same-zone: { median: 1, p99: 500000 }"]), 14, 14, /99\.9th percentile is about [\d,]+ ms, above the latency limit.*lower p99 or the median/);
  assertOne(topology({}, ["network:", "  same-zone: { mix: [{ weight: 0.99, constant: 1 }, { weight: 0.01, pareto: { scale: 1e-300, shape: 1e-300 } }] }"]), 14, 14, /not a finite number of ms.*slowest part/);
  // A latency file's leg.
  assertOne("kind: latency\nw: { pareto: { scale: 1e-300, shape: 1e-300 } }\na: { same: w }\nr: { same: w }\ns: { same: w }\n", 2, 4, /not a finite number of ms/);
  // Heavy tails inside the limit still load: the SPEC's examples and a Pareto of shape 1 from 1 ms (p99.9 = 1 s).
  loads(topology({}, ["network:", "  cross-zone: { pareto: { scale: 1, shape: 1 } }", "  same-zone: { mix: [{ weight: 0.91, pareto: { scale: 0.235, shape: 10 } }, { weight: 0.09, exponential: { rate: 1.66 } }], shift: 75 }"]));
});

test("one mistake, one error: a YAML syntax slip is reported once (it was three), and a number past two bounds names the one that binds (it named 9007199254740991 and 4294967295)", () => {
  const slip = diagnosticsOf("kind: scenario\nname: x\n  bad: [\n");
  assert.equal(slip.length, 1, slip.map((d) => d.message).join("\n"));
  assert.deepEqual([slip[0].line, slip[0].column], [2, 7]);
  assert.match(slip[0].message, /^invalid YAML: /);
  const seed = diagnosticsOf(scenario(["seed: 1e30"])).filter((d) => d.line === 18);
  assert.deepEqual(seed.map((d) => d.message), [`"seed" is number 1e+30, above the limit of ${LIMITS.seed}`]);
});

test("one mistake, one error: a latency number past the limit is reported once, at the number, without a second tail error whose hint does not fit the form (found by the quorum review)", () => {
  const leg = (w: string) => `kind: latency\nw: ${w}\na: { same: w }\nr: { same: w }\ns: { same: w }\n`;
  // Before: "this distribution's 99.9th percentile is about 700,000 ms ...: lower p99 or the median" for a constant, as well.
  assertOne(leg("{ constant: 700000 }"), 2, 16, /"constant" is number 700000, above the limit of 600000/);
  assertOne(leg("{ uniform: [0, 1e9] }"), 2, 19, /above the limit of 600000/);
  assertOne(leg("{ median: 1, p99: 1e9 }"), 2, 22, /"p99" is number 1000000000, above the limit/);
  assertOne(leg("{ pareto: { scale: 1e9, shape: 2 } }"), 2, 23, /"scale" is number 1000000000, above the limit/);
  assertOne(leg("{ mix: [ {weight: 1, constant: 1} ], shift: 1e9 }"), 2, 48, /"shift" is number 1000000000, above the limit/);
  assertOne(leg("{ exponential: { rate: 0 } }"), 2, 27, /"rate" is number 0; expected more than 0/);
});

test("a fraction where a whole number is due says so in words (was zod's type name: 'expected int, got number 1.5')", () => {
  assertOne(scenario(["seed: 1.5"]), 18, 7, /^"seed": expected a whole number, got number 1\.5$/);
});

test("a duration far past its limit is quoted as written, not re-rendered from a float (was '4166666666666667000d is above the limit of 6h')", () => {
  assertOne(scenario([], { duration: "99999999999999999999h" }), 16, 11, /^99999999999999999999h is above the limit of 6h$/);
  assertOne(scenario(["faults:", "  - { at: 10s, stall: pg-a, for: 9007199254740993ms }"]), 19, 34, /^9007199254740993ms is above the limit of 6h$/);
});

test("a zone where a region is due, in a list, is named with its place and value and the region to give (was '\"0\": expected a name…', at the item)", () => {
  const group = (members: string) => topology({ 10: "  mode: consensus", 11: `  members: ${members}\ndata_classes:` });
  // Line 11 holds the list; its first item starts at column 13, the second at column 24.
  const diagnostics = diagnosticsOf(group("[us-east/a, us-east/b]"));
  assert.deepEqual(
    diagnostics.map((d) => [d.line, d.column, d.message]),
    [
      [11, 13, 'item 1 of "members": expected a region (a key under regions:), got the zone "us-east/a": give its region, "us-east"'],
      [11, 24, 'item 2 of "members": expected a region (a key under regions:), got the zone "us-east/b": give its region, "us-east"'],
    ],
  );
  assertOne(group('[us-east, "us east"]'), 11, 22, /^item 2 of "members": expected a region name of letters, digits, '-', '_' or '\.', got "us east"$/);
  // A multi-leader topology's leaders, and a backup's region, take regions the same way.
  assertOne(topology({ 10: "  mode: multi-leader", 11: "  leaders: [us-east, us-west/a]\ndata_classes:" }), 11, 22, /^item 2 of "leaders": expected a region \(a key under regions:\), got the zone "us-west\/a": give its region, "us-west"$/);
  assertOne(topology({}, ["backups:", "  wal_archive: { mode: continuous, region: us-east/a }"]), 14, 44, /got the zone "us-east\/a": give its region, "us-east"/);
  // A list inside a list (a partition's sides) says both places.
  assertOne(scenario(["faults:", '  - { at: 10s, partition: [[pg-a], ["pg b"]] }']), 19, 37, /^item 1 of item 2 of "partition": expected a name of letters, digits, '-', '_' or '\.', got "pg b"$/);
});

test("a list item out of bounds is named by its place in its list, never by its bare index", () => {
  // A partition's empty side read '"1" needs at least 1 item'; a negative bound of a uniform latency '"0" is number -5'.
  assertOne(scenario(["faults:", "  - { at: 10s, partition: [[pg-a], []], for: 5s }"]), 19, 36, /^item 2 of "partition" needs at least 1 item$/);
  assertOne(topology({}, ["network:", "  same-zone: { uniform: [-5, 1] }"]), 14, 26, /^item 1 of "uniform" is number -5; expected at least 0/);
});
