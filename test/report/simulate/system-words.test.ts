// A run is told in the words of the system its preset models (vocabulary.ts).
// A MongoDB replica set has a primary and secondaries, an oplog, terms won by a
// majority's votes, w: "majority", rollback and drivers that find the primary;
// a MySQL source has replicas, a binlog, semi-sync, Orchestrator and ProxySQL.
// Neither knows PostgreSQL's timeline, LSN, WAL, pg_rewind, Patroni's leader
// key, HA loop or synchronous standby (found by a review: the mongodb starter's
// timeline read like a Patroni cluster's). The PostgreSQL presets keep those
// words (the golden files hold them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Chalk } from "chalk";
import { simulate } from "../../../src/engine/simulate.js";
import type { SimulationResult } from "../../../src/engine/result.js";
import { PRESETS, type PresetName } from "../../../src/model/presets.js";
import { describeEntry } from "../../../src/report/simulate/timeline.js";
import { phaseNotes } from "../../../src/report/simulate/phase-words.js";
import { renderSimulateText } from "../../../src/report/simulate/text.js";
import { renderSimulateJson } from "../../../src/report/simulate/json.js";
import { legend } from "../../../src/report/html/page.js";
import { simulatedLanes } from "../../../src/report/html/swimlane.js";
import { familyOf } from "../../../src/report/simulate/vocabulary.js";
import { scenarioText, starterScenario } from "../../engine/helpers.js";

const plain = new Chalk({ level: 0 });

/** The preset's starter topology under a scenario with these faults (YAML list items, indented by two). */
function starterRun(preset: PresetName, name: string, faults: string[], seed = 3): SimulationResult {
  return simulate(scenarioText(starterScenario(preset, { name, seed, duration: "3m", workload: "{ writes: 500, reads: 1000, clients: 100 }", faults: `\n${faults.map((f) => `  - ${f}`).join("\n")}` })));
}

/**
 * Every fault kind a failover's words come from: a crash, a return after writes the others never received, a
 * failed promotion, every replica lost, a stall, lost zones and regions, a bad write, a restore drill.
 */
function runs(preset: PresetName, primary: string, replicas: string[]): SimulationResult[] {
  const [first, ...others] = replicas;
  return [
    starterRun(preset, "crash", [`{ at: 30s, crash: ${primary} }`]),
    // The old primary's last writes are slow to reach the others: those it acknowledged alone are not on the new one.
    starterRun(preset, "crash-and-return", [`{ at: 20s, latency: { between: [[${primary}], [${replicas.join(", ")}]], add: 200ms }, for: 60s }`, `{ at: 30s, crash: ${primary}, for: 30s }`]),
    starterRun(preset, "promotion-fails", [`{ at: 30s, promote_fails: ${first} }`, `{ at: 40s, crash: ${primary} }`]),
    starterRun(preset, "replicas-lost", [`{ at: 30s, crash: ${first} }`, ...others.map((r) => `{ at: 40s, crash: ${r}, for: 20s }`)]),
    starterRun(preset, "stall", [`{ at: 30s, stall: ${primary}, for: 5s }`]),
    starterRun(preset, "zone-lost", ["{ at: 30s, lose: us-east/a }"]),
    starterRun(preset, "region-lost", ["{ at: 10s, archive_fails: true, for: 1h }", "{ at: 60s, lose: us-east }"]),
    starterRun(preset, "bad-write", ["{ at: 30s, bad_write: { class: orders, statement: delete, rows: 10%, noticed_after: 1h } }"]),
    // The starters block unqualified writes: the guard's refusal is told too.
    starterRun(preset, "bad-write-guarded", ["{ at: 30s, bad_write: { class: orders, statement: update-all } }"]),
    starterRun(preset, "drill", ["{ at: 30s, restore_drill: {} }"]),
  ];
}

// mongo-c first: at seed 3 its election timer runs out first, so the failed step-up is the first election's.
const mongodb = runs("mongodb", "mongo-a", ["mongo-c", "mongo-b"]);
const mysql = runs("mysql-semisync", "db-a", ["db-b", "db-c", "db-dr"]);

/** PostgreSQL's and Patroni's words, which no other system uses. */
const POSTGRES_WORDS = [/\btimeline\b/i, /\bLSN\b/, /leader key/i, /\bWAL\b/, /pg_rewind/, /pg_restore/, /synchronous standby/, /sync standby/, /sync-capable/, /strict synchronous/, /HA loop/, /Patroni/, /proxy health checks/, /archive_command/];

/** SQL, which a MongoDB user does not write. */
const SQL_WORDS = [/\bWHERE\b/, /\bUPDATE\b/, /\bDELETE\b/, /\bDROP TABLE\b/];

