// Failover rules: the RTO budget, the endpoint, and fencing.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { dnsTtlExceedsRto } from "../../src/lint/rules/dns-ttl-exceeds-rto.js";
import { failoverWithoutFencing } from "../../src/lint/rules/failover-without-fencing.js";
import { coordinatorLostWithLeaderZone } from "../../src/lint/rules/coordinator-lost-with-leader-zone.js";
import { coordinatorLostWithZone } from "../../src/lint/rules/coordinator-lost-with-zone.js";
import { leaseTtlTooShort } from "../../src/lint/rules/lease-ttl-too-short.js";
import { rtoBudgetExceeded } from "../../src/lint/rules/rto-budget-exceeded.js";
import { patroniTimingFloor } from "../../src/lint/rules/patroni-timing-floor.js";
import { patroniRuns } from "../../src/base/failover-timing.js";
import { at, lintText, ruleTester, topology } from "./helpers.js";

const failover = (lines: string) => topology({ failover: `failover:\n${lines}` });
const patroniDefaults = failover("  mode: automatic");
const manual = failover("  mode: manual\n  fencing: stonith");

/** A three-region Raft group: heartbeat 1s × 10 misses, so detection alone takes 10s. */
const consensusGroup = (rto: string) =>
  topology({
    regions: "regions:\n  east: { zones: [a] }\n  west: { zones: [a] }\n  eu: { zones: [a] }",
    nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: west/a }\n  n3: { zone: eu/a }",
    replication: "replication: { mode: consensus, members: [east, west, eu], election_timeout: 10s, heartbeat: 1s }",
    classes: `data_classes:\n  ledger: { rpo: 0, rto: ${rto}, consistency: strong }`,
  });
const slowElection = consensusGroup("5s");

ruleTester(rtoBudgetExceeded, "error", {
  valid: [
    { name: "tuned Patroni fits 30s", yaml: topology() },
    { name: "a consensus group elects within its RTO", yaml: consensusGroup("30s") },
    { name: "leaderless has no failover", yaml: topology({ nodes: "nodes:\n  n1: { zone: east/a }\n  n2: { zone: east/b }\n  n3: { zone: east/c }", replication: "replication: { mode: leaderless, n: 3, w: 2, r: 2 }", failover: "failover: { detection: { ttl: 10m } }" }) },
  ],
  invalid: [
    // Worst case: a voter's election timer runs for the timeout plus up to another one (Raft's [T, 2T)).
    { name: "a consensus group whose election timeout alone exceeds the RTO", yaml: slowElection, findings: [{ ...at(slowElection, "rto: 5s", "5s"), includes: ["detect 20s", "RTO of ledger (5s)"] }] },
    {
      // Patroni defaults: ttl 30s + etcd's 500ms revoke tick + 200ms election + 100ms promotion, then the longer of
      // HAProxy (2 × 3s + 1s) + 5s reconnect and the strict leader naming a standby in its first 10s HA loop = 42.8s.
      name: "Patroni defaults against RTO 30s",
      yaml: patroniDefaults,
      findings: [
        {
          ...at(patroniDefaults, "rto: 30s", "30s"),
          includes: ["42.8s", "RTO of ledger (30s)", "detect 30.5s", "fence 0s", "elect 200ms", "promote 100ms", "the longer of (endpoint 7s + reconnect 5s) and (sync 10s)"],
          hintIncludes: ["over by 12.8s", "failover.detection.ttl"],
        },
      ],
    },
    {
      // A paged human (15m) fits analytics' hour, not the ledger's 30s.
      name: "manual failover",
      yaml: manual,
      findings: [{ ...at(manual, "rto: 30s", "30s"), includes: ["operator 15m", "15m44.8s"], hintIncludes: ["automate"] }],
    },
  ],
});

test("rto-budget-exceeded: a scenario adds the reconnect storm of its clients", () => {
  const inline = topology()
    .split("\n")
    .map((l) => (l ? `  ${l}` : l))
    .join("\n");
  const scenario = `kind: scenario\nname: storm\nduration: 60s\nworkload: { writes: 100, clients: 10000 }\ntopology:\n${inline}`;
  const findings = lintText(scenario, { rules: [rtoBudgetExceeded] });
  // 10,000 clients at 500 connections/s = 20s on top of the 16.2s budget.
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /storm 20s/);
  assert.match(findings[0].message, /scenario storm's 10000 clients/);
  assert.deepEqual({ line: findings[0].line, column: findings[0].column }, at(scenario, "rto: 30s", "30s"));
  assert.match(findings[0].hint, /^Over by .*: cut .*storm \(20s\).* first\.$/);
  assert.match(findings[0].details ?? "", /accept_rate/);
});

