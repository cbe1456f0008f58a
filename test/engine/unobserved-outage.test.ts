// A client in a lost zone is a dead application server: it sends nothing. When every client is lost, nobody is
// left to send a request, yet a service with no node able to accept writes is down all the same (found by a
// review: a lost region with every client in it showed RTO 0, writes unavailable 0 and the verdict met, beside
// 12,091 writes "rejected" — the dead clients' own requests).
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, simulateWithHistory } from "../../src/engine/simulate.js";
import { judge, oracleById } from "../../src/swarm/oracles.js";
import { scenarioText } from "./helpers.js";
import { factsOf } from "../../src/engine/result.js";

const LOSE_S = 60;
const DURATION_S = 180;

/** Leader and standby in east, an optional replica in west; the archive in west; lose east at 60 s. */
function regionLost(options: { clientZones: string; westReplica?: boolean }): string {
  return `kind: scenario
name: unobserved
seed: 5
duration: ${DURATION_S}s
workload: { writes: 20, reads: 0, clients: 50, keys: 100000, zones: ${options.clientZones} }
faults:
  - { at: ${LOSE_S}s, lose: east }
topology:
  kind: topology
  name: unobserved
  preset: patroni
  regions:
    east: { zones: [a, b, c] }
    west: { zones: [a] }
    central: { zones: [a] }
  nodes:
    p: { zone: east/a, role: leader }
    r: { zone: east/b }
${options.westReplica ? "    dr: { zone: west/a }\n" : ""}  replication:
    mode: leader-follower
    synchronous: { standbys: "FIRST 1 (r)", commit: on, strict: false }
  failover:
    detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }
    coordinator: [east/a, west/a, central/a]
    fencing: lease
    lagging_candidates: promote
    endpoint: { kind: proxy, check_interval: 1s }
  backups:
    wal_archive: { mode: continuous, archive_timeout: 60s, region: west }
    base_backups: { every: 24h, retain: 30d, region: west }
    pitr_window: 7d
    restore: { throughput: 200MB/s, wal_replay: 50MB/s, data_size: 100GB }
  data_classes:
    orders: { rpo: 5m, rto: 4h }
`;
}

function oraclesAgree(text: string): void {
  const { result, history } = simulateWithHistory(scenarioText(text));
  assert.deepEqual(judge({ scenario: scenarioText(text), result, history }, ["rto", "unavailable", "outcome-counts"].map(oracleById)).failed, []);
}

test("every client lost with the region, no node left to take writes: the service is down until the end (RTO never), whoever is left to see it, and the dead clients reject nothing", () => {
  const text = regionLost({ clientZones: "[east/a]" });
  const r = simulate(scenarioText(text));
  const orders = r.classes[0];
  assert.equal(orders.rto.writeMs, null, "RTO never: nothing takes writes after the loss");
  assert.equal(orders.rto.p99ClientMs, null, "the users of the lost servers wait it out too");
  assert.equal(orders.verdicts!.writeRto, false);
  assert.equal(orders.met, false);
  assert.equal(r.totals.writeUnavailableMs, (DURATION_S - LOSE_S) * 1000, "down from the loss to the end of the run");
  assert.deepEqual(orders.rto.outages?.map((o) => [o.startMs, o.recoveredMs]), [[LOSE_S * 1000, null]]);
  // Dead application servers send nothing: at most the writes in flight at the loss fail, not 20/s for two minutes.
  assert.ok(r.totals.writesRejected <= 50, `${r.totals.writesRejected} rejected`);
  // Nor do they hold sessions for the proxy to cut, or reconnect.
  assert.deepEqual(factsOf(r.timeline, "proxy-down"), []);
  oraclesAgree(text);
});

test("the same loss seen by clients that survive elsewhere gives the same outage: who observes it does not change it", () => {
  const unseen = simulate(scenarioText(regionLost({ clientZones: "[east/a]" })));
  const seen = simulate(scenarioText(regionLost({ clientZones: "[east/a, west/a]" })));
  assert.equal(seen.classes[0].rto.writeMs, null);
  assert.equal(unseen.classes[0].rto.writeMs, seen.classes[0].rto.writeMs);
  assert.equal(seen.totals.writeUnavailableMs, unseen.totals.writeUnavailableMs);
  // Only the survivors' half of the workload is rejected: about 10 writes/s for the two minutes (Poisson, 5 sigma).
  const expected = 10 * (DURATION_S - LOSE_S);
  assert.ok(Math.abs(seen.totals.writesRejected - expected) <= 5 * Math.sqrt(expected) + 50, `${seen.totals.writesRejected} rejected, about ${expected} expected`);
  oraclesAgree(regionLost({ clientZones: "[east/a, west/a]" }));
});

test("every client lost, a replica elsewhere promoted: the outage nobody saw ends when a node takes writes again (about the lease's ttl), not never", () => {
  const text = regionLost({ clientZones: "[east/a]", westReplica: true });
  const r = simulate(scenarioText(text));
  const rto = r.classes[0].rto.writeMs;
  assert.ok(rto !== null && rto > 5_000 && rto < 20_000, `RTO ${rto} ms`);
  assert.equal(r.totals.failovers, 1);
  assert.equal(r.totals.writeUnavailableMs, rto);
  oraclesAgree(text);
});
