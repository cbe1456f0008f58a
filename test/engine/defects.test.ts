// One test per engine defect found off the beaten path (issue 11 §3). Each one
// failed on the engine before its fix; each states the physics it checks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, simulateWithHistory } from "../../src/engine/simulate.js";
import { ACKED } from "../../src/engine/write-log.js";
import { scenarioFrom, scenarioText } from "./helpers.js";
import type { RunHistory } from "../../src/engine/history.js";
import { factsOf } from "../../src/engine/result.js";
import { join } from "node:path";

/** Three nodes in three zones of one region, strict synchronous replication, fast Patroni timings. */
function threeNodes(opts: { standbys: string; faults: string; duration?: string; writes?: number; extra?: string; zones?: string; coordinator?: string }): string {
  return `kind: scenario
name: defect
seed: 7
duration: ${opts.duration ?? "90s"}
workload: { writes: ${opts.writes ?? 200}, reads: 0, clients: 30, timeout: 1s }
faults:
${opts.faults}
topology:
  kind: topology
  name: defect
  regions: { east: { zones: ${opts.zones ?? "[a, b, c]"} } }
  nodes:
    n0: { zone: east/a, role: leader }
    n1: { zone: east/b }
    n2: { zone: east/c }
  replication:
    mode: leader-follower
    synchronous: { standbys: "${opts.standbys}", commit: on, strict: true, managed: false }
${opts.extra ?? ""}
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: ${opts.coordinator ?? "[east/a, east/b, east/c]"}
    fencing: lease
    endpoint: { kind: proxy, check_interval: 1s }
  data_classes:
    ledger: { rpo: 0, rto: 1m }
`;
}

/** Share of the writes sent in [fromMs, toMs) that were acknowledged. */
function ackedShare(history: RunHistory, fromMs: number, toMs: number): number {
  const w = history.writes;
  let sent = 0;
  let acked = 0;
  for (let id = 0; id < w.count; id++) {
    if (w.sendMs[id] < fromMs || w.sendMs[id] >= toMs) continue;
    sent++;
    if (w.status[id] === ACKED) acked++;
  }
  return sent === 0 ? NaN : acked / sent;
}

test("a replica cut off when it is re-pointed at the new leader rejoins after the partition heals (strict sync is not blocked forever)", () => {
  // AZ-A (the leader) and AZ-C are cut off from AZ-B and the coordinator's majority (zones b, d, e). n0 demotes itself,
  // n1 is promoted on the majority side, and n2 — which followed n0 on the minority side, so no partition ever broke its
  // stream — is re-pointed at n1 while it cannot reach it. After the heal it must retry and stream again: n1's strict
  // FIRST 1 (n1, n2) commits need it.
  const text = threeNodes({
    standbys: "FIRST 1 (n1, n2)",
    zones: "[a, b, c, d, e]",
    coordinator: "[east/b, east/d, east/e]",
    faults: "  - { at: 5s, partition: [[east/a, east/c], [east/b, east/d, east/e]], for: 30s }",
  });
  const result = simulate(scenarioText(text));
  assert.equal(result.totals.failovers, 1, "n1 is promoted on the majority side");
  assert.notEqual(result.classes[0].rto.writeMs, null, "writes come back after the heal");
  assert.ok(result.timeline.some((e) => e.node === "n2" && e.event === "follow" && e.atMs >= 35_000), "the timeline shows n2 following after the heal");
  const { history } = simulateWithHistory(scenarioText(text));
  const n2 = history.final[2];
  assert.equal(n2.streaming, true, `n2 streams from the new leader at the end: ${JSON.stringify(n2)}`);
  assert.ok(ackedShare(history, 50_000, 89_000) > 0.99, "writes are acknowledged well after the heal");
});

test("a leader that cannot reach the coordinator does not name a new synchronous standby (the /sync key could not say so)", () => {
  // Same partition: n0 still leads for a few seconds and sees only n2. Patroni must publish a new synchronous standby
  // in the coordinator before using it; it cannot, so commits wait. Had n0 switched to n2 anyway, n1 — promoted as the
  // published standby — would miss writes acknowledged in the meantime.
  const text = threeNodes({
    standbys: "FIRST 1 (n1, n2)",
    zones: "[a, b, c, d, e]",
    coordinator: "[east/b, east/d, east/e]",
    faults: "  - { at: 5s, partition: [[east/a, east/c], [east/b, east/d, east/e]], for: 30s }",
    writes: 500,
  });
  const result = simulate(scenarioText(text));
  assert.equal(result.totals.writesLost, 0);
});

