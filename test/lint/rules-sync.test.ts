// Synchronous standby rules: availability of strict mode, latency of remote acks.
import { strictSingleSync } from "../../src/lint/rules/strict-single-sync.js";
import { strictSyncLostWithZone } from "../../src/lint/rules/strict-sync-lost-with-zone.js";
import { syncStandbyCrossRegion } from "../../src/lint/rules/sync-standby-cross-region.js";
import assert from "node:assert/strict";
import { test } from "node:test";
import { at, lintText, ruleTester, topology } from "./helpers.js";

const sync = (standbys: string, rest = "commit: on, strict: true, managed: false") =>
  topology({ replication: `replication:\n  mode: leader-follower\n  synchronous: { standbys: "${standbys}", ${rest} }` });
const first1 = sync("FIRST 1 (n2)");
const any1 = sync("ANY 1 (n3)");
const all2 = sync("ANY 2 (n2, n3)");
const managedAlone = topology({
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: east/c, nosync: true }\n  dr: { zone: west/a, nofailover: true, nosync: true }",
  replication: 'replication:\n  mode: leader-follower\n  synchronous: { standbys: "FIRST 1 (n2)", commit: on, strict: true, managed: true }',
});
// Two standbys may be named, every other replica is tagged nosync.
const twoOnly = (managed: boolean) =>
  topology({
    nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: east/c }\n  dr: { zone: west/a, nofailover: true, nosync: true }",
    replication: `replication:\n  mode: leader-follower\n  synchronous: { standbys: "FIRST 2 (n2, n3)", commit: on, strict: true, managed: ${managed} }`,
  });
const twoStatic = twoOnly(false);

const managedTwoNodes = topology({
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }",
  replication: 'replication:\n  mode: leader-follower\n  synchronous: { standbys: "FIRST 1 (n2)", commit: on, strict: true, managed: true }',
});

ruleTester(strictSingleSync, "warning", {
  valid: [
    { name: "ANY 1 of two standbys", yaml: topology() },
    { name: "FIRST 1 with a spare", yaml: sync("FIRST 1 (n2, n3)") },
    { name: "one standby, not strict", yaml: sync("FIRST 1 (n2)", "commit: on, strict: false") },
    // Patroni's synchronous_mode re-picks the sync standby among healthy replicas: n3 and dr stand in for n2.
    { name: "one listed standby, managed by the failover manager", yaml: sync("FIRST 1 (n2)", "commit: on, strict: true, managed: true") },
    { name: "asynchronous", yaml: topology({ replication: "replication:\n  mode: leader-follower" }) },
    // '*': while n2 is down any streaming standby acknowledges, the nosync n3 and dr included (simulated: writes go on).
    { name: "managed, the rest tagged nosync, when_none: any-standby", yaml: managedAlone.replace("managed: true }", "managed: true, when_none: any-standby }") },
    // Patroni's synchronous_node_count is "up to": with n2 down the leader asks for n3 alone, and writes go on.
    { name: "FIRST 2 of the only two, managed by Patroni (the count is lowered)", yaml: twoOnly(true) },
  ],
  invalid: [
    { name: "FIRST 1 (x)", yaml: first1, findings: [{ ...at(first1, '"FIRST 1 (n2)"'), includes: ["FIRST 1 (n2)", "while n2 is down"] }] },
    { name: "ANY 1 (x)", yaml: any1, findings: [{ ...at(any1, '"ANY 1 (n3)"'), includes: ["ANY 1 (n3)"] }] },
    { name: "every listed standby needed", yaml: all2, findings: [{ ...at(all2, '"ANY 2 (n2, n3)"'), includes: ["all of its 2 listed standbys"] }] },
    { name: "managed, but every other replica is tagged nosync", yaml: managedAlone, findings: [{ ...at(managedAlone, '"FIRST 1 (n2)"'), includes: ["no other replica may stand in (n3 and dr are tagged nosync)"] }] },
    // Two nodes: there is no other replica at all, tagged or not.
    { name: "managed, with no other replica", yaml: managedTwoNodes, findings: [{ ...at(managedTwoNodes, '"FIRST 1 (n2)"'), includes: ["there is no other replica to stand in"] }] },
    { name: "FIRST 2 of two, a static list", yaml: twoStatic, findings: [{ ...at(twoStatic, '"FIRST 2 (n2, n3)"'), includes: ["all of its 2 listed standbys"] }] },
  ],
});

const firstRemote = sync("FIRST 1 (dr, n2)");
const anyShort = sync("ANY 2 (n2, dr)");
const slowLink = (network: string) =>
  topology({
    regions: `regions:\n  east: { zones: [a, b, c] }\n  west: { zones: [a] }\nnetwork:\n  cross-region: ${network}`,
    replication: 'replication:\n  mode: leader-follower\n  synchronous: { standbys: "FIRST 1 (dr)", commit: on, strict: false }',
    classes: "data_classes:\n  logs: { rpo: 1m, rto: 5m }",
  });