/** Everything a run's text report says in words: the timeline's entries, the phase notes and the recovery section. */
function sentences(r: SimulationResult): string[] {
  const recovery = renderSimulateText(r, plain, { width: 400 }).split("\nRecovery\n")[1]?.split("\nReplication lag")[0] ?? "";
  const json = JSON.parse(renderSimulateJson([r], { array: false })) as { recovery?: { summary: string; ackedLosses: { detail: string }[] } };
  return [...r.timeline.map((e) => describeEntry(e, r)), ...phaseNotes(r), recovery, json.recovery?.summary ?? "", ...(json.recovery?.ackedLosses.map((l) => l.detail) ?? [])];
}

const words = (r: SimulationResult, event: string) => r.timeline.filter((e) => e.event === event).map((e) => describeEntry(e, r));
const everyRun = (list: SimulationResult[], event: string) => list.flatMap((r) => words(r, event));

test("every preset has a family of words, and only MongoDB's keeps its own in a consensus run", () => {
  for (const preset of Object.keys(PRESETS)) assert.ok(familyOf({ mode: "leader-follower", preset }), preset);
  assert.equal(familyOf({ mode: "leader-follower", preset: "patroni" }), "postgres");
  assert.equal(familyOf({ mode: "leader-follower" }), "postgres");
  assert.equal(familyOf({ mode: "leader-follower", preset: "mongodb" }), "mongodb");
  assert.equal(familyOf({ mode: "consensus", preset: "mongodb" }), "mongodb");
  assert.equal(familyOf({ mode: "leader-follower", preset: "mysql-semisync" }), "mysql");
  assert.equal(familyOf({ mode: "consensus", preset: "etcd-raft" }), "raft");
  assert.equal(familyOf({ mode: "leader-follower", preset: "etcd-raft" }), "raft");
  assert.equal(familyOf({ mode: "leaderless", preset: "etcd-raft" }), "postgres");
  assert.equal(familyOf({ mode: "consensus", preset: "patroni" }), "raft");
});

test("a MongoDB run says none of PostgreSQL's or Patroni's words, nor MySQL's", () => {
  for (const r of mongodb) {
    for (const text of sentences(r)) {
      for (const word of [...POSTGRES_WORDS, ...SQL_WORDS, /binlog/, /Orchestrator/, /ProxySQL/]) assert.doesNotMatch(text, word, `${r.scenario}: ${text}`);
    }
  }
});