test("ANY 1 of 2: a standby that cannot see the other listed standby is not promoted (it may miss acknowledged writes)", () => {
  // n1 lags behind 300 ms of added latency, so commits are acknowledged by n2 alone. Then n0 and n2 die together.
  // Patroni's quorum rule: with ANY 1 of 2, a candidate must see 2 − 1 + 1 = 2 of the listed standbys.
  const text = threeNodes({
    standbys: "ANY 1 (n1, n2)",
    writes: 500,
    faults: "  - { at: 5s, latency: { between: [[n0], [n1]], add: 300ms } }\n  - { at: 20s, crash: n0 }\n  - { at: 20s, crash: n2 }",
    duration: "60s",
  });
  const result = simulate(scenarioText(text));
  assert.equal(result.totals.writesLost, 0, "no acknowledged write is lost");
  assert.equal(result.totals.failovers, 0, "no promotion without the quorum");
  assert.ok(
    factsOf(result.timeline, "no-candidate").some((e) => e.excluded.some((x) => x.reason === "quorum" && x.count === 1 && x.voters === 2)),
    "the timeline says why nobody was promoted",
  );
});

test("RTO is the longest outage of the run, and write-unavailable time is the union of every outage", () => {
  // The only synchronous standby dies twice: 4 s the first time, 20 s the second. Strict sync blocks writes each time
  // until it is back and streaming (restart + pg_rewind rejoin ~3.5 s).
  const text = threeNodes({
    standbys: "FIRST 1 (n1)",
    faults: "  - { at: 10s, crash: n1, for: 4s }\n  - { at: 40s, crash: n1, for: 20s }",
  });
  const result = simulate(scenarioText(text));
  const ledger = result.classes[0];
  assert.ok(ledger.rto.writeMs !== null && ledger.rto.writeMs >= 23_000 && ledger.rto.writeMs < 27_000, `RTO is the second, longer outage (got ${ledger.rto.writeMs})`);
  assert.ok(result.totals.writeUnavailableMs >= 23_000 + 7_000, `unavailable time adds both outages (got ${result.totals.writeUnavailableMs})`);
  const outages = ledger.rto.outages ?? [];
  assert.deepEqual(
    outages.filter((o) => o.recoveredMs !== null && o.recoveredMs - o.startMs > 1000).map((o) => o.fault),
    [0, 1],
    "each long outage is charged to its own crash",
  );
});

test("an outage is charged to the fault that broke writes, not to a later fault that preceded the first failed send", () => {
  // The leader dies at 10 s; a replica restarts 50 ms later, before any write has timed out. The outage is the leader's.
  const text = threeNodes({
    standbys: "FIRST 1 (n1, n2)",
    faults: "  - { at: 10s, crash: n0 }\n  - { at: 10050ms, crash: n2, for: 3s }",
    extra: "",
  });
  const result = simulate(scenarioText(text));
  assert.ok((result.classes[0].rto.writeMs ?? 0) > 9_000, `the RTO runs from the leader's crash (got ${result.classes[0].rto.writeMs})`);
  const outages = result.classes[0].rto.outages ?? [];
  assert.equal(outages[0]?.fault, 0, `charged to the leader's crash: ${JSON.stringify(outages)}`);
});

test("no acknowledgement is scheduled in the past when the synchronous standby changes", () => {
  // FIRST 1 (n1, n2): n1 dies, and once the leader drops it (its member key expired, then the next HA loop) n2 is
  // the sync standby. n2 flushed the waiting writes long ago; their commits are released when n2 becomes
  // synchronous, not back-dated to when n2 flushed them.
  const text = threeNodes({ standbys: "FIRST 1 (n1, n2)", faults: "  - { at: 10s, crash: n1 }", duration: "30s", writes: 500 });
  const result = simulate(scenarioText(text));
  // Writes sent between the crash and the switch wait for it, most past the client's timeout.
  assert.ok(result.totals.writeUnavailableMs > 1000, `writes wait for the switch (${result.totals.writeUnavailableMs} ms)`);
  const { history } = simulateWithHistory(scenarioText(text));
  assert.deepEqual(history.pastSchedules, []);
});