/** payments.yaml inlined into a scenario writing 200/s with these faults. */
function paymentsScenario(faults: string[]): string {
  const inline = readFileSync("topologies/payments.yaml", "utf8")
    .split("\n")
    .map((l) => (l ? `  ${l}` : l))
    .join("\n");
  return `kind: scenario\nname: faulted\nduration: 150s\nworkload: { writes: 200, reads: 100, clients: 50 }\nfaults:\n${faults.map((f) => `  - ${f}\n`).join("")}topology:\n${inline}`;
}

test("rto-budget-exceeded: a slow fault on the candidate before the crash counts its backlog (found by a review: validate passed what simulate showed missing its RTO)", () => {
  // pg-b applies 100 of the 200 writes/s from 5s: by the crash at 60s it is 55s of replay behind (simulated RTO 55–60s).
  const scenario = paymentsScenario(["{ at: 5s, slow: pg-b, apply_rate: 100 }", "{ at: 60s, crash: pg-a }"]);
  const findings = lintText(scenario, { rules: [rtoBudgetExceeded] });
  assert.deepEqual(findings.map((f) => [f.severity, f.message.match(/RTO of (\w+)/)?.[1]]), [["error", "ledger"], ["error", "accounts"]]);
  assert.match(findings[0].message, /replay 46\.8s/);
  assert.match(findings[0].hint, /cut replay \(46\.8s\)/);
  // Slowed only after the crash, it has nothing to catch up on when the leader fails.
  assert.deepEqual(lintText(paymentsScenario(["{ at: 60s, crash: pg-a }", "{ at: 61s, slow: pg-b, apply_rate: 100 }"]), { rules: [rtoBudgetExceeded] }), []);
});

test("rto-budget-exceeded: a promote_fails fault on the only candidate adds another election, promotion and HA loop (found by a review)", () => {
  const scenario = paymentsScenario(["{ at: 30s, promote_fails: pg-b }", "{ at: 60s, crash: pg-a }"]);
  const findings = lintText(scenario.replace(/rto: 30s/g, "rto: 17s"), { rules: [rtoBudgetExceeded] });
  // Detection 10.5s + election 200ms + the failed promotion, another election and Patroni's next HA loop 2.3s + promotion 100ms + the sync wait 5.1s: 18.2s.
  assert.equal(findings.length, 2);
  assert.match(findings[0].message, /elect 200ms \+ retry 2\.3s \+ promote 100ms/);
  assert.deepEqual(lintText(scenario, { rules: [rtoBudgetExceeded] }), []);
});

/** The payments design with a fast proxy and client backoff, and a 13s RTO on the ledger. */
const tightPayments = readFileSync("topologies/payments.yaml", "utf8")
  .replace("endpoint: { kind: proxy, check_interval: 1s }", "endpoint: { kind: proxy, check_interval: 200ms }")
  .replace("reconnect: { backoff: 100ms, max: 2s, jitter: full }", "reconnect: { backoff: 50ms, max: 200ms, jitter: full }")
  .replace("ledger:            { rpo: 0,  rto: 30s", "ledger:            { rpo: 0,  rto: 13s");

test("rto-budget-exceeded: a strict leader's wait for a synchronous standby counts against the RTO", () => {
  const findings = lintText(tightPayments, { rules: [rtoBudgetExceeded] });
  // Detection 10s + 0.5s revoke tick, election 200ms, promotion 100ms; then pg-c, re-pointed before the new
  // leader has its slot, retries 5s later (5.03–5.23s after the leader key): 5.13s after the promotion.
  // The clients' path (1.4s + 200ms) is shorter. Simulated, this design's ledger RTO is 13.5–15.7s.
  assert.equal(findings.length, 1);
  assert.deepEqual({ line: findings[0].line, column: findings[0].column }, at(tightPayments, "rto: 13s", "13s"));
  assert.match(findings[0].message, /worst-case failover takes 15\.9s.*RTO of ledger \(13s\).*the longer of \(endpoint 1\.4s \+ reconnect 200ms\) and \(sync 5\.1s\)/);
  // audit_logs commits locally: it does not wait for the standby, and its 5m RTO is far away anyway.
  assert.doesNotMatch(findings[0].message, /audit_logs/);
  // Over by more than detection: the next knob is the standby wait, not the shorter clients' path beside it.
  const [far] = lintText(tightPayments.replace("rto: 13s", "rto: 3s"), { rules: [rtoBudgetExceeded] });
  assert.match(far.hint, /^Over by 12\.9s: cut detect \(10\.5s\) and sync \(5\.1s\) first\.$/);
});