const constant = slowLink("{ constant: 40 }");
const mix = slowLink("{ mix: [ { weight: 1, uniform: [10, 20] }, { weight: 1, uniform: [20, 30] } ], shift: 5 }");

ruleTester(syncStandbyCrossRegion, "warning", {
  valid: [
    { name: "standbys in the leader's region", yaml: topology() },
    { name: "a remote standby as a spare behind a local one", yaml: sync("FIRST 1 (n2, dr)") },
    { name: "ANY 1 with a local candidate", yaml: sync("ANY 1 (dr, n2)") },
    { name: "classes that never wait for a standby", yaml: topology({ replication: 'replication:\n  mode: leader-follower\n  synchronous: { standbys: "FIRST 1 (dr)", commit: local }', classes: "data_classes:\n  logs: { rpo: 1m, rto: 5m }" }) },
  ],
  invalid: [
    // Default network: cross-region { median: 35, p99: 80 } one way.
    { name: "FIRST 1 names a remote standby first", yaml: firstRemote, findings: [{ ...at(firstRemote, '"FIRST 1 (dr, n2)"'), includes: ["from west", "+72ms", "two 35ms-median", "+131ms at the p99"] }] },
    { name: "ANY 2 with one local candidate", yaml: anyShort, findings: [{ ...at(anyShort, '"ANY 2 (n2, dr)"'), includes: ["only 1 of the candidates are in east", "+72ms"] }] },
    { name: "a constant latency", yaml: constant, findings: [{ ...at(constant, '"FIRST 1 (dr)"'), includes: ["+80ms per write", "40ms-median cross-region", "+80ms at the p99"] }] },
    // Half the mass in [10, 20] and half in [20, 30], plus the 5ms shift: each leg is uniform on [15, 35], median 25,
    // and the round trip is triangular on [30, 70], median 50.
    { name: "a shifted mixture", yaml: mix, findings: [{ ...at(mix, '"FIRST 1 (dr)"'), includes: ["+50ms per write", "25ms-median cross-region"] }] },
  ],
});

test("strict-single-sync: two nodes, no other replica — the message does not speak of nosync ones", () => {
  const [finding] = lintText(managedTwoNodes, { rules: [strictSingleSync] });
  assert.doesNotMatch(finding.message, /nosync|the rest/);
});

/** The leader in east/a, two standbys (n2, n3) in the zones given, a DR replica that never acknowledges. */
const zonedSync = (z2: string, z3: string, standbys = "ANY 1 (n2, n3)", extra = "", classes?: string) =>
  topology({
    nodes: `nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/${z2} }\n  n3: { zone: east/${z3} }\n  dr: { zone: west/a, nofailover: true, nosync: true }`,
    replication: `replication:\n  mode: leader-follower\n  synchronous: { standbys: "${standbys}", commit: on, strict: true${extra} }`,
    ...(classes ? { classes } : {}),
  });
const bothInB = zonedSync("b", "b");
const oneInLeaderZone = zonedSync("b", "a");
const bothInBManaged = zonedSync("b", "b", "FIRST 1 (n2)", ", managed: true");

// A review simulated payments.yaml with pg-c moved into pg-b's zone: losing that zone blocked every ledger write for
// good (pg-dr is nosync), and with pg-c in the leader's zone losing it left the promoted pg-b without a standby; validate
// said nothing either time.
ruleTester(strictSyncLostWithZone, "error", {
  valid: [
    { name: "one standby in each other zone", yaml: zonedSync("b", "c") },
    { name: "no spare at all is strict-single-sync's", yaml: zonedSync("b", "b", "FIRST 1 (n2)", ", managed: false") },
    { name: "any-standby: the DR replica acknowledges", yaml: zonedSync("b", "b", "FIRST 1 (n2)", ", managed: true, when_none: any-standby") },
    { name: "classes that commit locally do not wait", yaml: zonedSync("b", "b", "ANY 1 (n2, n3)", "", "data_classes:\n  events: { rpo: 1m, rto: 30s, commit: local }") },
  ],
  invalid: [
    { name: "both standbys in one other zone", yaml: bothInB, findings: [{ ...at(bothInB, '"ANY 1 (n2, n3)"'), includes: ["losing zone east/b (n2 and n3) stops every synchronous commit although the leader n1 is fine", "no standby that may acknowledge is left (dr is tagged nosync)", "blocks writes of ledger until the zone returns"] }] },
    { name: "managed: the only other standby shares the zone", yaml: bothInBManaged, findings: [{ ...at(bothInBManaged, '"FIRST 1 (n2)"'), includes: ["losing zone east/b", "(dr is tagged nosync)"] }] },
    { name: "the spare shares the leader's zone", yaml: oneInLeaderZone, findings: [{ ...at(oneInLeaderZone, '"ANY 1 (n2, n3)"'), includes: ["losing the leader's zone east/a (n1 and n3) leaves writes of ledger down until it returns: n2 is promoted, but n3 went with the zone and beside it no standby that may acknowledge is left"] }] },
  ],
});