test("a standby inside its restart and pg_rewind window does not count as streaming", () => {
  // The only sync standby restarts after 2 s; it streams again only after the ~3.5 s rejoin, so strict commits
  // wait at least 5.5 s in all.
  const text = threeNodes({ standbys: "FIRST 1 (n1)", faults: "  - { at: 10s, crash: n1, for: 2s }", duration: "30s" });
  const result = simulate(scenarioText(text));
  const rto = result.classes[0].rto.writeMs ?? 0;
  assert.ok(rto >= 5_400, `writes wait for the rejoin (RTO ${rto} ms)`);
});

test("coordinator: REGION is a store with one member per zone, so losing the leader's zone still leaves a majority", () => {
  const base = scenarioFrom("scenarios/leader-dies-in-az-a.yaml");
  const scenario = { ...base, faults: [{ atMs: 30_000, kind: "lose" as const, target: "us-east/a", nodes: ["pg-a"], zones: ["us-east/a"], forMs: null }] };
  const result = simulate(scenario);
  assert.equal(result.totals.failovers, 1, "pg-b is promoted");
  const ledger = result.classes.find((c) => c.name === "ledger");
  assert.ok(ledger?.rto.writeMs !== null && (ledger?.rto.writeMs ?? Infinity) < 30_000, `within the 30 s target (got ${ledger?.rto.writeMs})`);
});

test("the redundancy note does not count a replica behind a partition as up", () => {
  const text = threeNodes({
    standbys: "FIRST 1 (n1, n2)",
    faults: "  - { at: 5s, partition: [[n2], [n0, n1]], for: 60s }\n  - { at: 10s, crash: n0 }",
  });
  const result = simulate(scenarioText(text));
  const note = factsOf(result.timeline, "redundancy")[0];
  assert.ok(note, "a redundancy note after the promotion");
  assert.deepEqual([note.up, note.replicas], [0, 2]);
});

test("survivors re-stream as measured on Patroni: a nofailover replica ~2 s after the new leader takes the key, the others one WAL retry (5 s) after their early, slot-less attempt", () => {
  const result = simulate(scenarioFrom("scenarios/leader-dies-in-az-a.yaml"));
  const at = (node: string, event: string) => result.timeline.find((e) => e.node === node && e.event === event)?.atMs ?? NaN;
  const key = at("pg-b", "elect");
  const dr = at("pg-dr", "follow") - key;
  const c = at("pg-c", "follow") - key;
  assert.ok(dr >= 2000 && dr <= 2200, `pg-dr (nofailover) streams ${dr} ms after the key`);
  assert.ok(c >= 5000 && c <= 5400, `pg-c streams ${c} ms after the key`);
});

test("the strict-sync failover RTO spreads over trials like the live runs did (no longer snapped to the 5 s retry grid)", () => {
  const rtosOf = (file: string) => {
    const scenario = scenarioFrom(file);
    return Array.from({ length: 20 }, (_, i) => simulate(scenario, { seed: 100 + i }).classes[0].rto.writeMs ?? NaN).sort((a, b) => a - b);
  };
  // Before: 15.0 s in every trial of the payments demo.
  const payments = rtosOf("scenarios/leader-dies-in-az-a.yaml");
  assert.ok(payments[19] - payments[0] >= 800, `spread ${payments[0]}–${payments[19]} ms`);
  // Live, three-node cluster, ttl 10 s / loop_wait 2 s: 13.4–15.8 s over eight runs.
  const three = rtosOf("scenarios/live/leader-crash.yaml");
  assert.ok(three[10] > 12_500 && three[10] < 16_500, `median ${three[10]} ms`);
});

test("a replica that replays a few old writes in milliseconds after a failover raises no lag alert", () => {
  const result = simulate(scenarioFrom("scenarios/leader-dies-in-az-a.yaml"));
  const alerts = [...factsOf(result.timeline, "lag-warning"), ...factsOf(result.timeline, "lag-page")];
  assert.deepEqual(alerts.map((e) => `${e.node} lag ${e.lagMs} ms`), []);
});