/**
 * A strict leader left after a failover with fewer standbys that may acknowledge than its count: writes block
 * until the old leader is rebuilt, so no RTO is met (simulated: the write RTO is "never").
 */
const strictSync = (nodes: string, sync: string) =>
  topology({
    nodes: `nodes:\n  n1: { zone: east/a, role: leader }\n${nodes}`,
    replication: `replication:\n  mode: leader-follower\n  synchronous: { ${sync} }`,
  });
const twoNodes = strictSync("  n2: { zone: east/b }", 'standbys: "FIRST 1 (n2)", commit: on, strict: true, managed: true');
const nosyncThird = strictSync("  n2: { zone: east/b }\n  n3: { zone: east/c, nosync: true }", 'standbys: "FIRST 1 (n2)", commit: on, strict: true, managed: true');
// Only the published synchronous standby n2 may take over, and it is nofailover: nobody is promoted.
const syncNofailover = strictSync("  n2: { zone: east/b, nofailover: true }\n  n3: { zone: east/c }", 'standbys: "FIRST 1 (n2)", commit: on, strict: true, managed: true');
const everyReplicaNofailover = topology({ nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b, nofailover: true }\n  dr: { zone: west/a, nofailover: true }", replication: "replication:\n  mode: leader-follower" , classes: "data_classes:\n  logs: { rpo: 1m, rto: 5m }" });
const allOfTwo = strictSync("  n2: { zone: east/b }\n  n3: { zone: east/c }\n  dr: { zone: west/a, nofailover: true }", 'standbys: "ANY 2 (n2, n3)", commit: on, strict: true, managed: false');

ruleTester(rtoBudgetExceeded, "error", {
  valid: [
    // Patroni 3.0's '*': the nosync n3 acknowledges the new leader's commits while no proper standby is named.
    { name: "strict, one sync candidate, a nosync replica and when_none: any-standby", yaml: strictSync("  n2: { zone: east/b }\n  n3: { zone: east/c, nosync: true }", 'standbys: "FIRST 1 (n2)", commit: on, strict: true, managed: true, when_none: any-standby') },
    { name: "strict, a second candidate left after the failover", yaml: strictSync("  n2: { zone: east/b }\n  n3: { zone: east/c }", 'standbys: "FIRST 1 (n2)", commit: on, strict: true, managed: true') },
    { name: "a nofailover sync standby, but lagging_candidates: promote lets n3 take over", yaml: syncNofailover.replace("  fencing: lease\n", "  fencing: lease\n  lagging_candidates: promote\n") },
    { name: "two nodes, not strict (the leader degrades instead)", yaml: strictSync("  n2: { zone: east/b }", 'standbys: "FIRST 1 (n2)", commit: on, strict: false') },
  ],
  invalid: [
    {
      name: "two nodes, strict: after a failover no standby is left",
      yaml: twoNodes,
      findings: [
        {
          ...at(twoNodes, "rto: 30s", "30s"),
          includes: ["writes of ledger do not come back at all, whatever its RTO (30s)", "once n2 is promoted, no other replica is left to acknowledge its commits", "until the old leader n1 is rebuilt and streams from n2"],
          hintIncludes: ["Add a replica that may be named synchronous standby"],
        },
      ],
    },
    {
      name: "strict, the only other replica tagged nosync",
      yaml: nosyncThird,
      findings: [{ ...at(nosyncThird, "rto: 30s", "30s"), includes: ["once n2 is promoted, no replica left may acknowledge its commits (n3: tagged nosync)"], hintIncludes: ["when_none: any-standby"] }],
    },
    {
      name: "the only published synchronous standby is nofailover (lagging_candidates: wait)",
      yaml: syncNofailover,
      findings: [
        { ...at(syncNofailover, "rto: 30s", "30s"), includes: ["published synchronous standby (n2) may take over, and n2 is nofailover", "n3 is not known to hold every acknowledged write", "until n1 comes back"], hintIncludes: ["drop its nofailover tag"] },
        // Nobody leads: the class that commits locally is stranded too.
        { ...at(syncNofailover, "rto: 1h", "1h"), includes: ["writes of analytics do not come back at all"] },
      ],
    },
    { name: "every replica nofailover", yaml: everyReplicaNofailover, findings: [{ ...at(everyReplicaNofailover, "rto: 5m", "5m"), includes: ["no replica may be promoted (n2 and dr: nofailover or failover_priority 0)"] }] },
    {
      name: "strict ANY 2 of two listed standbys",
      yaml: allOfTwo,
      findings: [{ ...at(allOfTwo, "rto: 30s", "30s"), includes: ["only n3 may acknowledge its commits (dr: not listed in synchronous.standbys) and it needs 2"], hintIncludes: ["List one more standby"] }],
    },
  ],
});

/**
 * A Patroni failover behind DNS: detect 10.5s (lease ttl 10s + etcd's 500ms tick) + fence 0s + elect 200ms +
 * promote 100ms = 10.8s, then the p99 client's DNS delay and its reconnect (up to 5s); ledger (RTO 30s) waits
 * for a synchronous standby alongside.
 */
const dns = (endpoint: string, detection = "{ ttl: 10s, loop_wait: 2s, retry_timeout: 3s }") => failover(`  mode: automatic\n  detection: ${detection}\n  endpoint: ${endpoint}`);
const longTtl = dns("{ kind: dns, ttl: 60s }");
const tail = dns("{ kind: dns, ttl: 5s, stale_clients: 5%, stale_for: 2m }");
/** The TTL alone (25s) fits ledger's 30s; the p99 client's whole path (10.8s + 25s + 5s = 40.8s) does not. */
const ttlUnderRto = dns("{ kind: dns, ttl: 25s }");
/** The TTL fits even with the rest (20.8s); 2% of clients keep the old address for 20s, and the p99 client is one of them: 35.8s. */
const tailUnderRto = dns("{ kind: dns, ttl: 5s, stale_clients: 2%, stale_for: 20s }");
/** Detection alone (40.5s) misses ledger's 30s: rto-budget-exceeded's finding, not the endpoint's. */
const slowDetection = dns("{ kind: dns, ttl: 60s }", "{ ttl: 40s, loop_wait: 2s, retry_timeout: 3s }");

ruleTester(dnsTtlExceedsRto, "error", {
  valid: [
    { name: "a proxy endpoint", yaml: topology() },
    { name: "a short TTL with no stale tail", yaml: dns("{ kind: dns, ttl: 5s }") },
    // 10.8s + 10s + 5s = 25.8s: comfortably under the 30s, with room for the clients' reconnect.
    { name: "a whole p99 path comfortably under the RTO", yaml: dns("{ kind: dns, ttl: 10s, stale_clients: 2%, stale_for: 10s }") },
    { name: "a stale_for with no stale clients", yaml: dns("{ kind: dns, ttl: 5s, stale_clients: 0, stale_for: 10m }") },
    // Simulate judges the p99 client: a stale tail of 1% or less does not hold it.
    { name: "a stale tail too small to reach the p99 client", yaml: dns("{ kind: dns, ttl: 5s, stale_clients: 0.5%, stale_for: 10m }") },
    { name: "a stale tail of exactly 1% does not hold the p99 client either", yaml: dns("{ kind: dns, ttl: 5s, stale_clients: 1%, stale_for: 10m }") },
    { name: "the rest of the failover misses the RTO without DNS: one finding, rto-budget-exceeded's", yaml: slowDetection },
  ],
  invalid: [
    { name: "TTL above the RTO", yaml: longTtl, findings: [{ ...at(longTtl, "ttl: 60s", "60s"), includes: ["1m TTL", "ledger (30s)"] }] },
    { name: "stale-client tail above the RTO", yaml: tail, findings: [{ ...at(tail, "stale_for: 2m", "2m"), includes: ["5% of clients", "for 2m", "RTO of ledger (30s)"], hintIncludes: ["Over by 1m45.8s: stale clients may keep the old address 14.2s at most, or use a proxy."] }] },
    {
      name: "a TTL under the RTO that the whole failover pushes over it",
      yaml: ttlUnderRto,
      findings: [
        {
          ...at(ttlUnderRto, "ttl: 25s", "25s"),
          includes: [
            "the p99 client gets writes back 40.8s after the leader fails (detect 10.5s + fence 0s + elect 200ms + promote 100ms + endpoint 25s + reconnect 5s)",
            "above the RTO of ledger (30s);",
            "DNS is 25s of that, and without it the failover fits",
            "up to the 25s TTL",
          ],
          hintIncludes: ["Over by 10.8s: a TTL of 14.2s at most, or a proxy endpoint"],
        },
      ],
    },
    {
      name: "a stale tail under the RTO that holds the p99 client past it",
      yaml: tailUnderRto,
      findings: [
        {
          ...at(tailUnderRto, "stale_for: 20s", "20s"),
          includes: ["gets writes back 35.8s", "endpoint 20s + reconnect 5s", "RTO of ledger (30s)", "DNS is 20s of that", "2% of clients (more than the 1% beyond the p99 client) keep the old leader's address for 20s (TTL 5s, stale_for 20s)"],
          hintIncludes: ["Over by 5.8s: stale clients may keep the old address 14.2s at most"],
        },
      ],
    },
  ],
});

test("dns-ttl-exceeds-rto and rto-budget-exceeded: a failover that misses the RTO without DNS is reported once, by the budget", () => {
  const findings = lintText(slowDetection, { rules: [rtoBudgetExceeded, dnsTtlExceedsRto] });
  assert.deepEqual(
    findings.map((f) => f.rule),
    ["rto-budget-exceeded"],
  );
  assert.match(findings[0].message, /RTO of ledger \(30s\): detect 40\.5s/);
});

test("dns-ttl-exceeds-rto: a scenario's clients add their reconnect storm to the p99 client's path", () => {
  // 10.8s + 5s + 5s = 20.8s fits the 30s; 4,000 clients at 500 connections/s add 8s more, and the 20s tail of 2% makes it 43.8s.
  const inline = dns("{ kind: dns, ttl: 5s, stale_clients: 2%, stale_for: 20s }")
    .split("\n")
    .map((l) => (l ? `  ${l}` : l))
    .join("\n");
  const scenario = `kind: scenario\nname: crowd\nduration: 60s\nworkload: { writes: 100, clients: 4000 }\ntopology:\n${inline}`;
  const findings = lintText(scenario, { rules: [dnsTtlExceedsRto] });
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /gets writes back 43\.8s after the leader fails \(with scenario crowd's 4000 clients\)/);
  assert.match(findings[0].message, /endpoint 20s \+ reconnect 5s \+ storm 8s\)/);
});

const unfenced = failover("  mode: automatic\n  detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }\n  fencing: none");
const mysql = topology({ extra: "" }).replace("name: fixture", "name: fixture\npreset: mysql-semisync").replace(/failover:\n(  .*\n)+/, "");

ruleTester(failoverWithoutFencing, "error", {
  valid: [
    { name: "lease fencing", yaml: topology() },
    { name: "manual failover without fencing (a human decides)", yaml: failover("  mode: manual\n  fencing: none") },
  ],
  invalid: [
    { name: "fencing: none", yaml: unfenced, findings: [{ ...at(unfenced, "fencing: none", "none"), includes: ["split brain"] }] },
    // The mysql-semisync preset has no fencing; with no failover block the finding points at the document.
    { name: "fencing none from a preset", yaml: mysql, findings: [{ line: 1, column: 1 }] },
  ],
});

const coordinatorAt = (place: string) => failover(`  mode: automatic\n  detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }\n  fencing: lease\n  coordinator: ${place}`);
const twoInLeaderZone = coordinatorAt("[east/a, east/a, east/b]");
const oneMember = coordinatorAt("[east/a]");

ruleTester(coordinatorLostWithLeaderZone, "error", {
  valid: [
    { name: "a region alone: one member per zone, a majority survives", yaml: coordinatorAt("east") },
    { name: "three zones listed", yaml: coordinatorAt("[east/a, east/b, east/c]") },
    { name: "no member in the leader's zone", yaml: coordinatorAt("[east/b, east/c, west/a]") },
    { name: "manual failover needs no coordinator majority", yaml: failover("  mode: manual\n  coordinator: [east/a]") },
  ],
  invalid: [
    { name: "two of three members in the leader's zone", yaml: twoInLeaderZone, findings: [{ ...at(twoInLeaderZone, "coordinator: [", "["), includes: ["2 of the coordinator's 3 members", "east/a"] }] },
    { name: "a single member beside the leader", yaml: oneMember, findings: [{ ...at(oneMember, "coordinator: [", "["), includes: ["1 of the coordinator's 1 member"] }] },
  ],
});

/** One etcd member, in a zone without the leader: losing that zone leaves the healthy leader unable to renew its key. */
const oneElsewhere = coordinatorAt("[east/b]");
/** Two members: losing either zone leaves 1 of 2, short of a majority. */
const twoMembers = coordinatorAt("[east/b, east/c]");
/** A replica set whose four members vote: two of them in zone c. */
const fourVoters = topology({
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: east/c }\n  n4: { zone: east/c }",
  extra: "preset: mongodb",
  failover: "failover:\n  mode: automatic\n  detection: { heartbeat: 2s, misses: 5 }\n  fencing: lease",
});