test("a MongoDB run says primary, secondary, oplog, terms won by a majority's votes, w: majority, rollback and the drivers' discovery", () => {
  for (const event of ["elect", "promote", "endpoint", "writes-blocked", "writes-unblocked", "follow", "redundancy", "fence", "recover", "rewind", "promote-failed", "stall"]) {
    assert.ok(everyRun(mongodb, event).length > 0, `no ${event} fact in the MongoDB runs`);
  }
  const crash = mongodb[0];
  assert.match(words(crash, "elect")[0], /^elected primary in term 2 by a majority's votes: its oplog level with mongo-\w's at \S+, equal priority; its randomized election timer ran out first/);
  assert.match(words(crash, "promote")[0], /^steps up to primary in term 2, its oplog ending at \S+; it has every acknowledged write$/);
  assert.match(words(crash, "endpoint")[0], /^drivers find mongo-\w primary: while an operation waits for a primary, a driver re-checks the members every 500ms \(minHeartbeatFrequencyMS\)/);
  assert.match(words(crash, "writes-blocked")[0], /^w: "majority" cannot be met: no secondary replicates from it/);
  assert.match(words(crash, "writes-unblocked")[0], /^a majority again \(with mongo-\w\); majority writes resume after/);
  assert.match(words(crash, "reconnect")[0], /new primary$/);
  assert.match(phaseNotes(crash)[0], /^sync: the new primary's majority writes wait until enough secondaries/);
  // A failed step-up costs an election: the next winner is elected in the next term.
  const failed = mongodb.find((r) => r.scenario === "promotion-fails")!;
  assert.deepEqual(words(failed, "elect").map((t) => t.match(/in (term \d+)/)?.[1]), ["term 2", "term 3"]);
  assert.match(words(failed, "promote")[0], /^steps up to primary in term 3/);
  for (const text of everyRun(mongodb, "follow")) assert.match(text, /^syncs from mongo-\w/);
  for (const text of everyRun(mongodb, "rewind")) assert.match(text, /^rollback: discards \S+ of oplog entries the new primary does not have/);
  assert.ok(everyRun(mongodb, "recover").some((t) => /rejoins as a secondary .*rolling back/.test(t)));
  // The w: 1 writes only the old primary had: rolled back into its rollback files when it rejoins.
  const returned = mongodb.find((r) => r.scenario === "crash-and-return")!;
  assert.match(sentences(returned).join("\n"), /rollback files/);
});

test("a MySQL run says source, replica, binlog, semi-sync, Orchestrator and ProxySQL, and none of PostgreSQL's or MongoDB's words", () => {
  for (const r of mysql) {
    for (const text of sentences(r)) {
      for (const word of [...POSTGRES_WORDS, /oplog/, /\bprimary\b/, /secondar(y|ies)/]) assert.doesNotMatch(text, word, `${r.scenario}: ${text}`);
    }
  }
  const crash = mysql[0];
  assert.match(words(crash, "detect")[0], /^Orchestrator finds the source dead/);
  assert.match(words(crash, "elect")[0], /^Orchestrator picks it: level with db-\w at binlog position \S+/);
  assert.match(words(crash, "promote")[0], /^promoted to source: writable \(read_only off\) from binlog position \S+; it has every acknowledged write$/);
  assert.match(words(crash, "endpoint")[0], /^ProxySQL's monitor sees db-\w writable \(read_only off\)/);
  assert.match(words(crash, "redundancy")[0], /semi-sync replicas? can acknowledge$/);
  assert.match(phaseNotes(crash)[0], /^sync: the new source's semi-sync commits wait/);
  for (const text of everyRun(mysql, "follow")) assert.match(text, /^replicates from db-\w/);
  assert.ok(everyRun(mysql, "degrade").some((t) => /rpl_semi_sync_source_timeout/.test(t)));
});

test("the HTML key names the roles of the run's system", () => {
  assert.match(legend("leader-follower", "mongodb"), />primary</);
  assert.match(legend("leader-follower", "mongodb"), />secondary</);
  assert.match(legend("leader-follower", "mysql-semisync"), />source</);
  assert.match(legend("leader-follower", "mysql-semisync"), />semi-sync replica</);
  assert.doesNotMatch(legend("leader-follower", "mongodb"), /sync standby/);
  assert.match(legend("leader-follower", "patroni"), />sync standby</);
  // The archive's band in the key, and its lane, in the system's words.
  assert.match(legend("leader-follower", "mongodb"), />oplog archive failing</);
  assert.match(legend("leader-follower", "mysql-semisync"), />binlog archive failing</);
  assert.match(legend("leader-follower", "patroni"), />WAL archive failing</);
  const regionLost = mongodb.find((r) => r.scenario === "region-lost")!;
  assert.ok(simulatedLanes(regionLost).lanes.includes("oplog archive"), simulatedLanes(regionLost).lanes.join(", "));
});

test("a bad write and the guard that refuses one are told as the system's users write them", () => {
  const told = (list: SimulationResult[], scenario: string) => sentences(list.find((r) => r.scenario === scenario)!).join("\n");
  assert.match(told(mongodb, "bad-write-guarded"), /refused the updateMany with an empty filter on orders: an empty filter, no write/);
  assert.match(told(mongodb, "bad-write"), /buggy deleteMany/);
  assert.match(told(mysql, "bad-write-guarded"), /refused the UPDATE without WHERE on orders: no WHERE clause, no write/);
});

test("a managed service's failover is its control plane's: no leader key to race for, no lease, no STONITH", () => {
  // Found by a review: Aurora and RDS Multi-AZ runs said "first to take the leader key" and "restarts in place within its lease".
  const managed = [...runs("aurora", "aurora-a", ["aurora-b", "aurora-c"]), ...runs("rds-multi-az", "db-a", ["db-b"])];
  const said = managed.flatMap((r) => sentences(r));
  for (const word of [/leader key/, /within its lease/, /STONITH/, /Patroni/, /HA loop/, /pg_rewind/]) assert.ok(!said.some((t) => word.test(t)), `${word}: ${said.find((t) => word.test(t))}`);
  assert.ok(said.some((t) => /the control plane (picks|fences)/.test(t)), "the control plane's own words");
});

test("a managed service's old primary back while no primary is up is not promised a rebuild from a new primary that does not exist (found by a review)", () => {
  // The primary is down 40 s; the instance the control plane picked dies during its promotion, before the old
  // primary is back: nothing leads when it returns, and it is then promoted itself (no rebuild ever happens).
  for (const preset of ["rds-multi-az", "aurora"]) {
    const r = simulate(
      scenarioText(`kind: scenario
name: managed-no-primary
seed: 1
duration: 120s
topology:
  kind: topology
  name: m
  preset: ${preset}
  regions:
    r: { zones: [a, b] }
  nodes:
    p: { zone: r/a, role: leader }
    s: { zone: r/b }
  replication: { mode: leader-follower }
  data_classes:
    d: { rpo: 0, rto: 2m, share: 1 }
workload: { writes: 100, reads: 10, clients: 10, zones: [r/a] }
faults:
  - { at: 10s, crash: p, for: 40s }
  - { at: 45s, crash: s }
`),
    );
    const back = r.timeline.find((e) => e.event === "recover" && e.node === "p")!;
    assert.ok(back && "noLeader" in back && back.noLeader, `${preset}: ${JSON.stringify(r.timeline)}`);
    const text = describeEntry(back, r);
    assert.doesNotMatch(text, /rebuilds it as a replica of the new primary/, preset);
    assert.match(text, /no primary is up: it restarts as a replica and waits/, preset);
  }
});