test("a client whose zone is lost while it waits stops waiting as a user: the p99 client is not 'never' because application servers died", () => {
  const base = scenarioFrom("scenarios/leader-dies-in-az-a.yaml");
  // The leader crashes at 30 s; its clients' zone is lost for good at 33 s, during the failover.
  const scenario = {
    ...base,
    faults: [
      { ...base.faults[0] },
      { atMs: 33_000, kind: "lose" as const, target: "us-east/a", nodes: ["pg-a"], zones: ["us-east/a"], forMs: null },
    ],
  };
  const ledger = simulate(scenario).classes.find((c) => c.name === "ledger")!;
  assert.ok(ledger.rto.writeMs !== null && ledger.rto.writeMs < 30_000, `writes came back (write RTO ${ledger.rto.writeMs})`);
  assert.ok(ledger.rto.p99ClientMs !== null, "the p99 client is a surviving user's wait, not a dead server's");
  assert.ok(ledger.rto.p99ClientMs <= 30_000, `within the target (got ${ledger.rto.p99ClientMs})`);
  assert.equal(ledger.verdicts?.p99ClientRto, true);
});

test("the write RTO of a class some clients stay cut off from does not flip with the run's length (found by a review: 60 s gave ~7 s, 61 s 'never')", () => {
  // Zone a (the leader's) is cut off for good at 20 s; the others elect a new leader and serve on. Zone a's
  // clients fail to the end, opening outages that the others' next acknowledgements close, so the run ends with
  // one open whenever its last write happened to be theirs.
  const rto = (seconds: number) => {
    const scenario = scenarioText(`kind: scenario
name: cut-off-clients
topology: ${process.cwd()}/topologies/async-replicas.yaml
seed: 1
duration: ${seconds}s
workload: { writes: 200, reads: 0, clients: 30, zones: [us-east/a, us-east/b, us-east/c] }
faults:
  - { at: 20s, partition: [[us-east/a], [us-east/b, us-east/c]] }
`);
    return simulate(scenario).classes.map((c) => c.rto.writeMs);
  };
  const first = rto(60);
  assert.ok(first.every((ms) => ms !== null && ms > 1000 && ms < 30_000), `a failover's RTO in every class (got ${first.join(", ")})`);
  for (let seconds = 61; seconds <= 66; seconds++) assert.deepEqual(rto(seconds), first, `a ${seconds} s run`);
});

test("a Raft group's election timer is randomized in [T, 2T): detection spreads over it, the earliest of the surviving voters' timers (found by a review: always just under T)", () => {
  // Three regions, one voter each; the leader's region is lost, so two voters race. Election timeout T = 1 s, heartbeats every 100 ms.
  const base = scenarioFrom("scenarios/consensus-region-loss.yaml");
  const detections: number[] = [];
  for (let seed = 1; seed <= 30; seed++) {
    const phase = simulate({ ...base, seed }).phases.find((p) => p.phase === "detect")!;
    detections.push(phase.endMs - phase.startMs);
  }
  const mean = detections.reduce((a, b) => a + b, 0) / detections.length;
  assert.ok(Math.min(...detections) >= 900 && Math.max(...detections) <= 2000, `within [T − one heartbeat, 2T] (got ${Math.min(...detections)}..${Math.max(...detections)})`);
  // The earliest of two uniform extras averages T/3; the last heartbeat came about half an interval before the loss.
  assert.ok(mean > 1_200 && mean < 1_400, `mean about T + T/3 − 50 ms ≈ 1.28 s (got ${Math.round(mean)})`);
  assert.ok(Math.max(...detections) - Math.min(...detections) > 400, "spread over the randomized range, not snapped to T");
});

test("the p99 client wait follows the failover, not how often each client writes (found by a review: 32 s at 250 writes/s, 16 s at 5,000)", () => {
  // A thousand clients reconnect through an accept queue of 500/s after the leader dies; at 250 writes/s each client
  // writes every 4 s on average, and its idle time used to count as its downtime.
  const base = scenarioFrom("scenarios/reconnect-storm-jitter.yaml");
  const topology = { ...base.topology, failover: { ...base.topology.failover, acceptRate: 500 } };
  const p99 = (writes: number) => {
    const result = simulate({ ...base, topology, workload: { ...base.workload, writes }, expectations: [] });
    const back = factsOf(result.timeline, "reconnected")[0];
    return { client: result.classes[0].rto.p99ClientMs!, reconnected: back.atMs - base.faults[0].atMs };
  };
  const slow = p99(250);
  const fast = p99(5000);
  assert.ok(Math.abs(slow.client - fast.client) < 1_500, `about the same at 250 and 5,000 writes/s (got ${slow.client} and ${fast.client})`);
  for (const run of [slow, fast]) assert.ok(run.client < run.reconnected + 3_000, `near when 99% of the clients were back (${run.client} vs ${run.reconnected})`);
});