/** A consensus group in one region, its members in these zones. */
const raftIn = (...zones: string[]) =>
  topology({
    nodes: `nodes:\n${zones.map((z, i) => `  r${i + 1}: { zone: east/${z}${i === 0 ? ", role: leader" : ""} }`).join("\n")}`,
    replication: "replication: { mode: consensus, members: [east], election_timeout: 1s, heartbeat: 100ms }",
    failover: "",
  });
const raftTwoInLeaderZone = raftIn("a", "a", "b");
const raftFourInThree = raftIn("a", "b", "c", "c");

ruleTester(coordinatorLostWithZone, "error", {
  valid: [
    { name: "a region alone: one member per zone, a majority survives any zone", yaml: coordinatorAt("east") },
    { name: "three zones listed", yaml: coordinatorAt("[east/a, east/b, east/c]") },
    { name: "three members over two regions, no zone holds two", yaml: coordinatorAt("[east/b, east/c, west/a]") },
    // The leader's own zone is coordinator-lost-with-leader-zone's.
    { name: "a single member beside the leader", yaml: coordinatorAt("[east/a]") },
    { name: "manual failover needs no coordinator majority", yaml: failover("  mode: manual\n  coordinator: [east/b]") },
    { name: "a consensus group one member per zone", yaml: raftIn("a", "b", "c") },
    { name: "five members, 2 + 2 + 1 over three zones", yaml: raftIn("a", "a", "b", "b", "c") },
    { name: "a consensus group all in one zone makes no claim to survive it", yaml: raftIn("a", "a", "a") },
  ],
  invalid: [
    { name: "a single member in another zone", yaml: oneElsewhere, findings: [{ ...at(oneElsewhere, "coordinator: [", "["), includes: ["losing zone east/b with n2", "leader n1 (east/a) is fine", "1 of the coordinator's 1 member (east/b)", "none is left"] }] },
    { name: "two members: either zone takes the majority", yaml: twoMembers, findings: [{ ...at(twoMembers, "coordinator: [", "["), includes: ["losing zone east/b", "(so does losing east/c)", "the 1 left is short of the majority of 2"] }] },
    { name: "a voting replica set with half its members in one zone", yaml: fourVoters, findings: [{ ...at(fourVoters, "  n3:", "n3"), includes: ["losing zone east/c with n3 and n4", "primary n1 (east/a) is fine", "2 of the replica set's 4 voting members (east/a: 1, east/b: 1, east/c: 2)", "the 2 left are short of the 3 votes a majority of 4 needs", "no secondary can be elected"], hintIncludes: ["add a member or an arbiter in a third zone"] }] },
    // simulate: losing east/a leaves r2 alone, "no member can be elected", writes down until the zone returns.
    { name: "a consensus group with two of three members in the leader's zone", yaml: raftTwoInLeaderZone, findings: [{ ...at(raftTwoInLeaderZone, "  r1:", "r1"), includes: ["losing zone east/a stops every write", "r1 and r2, 2 of the group's 3 members", "the 1 left is short of the 2 votes"] }] },
    { name: "a consensus group of four with two in one zone", yaml: raftFourInThree, findings: [{ ...at(raftFourInThree, "  r3:", "r3"), includes: ["losing zone east/c", "r3 and r4, 2 of the group's 4 members (east/a: 1, east/b: 1, east/c: 2)", "the 2 left are short of the 3 votes"] }] },
  ],
});

const leaseFixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/lint/lease-ttl/${name}.yaml`, import.meta.url), "utf8");
const leaseInvalid = leaseFixture("invalid");
/** Only ttl given: loop_wait and retry_timeout come from the Patroni preset (10s each), 30s in all. */
const ttlAlone = failover("  detection: { ttl: 20s }");
const longLoop = failover("  detection: { ttl: 20s, loop_wait: 15s, retry_timeout: 5s }");
/** The same too-short lease in a consensus group, which resolves to heartbeats and holds no lease. */
const consensusLease = topology({
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: east/c }",
  replication: "replication: { mode: consensus, members: [east] }",
  failover: "failover:\n  detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 10s }",
});

ruleTester(leaseTtlTooShort, "warning", {
  valid: [
    { name: "the fixture: 5s + 2 × 5s = 15s fits a 15s ttl", yaml: leaseFixture("valid") },
    { name: "Patroni defaults meet the rule exactly (10s + 2 × 10s = 30s)", yaml: patroniDefaults },
    { name: "heartbeat detection has no lease", yaml: failover("  detection: { heartbeat: 1s, misses: 3 }") },
    { name: "a consensus group holds no lease", yaml: consensusLease },
  ],
  invalid: [
    {
      name: "the fixture: 2s + 2 × 10s = 22s against a 10s ttl",
      yaml: leaseInvalid,
      // Patroni (config.py, _validate_and_adjust_timeouts): even a 1 s loop does not fit, so loop_wait 1s and
      // retry_timeout (10 − 1) // 2 = 4 s.
      findings: [{ ...at(leaseInvalid, "  detection:", "detection"), includes: ["loop_wait 2s", "2 × retry_timeout 10s", "= 22s", "lease ttl 10s", "lowers them to loop_wait 1s and retry_timeout 4s"], hintIncludes: ["at least 22s"] }],
    },
    {
      name: "when a shorter loop fits, Patroni lowers loop_wait alone, to ttl − 2 × retry_timeout",
      yaml: longLoop,
      findings: [{ ...at(longLoop, "  detection:", "detection"), includes: ["= 25s", "lease ttl 20s", "loop_wait 10s and retry_timeout 5s"] }],
    },
    {
      name: "a ttl given alone keeps the preset's loop_wait and retry_timeout",
      yaml: ttlAlone,
      // Even a 1 s loop does not fit (1 + 2 × 10 > 20): Patroni sets loop_wait 1s and retry_timeout (20 − 1) // 2 = 9 s.
      findings: [{ ...at(ttlAlone, "detection: { ttl: 20s }", "detection"), includes: ["loop_wait 10s", "= 30s", "lease ttl 20s", "loop_wait 1s and retry_timeout 9s"] }],
    },
  ],
});

// Patroni 3.2 and later (config.py, _validate_and_adjust_timeouts): whole seconds, floors, then the rule.
const floorFixture = (detection: string, rto = "30s") =>
  topology({
    failover: `failover:\n  mode: automatic\n  detection: ${detection}\n  fencing: lease\n  promotion: 1s\n  endpoint: { kind: proxy, check_interval: 1s }\n  reconnect: { backoff: 100ms, max: 2s }`,
    classes: `data_classes:\n  ledger: { rpo: 0, rto: ${rto}, consistency: strong }`,
  });
const tenSecondLease = floorFixture("{ ttl: 10s, loop_wait: 2s, retry_timeout: 3s }");
const shortLoop = floorFixture("{ ttl: 30s, loop_wait: 500ms, retry_timeout: 2s }");
const fractional = floorFixture("{ ttl: 25500ms, loop_wait: 2s, retry_timeout: 3s }");
const lowered = floorFixture("{ ttl: 15s, loop_wait: 10s, retry_timeout: 10s }");
const tightRto = floorFixture("{ ttl: 10s, loop_wait: 2s, retry_timeout: 3s }", "20s");

ruleTester(patroniTimingFloor, "warning", {
  valid: [
    { name: "Patroni defaults (30s / 10s / 10s)", yaml: patroniDefaults },
    { name: "a 20s lease, the shortest a current Patroni runs", yaml: floorFixture("{ ttl: 20s, loop_wait: 2s, retry_timeout: 3s }") },
    { name: "heartbeat detection has no lease", yaml: failover("  detection: { heartbeat: 1s, misses: 3 }") },
    { name: "a consensus group holds no lease", yaml: consensusLease },
    { name: "the test base design says why it keeps a 10s lease", yaml: topology() },
  ],
  invalid: [
    {
      name: "a 10s lease runs as 20s: detection 18–20s, not 8–10s",
      yaml: tenSecondLease,
      findings: [{ ...at(tenSecondLease, "ttl: 10s", "10s"), includes: ["ttl 10s → 20s", "18s–20s", "not 8s–10s as simulated"], hintIncludes: ["ttl"] }],
    },
    {
      name: "loop_wait under 1s and retry_timeout under 3s are raised too",
      yaml: shortLoop,
      findings: [{ ...at(shortLoop, "loop_wait: 500ms", "500ms"), includes: ["loop_wait 500ms → 1s and retry_timeout 2s → 3s", "29s–30s"] }],
    },
    {
      name: "Patroni reads whole seconds: 25.5s runs as 25s",
      yaml: fractional,
      findings: [{ ...at(fractional, "ttl: 25500ms", "25500ms"), includes: ["ttl 25.5s → 25s"] }],
    },
    {
      // Patroni's own case: ttl 15 → 20, then 10 + 2 × 10 > 20, so loop_wait 1 s and retry_timeout (20 − 1) // 2 = 9 s.
      name: "after the floors, Patroni's rule lowers loop_wait and retry_timeout",
      yaml: lowered,
      findings: [{ ...at(lowered, "ttl: 15s", "15s"), includes: ["ttl 15s → 20s", "then lower loop_wait to 1s and retry_timeout to 9s", "19s–20s"] }],
    },
    {
      name: "an RTO that the 10s lease meets and the 20s one does not",
      yaml: tightRto,
      findings: [{ ...at(tightRto, "ttl: 10s", "10s"), includes: ["above the RTO of ledger (20s)"] }],
    },
  ],
});

test("patroniRuns follows Patroni's own cases (tests/test_config.py): floors first, then loop_wait + 2 × retry_timeout ≤ ttl", () => {
  const s = 1000;
  assert.deepEqual(patroniRuns(15 * s, 10 * s, 10 * s), { ttlMs: 20 * s, loopWaitMs: 1 * s, retryTimeoutMs: 9 * s, changed: ["ttl"], floored: { loopWaitMs: 10 * s, retryTimeoutMs: 10 * s } });
  assert.deepEqual(patroniRuns(30 * s, 0, 10 * s), { ttlMs: 30 * s, loopWaitMs: 1 * s, retryTimeoutMs: 10 * s, changed: ["loop_wait"], floored: { loopWaitMs: 1 * s, retryTimeoutMs: 10 * s } });
  assert.deepEqual(patroniRuns(30 * s, 10 * s, 1 * s), { ttlMs: 30 * s, loopWaitMs: 10 * s, retryTimeoutMs: 3 * s, changed: ["retry_timeout"], floored: { loopWaitMs: 10 * s, retryTimeoutMs: 3 * s } });
  // The rule, on values at their floors: ttl 20, loop_wait 11, retry 5 → loop_wait 10; 20 / 10 / 10 → loop_wait 1, retry 9.
  assert.deepEqual(patroniRuns(20 * s, 11 * s, 5 * s), { ttlMs: 20 * s, loopWaitMs: 10 * s, retryTimeoutMs: 5 * s, changed: [], floored: { loopWaitMs: 11 * s, retryTimeoutMs: 5 * s } });
  assert.deepEqual(patroniRuns(20 * s, 10 * s, 10 * s), { ttlMs: 20 * s, loopWaitMs: 1 * s, retryTimeoutMs: 9 * s, changed: [], floored: { loopWaitMs: 10 * s, retryTimeoutMs: 10 * s } });
  assert.deepEqual(patroniRuns(30 * s, 10 * s, 10 * s), { ttlMs: 30 * s, loopWaitMs: 10 * s, retryTimeoutMs: 10 * s, changed: [], floored: { loopWaitMs: 10 * s, retryTimeoutMs: 10 * s } });
});