test("two asynchronous failovers minutes apart lose about a second each: the RPO window is one loss's span, not the time between them", () => {
  // Each time the leader's WAL sender stalls for a second before its host dies; 2.5 minutes separate the two.
  const result = simulate(
    scenarioText(`kind: scenario
name: two-async-failovers
topology: ${process.cwd()}/topologies/async-replicas.yaml
seed: 7
duration: 4m
workload: { writes: 1000, reads: 0, clients: 200, keys: 10000 }
faults:
  - { at: 29s, stall: db-a, for: 5s }
  - { at: 30s, crash: db-a, for: 30s }
  - { at: 179s, stall: db-b, for: 5s }
  - { at: 180s, crash: db-b }
`),
  );
  assert.equal(factsOf(result.timeline, "promote").length, 2, "two failovers");
  for (const c of result.classes) {
    assert.ok(c.rpo.lostAckedWrites > 0, `${c.name} lost writes`);
    assert.ok(c.rpo.windowMs > 500 && c.rpo.windowMs < 1_500, `${c.name}: about the one-second stall (got ${c.rpo.windowMs} ms)`);
  }
});

test("multi-leader LWW: the RPO window is how old the dropped writes were when dropped, a delay for scattered conflicts and the partition's length for a partition (found by a review: 1.5 min with no fault)", () => {
  const base = scenarioFrom("scenarios/cross-region/multi-leader-lww-partition.yaml");
  const partitioned = simulate({ ...base, expectations: [] }).classes[0].rpo;
  const calm = simulate({ ...base, faults: [], expectations: [] }).classes[0].rpo;
  const forMs = 40_000;
  assert.ok(partitioned.lostAckedWrites > 1000 && partitioned.windowMs > 0.9 * forMs && partitioned.windowMs < forMs + 1_000, `the 40 s partition (got ${partitioned.windowMs})`);
  assert.ok(calm.lostAckedWrites > 0 && calm.windowMs < 500, `scattered conflicts lose writes about a cross-region delay old (got ${calm.windowMs} ms for ${calm.lostAckedWrites})`);
});

test("a Raft leader cut off in a minority serves no reads: no stale strong read, and reads are down as long as writes (found by a review)", () => {
  // The partition scenario with a slow proxy: the old leader stays reachable to its zone's clients for seconds after the majority elected another.
  const base = scenarioFrom("scenarios/cross-region/consensus-partition.yaml");
  const scenario = { ...base, topology: { ...base.topology, failover: { ...base.topology.failover, endpoint: { ...base.topology.failover.endpoint, checkIntervalMs: 3000 } } }, workload: { ...base.workload, keys: 50 } };
  const result = simulate(scenario);
  const orders = result.classes.find((c) => c.name === "orders")!;
  assert.equal(orders.staleReads, 0, "a strong read never misses a write the majority committed");
  assert.ok(orders.rto.readMs !== null && orders.rto.writeMs !== null && orders.rto.readMs >= orders.rto.writeMs * 0.8, `read RTO ${orders.rto.readMs} against write RTO ${orders.rto.writeMs}`);
});

test("a Raft member that comes back restarts and catches up from the leader's log: no pg_rewind wait, and a blocked leader is told as a lost majority (found by a review)", () => {
  const scenario = scenarioText(
    `kind: scenario
name: raft-rejoin
topology: ../topologies/consensus-three-regions.yaml
seed: 62
duration: 40s
workload: { writes: 300, reads: 600, clients: 90, zones: [us-east/a] }
faults:
  - { at: 10s, crash: r-west, for: 10s }
  - { at: 20500ms, crash: r-eu }
`,
    join(process.cwd(), "scenarios", "inline.yaml"),
  );
  const r = simulate(scenario);
  const [recover] = factsOf(r.timeline, "recover");
  assert.equal(recover.as, "replica-restart");
  assert.ok(recover.as === "replica-restart" && recover.consensus && recover.rejoinMs <= 1000, JSON.stringify(recover));
  const blocked = factsOf(r.timeline, "writes-blocked");
  assert.ok(blocked.every((b) => b.reason === "no-majority"), JSON.stringify(blocked));
  // r-west streams again about a second after it is back, so the leader's majority (and its commits) return within 2 s of r-eu's crash.
  const [unblocked] = factsOf(r.timeline, "writes-unblocked");
  assert.ok(unblocked && unblocked.blockedMs < 2000, JSON.stringify(unblocked));
  // While the leader has no majority (r-west still restarting), no linearizable read is answered either (found by a review).
  const accounts = r.classes[0];
  assert.ok(accounts.rto.readMs !== null && accounts.rto.readMs >= 300, `read RTO ${accounts.rto.readMs}`);
});

test("a Raft leader just elected waits for its first AppendEntries round, not for a majority: no 'no majority' blip after the election (found by a review)", () => {
  // Both other regions are lost for 25 s; when they are back r-east wins the election with their votes. Its voters
  // take its first heartbeat a one-way trip later (about 35 ms): commits wait for that round, as every commit waits
  // for its own. The old leader's HA loop, still queued from its earlier term, no longer runs beside the new one
  // (its tick 31 ms after the election told of a lost majority).
  const scenario = scenarioText(
    `kind: scenario
name: raft-reelected
topology: ../topologies/consensus-three-regions.yaml
seed: 62
duration: 60s
workload: { writes: 300, reads: 600, clients: 90, zones: [us-east/a, us-west/a, eu-west/a] }
faults:
  - { at: 20s, lose: us-west, for: 25s }
  - { at: 20s, lose: eu-west, for: 25s }
`,
    join(process.cwd(), "scenarios", "inline.yaml"),
  );
  for (const seed of [62, 63, 64]) {
    const r = simulate(scenario, { seed });
    const promoted = r.timeline.filter((e) => e.event === "promote").map((e) => e.atMs);
    assert.equal(promoted.length, 1, `seed ${seed}: one election after the regions are back`);
    const after = r.timeline.filter((e) => e.atMs >= promoted[0] && (e.event === "writes-blocked" || e.event === "writes-unblocked"));
    assert.deepEqual(after.map((e) => `${e.atMs} ${e.event}`), [], `seed ${seed}`);
  }
});

test("a region lost for good takes the disks in it: what only they held is lost even with no failover, and with every node gone every acknowledged write is (found by a review: 0 lost)", () => {
  // The leader's WAL sender stalls 5 s before its region goes; the DR replica (nofailover) never gets those 5 s.
  // Strict sync classes acknowledged nothing meanwhile; the classes that commit locally (audit_logs 15%,
  // analytics_rollups 5% of 200 writes/s) did: about 150 and 50 writes that exist on no disk any more.
  const stalled = scenarioText(
    `kind: scenario
name: region-gone-stalled
topology: ../topologies/payments.yaml
seed: 5
duration: 2m
workload: { writes: 200, reads: 400, clients: 50, zones: [us-east/a, us-west/a] }
faults:
  - { at: 25s, stall: pg-a, for: 10s }
  - { at: 30s, lose: us-east }
`,
    join(process.cwd(), "scenarios", "inline.yaml"),
  );
  const r = simulate(stalled);
  const lost = Object.fromEntries(r.classes.map((c) => [c.name, c.rpo.lostAckedWrites]));
  assert.equal(r.totals.failovers, 0);
  assert.equal(lost.ledger + lost.accounts, 0, JSON.stringify(lost));
  assert.ok(lost.audit_logs > 0.75 * 150 && lost.audit_logs < 1.25 * 150, JSON.stringify(lost));
  assert.ok(lost.analytics_rollups > 0.5 * 50 && lost.analytics_rollups < 1.5 * 50, JSON.stringify(lost));
  // The same run keeping its whole history agrees (settling must not hide a loss).
  assert.equal(JSON.stringify({ ...simulateWithHistory(stalled).result, stats: null }), JSON.stringify({ ...r, stats: null }));

  // A cluster in one region that loses it: nothing is left on any disk.
  const alone = scenarioText(threeNodes({ standbys: "ANY 1 (n1, n2)", faults: "  - { at: 30s, lose: east }" }));
  const gone = simulate(alone);
  assert.ok(gone.totals.writesAcked > 0);
  assert.equal(gone.totals.writesLost, gone.totals.writesAcked);
  assert.equal(JSON.stringify({ ...simulateWithHistory(alone).result, stats: null }), JSON.stringify({ ...gone, stats: null }));
});

test("a scheduled crash of a node already fenced by STONITH is recorded as not applied, and its `for:` does not bring the node back (found by a review: it was ignored in silence, then its end restarted the node)", () => {
  // The leader is cut off from the coordinator; after its lease expires it is powered off (fenced). The crash at
  // 60 s with `for: 10s` finds it down: nothing happens, and nothing restarts it at 70 s.
  const result = simulate(
    scenarioText(`kind: scenario
name: fenced
seed: 7
duration: 2m
workload: { writes: 100, reads: 0, clients: 10 }
faults:
  - { at: 20s, partition: [[east/a], [east/b, east/c]] }
  - { at: 60s, crash: n0, for: 10s }
topology:
  kind: topology
  name: fenced
  regions: { east: { zones: [a, b, c] } }
  nodes:
    n0: { zone: east/a, role: leader }
    n1: { zone: east/b }
    n2: { zone: east/c }
  replication: { mode: leader-follower }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: [east/a, east/b, east/c]
    fencing: stonith
    endpoint: { kind: proxy, check_interval: 1s }
  data_classes:
    ledger: { rpo: 1m, rto: 1m }
`),
  );
  const fenced = factsOf(result.timeline, "crash").filter((c) => c.node === "n0");
  assert.deepEqual(fenced.map((c) => c.cause.kind), ["fenced"], "n0 went down once, fenced");
  assert.ok(fenced[0].atMs < 60_000, "before the scheduled crash");
  const ignored = factsOf(result.timeline, "crash-ignored");
  assert.deepEqual(ignored.map((e) => [e.atMs, e.node, e.reason, e.forMs]), [[60_000, "n0", "already-down", 10_000]]);
  assert.equal(factsOf(result.timeline, "recover").filter((e) => e.node === "n0").length, 0, "no restart at 70 s of a crash that did not happen");
});

/** Two classes on a leader with one strict synchronous standby (db-b): one commits `on`, one `remote_apply`, 1,000 writes/s in all. */
function onBesideRemoteApply(opts: { name: string; duration: string; faults: string; applyRate?: number }): string {
  return `kind: scenario
name: ${opts.name}
seed: 1
duration: ${opts.duration}
topology:
  kind: topology
  name: ra
  preset: patroni
  regions:
    us-east: { zones: [a, b, c] }
  nodes:
    db-a: { zone: us-east/a, role: leader }
    db-b: { zone: us-east/b${opts.applyRate === undefined ? "" : `, apply_rate: ${opts.applyRate}`} }
  replication: { mode: leader-follower, synchronous: { standbys: "FIRST 1 (db-b)", commit: on, strict: true } }
  failover: { coordinator: us-east }
  data_classes:
    c_on: { rpo: 0, rto: 30s, share: 0.5 }
    c_ra: { rpo: 0, rto: 30s, share: 0.5, commit: remote_apply }
workload: { writes: 1000, reads: 10, clients: 50, zones: [us-east/a] }
faults:${opts.faults}
`;
}

test("the p99 client is judged per class: a class whose writes never came back has no p99 client back, while another class's clients are (found by a review: 'never' beside 'p99 client 1.7s')", () => {
  // The standby replays 500 writes/s after the slow fault while remote_apply commits 500/s of its own plus waits
  // for the other class's replay: remote_apply commits time out for good; commit: on does not wait for replay.
  // The run lasts past the 30 s target after the fault, so the class's outage is judged (not undecided).
  const r = simulate(scenarioText(onBesideRemoteApply({ name: "slow-replay-remote-apply", duration: "45s", faults: "\n  - { at: 5s, slow: db-b, apply_rate: 500 }" })));
  const [on, ra] = r.classes;
  assert.equal(ra.rto.writeMs, null);
  assert.equal(ra.rto.p99ClientMs, null, "a client of c_ra is not back while its class never is");
  assert.equal(ra.verdicts!.p99ClientRto, false);
  assert.ok(on.rto.p99ClientMs !== null && on.rto.p99ClientMs < 30_000, `c_on's clients are back: ${on.rto.p99ClientMs}`);
});

test("writes rejected with no fault make the class miss: a design that cannot carry its plain load is not 'met' (found by a review: 90% rejected, RTO 0, met)", () => {
  // db-b replays 500 writes/s while the leader commits 1,000/s: remote_apply commits wait for a replay that falls
  // further behind every second, time out, and the clients' broken connections fail the other class's writes too.
  const overloaded = (applyRate: number) => simulate(scenarioText(onBesideRemoteApply({ name: "overloaded", duration: "10s", applyRate, faults: " []" })));
  const slow = overloaded(500);
  const [on, ra] = slow.classes;
  assert.ok(ra.rejectedWithoutFault! > 0.5 * ra.writesRejected && ra.rejectedWithoutFault === ra.writesRejected, JSON.stringify(ra));
  assert.equal(ra.verdicts!.noFaultRejects, false);
  assert.equal(ra.met, false);
  assert.equal(on.verdicts!.noFaultRejects, false);
  // Replay that keeps up: nothing is rejected, and the verdict part holds.
  const fast = overloaded(20_000);
  for (const c of fast.classes) {
    assert.equal(c.writesRejected, 0);
    assert.equal(c.rejectedWithoutFault, undefined);
    assert.equal(c.verdicts!.noFaultRejects, true);
    assert.equal(c.met, true);
  }
});

test("writes failing under the run's own load are an outage: the RTO, write-unavailable time and JSON say so, charged to no fault (found by a review: 'writes unavailable 0' and RTO 0 beside 87% of writes rejected)", async () => {
  const { simulationJson } = await import("../../src/report/simulate/json.js");
  // The remote_apply class's outage (from about a second in) is judged once it is longer than its 30 s target: the
  // run lasts 40 s, and the class never comes back.
  const overloaded = (applyRate: number) => simulate(scenarioText(onBesideRemoteApply({ name: "overloaded", duration: "40s", applyRate, faults: " []" })));
  const slow = overloaded(500);
  const ra = slow.classes[1];
  assert.equal(ra.rto.writeMs, null, `remote_apply writes never come back: ${JSON.stringify(ra.rto)}`);
  assert.equal(ra.verdicts!.writeRto, false);
  assert.equal(ra.rto.outages![0].fault, null, "no fault caused it");
  assert.ok(ra.rto.outages![0].startMs < 5_000, `from the first failed write: ${ra.rto.outages![0].startMs}`);
  // Writes unavailable covers the outage: from its start to the end of the run.
  assert.ok(slow.totals.writeUnavailableMs >= 40_000 - ra.rto.outages![0].startMs - 1, `writes unavailable ${slow.totals.writeUnavailableMs}`);
  const json = simulationJson(slow) as { classes: { rejectedWithoutFault?: number; rto: { outages?: { fault: number | null }[] } }[]; totals: { writeUnavailableMs: number } };
  assert.equal(json.classes[1].rejectedWithoutFault, ra.writesRejected);
  assert.equal(json.classes[1].rto.outages![0].fault, null);
  assert.equal(json.totals.writeUnavailableMs, slow.totals.writeUnavailableMs);
  // Replay that keeps up: no outage, nothing unavailable.
  const fast = overloaded(20_000);
  assert.equal(fast.totals.writeUnavailableMs, 0);
  for (const c of fast.classes) assert.equal(c.rto.writeMs, 0);
});

test("an outage charged to no fault has a timeline entry where it starts, so the RTO table never shows an outage the timeline does not mention (found by a review: RTO 'never' and an empty timeline until the replica's falling-behind entry 9 s later)", async () => {
  const { describeEntry } = await import("../../src/report/simulate/timeline.js");
  const slow = simulate(scenarioText(onBesideRemoteApply({ name: "overloaded", duration: "40s", applyRate: 500, faults: " []" })));
  const ra = slow.classes[1];
  const failing = factsOf(slow.timeline, "writes-failing");
  const raEntry = failing.find((e) => e.dataClass === "c_ra")!;
  assert.ok(raEntry, JSON.stringify(slow.timeline));
  assert.equal(raEntry.atMs, ra.rto.outages![0].startMs, "at the outage's start");
  assert.deepEqual([raEntry.node, raEntry.outages, raEntry.longestMs], ["clients", 1, null]);
  assert.match(describeEntry(raEntry, slow), /^writes of c_ra start failing with no fault open, under the run's own load, and never come back/);
  // The other class's many short outages (clients whose connections the timeouts broke): one entry, with their count and the longest.
  const onEntry = failing.find((e) => e.dataClass === "c_on")!;
  assert.equal(onEntry.outages, slow.classes[0].rto.outageCount);
  assert.equal(onEntry.longestMs, slow.classes[0].rto.writeMs);
  assert.match(describeEntry(onEntry, slow), /outages in the run, the longest/);
  assert.equal(factsOf(slow.timeline, "reads-failing").length, 0, "reads kept being served");
  // Replay that keeps up: no outage, no entry.
  const fast = simulate(scenarioText(onBesideRemoteApply({ name: "overloaded", duration: "40s", applyRate: 20_000, faults: " []" })));
  assert.equal(factsOf(fast.timeline, "writes-failing").length, 0);
});
