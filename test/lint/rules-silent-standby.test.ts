// silent-standby-exceeds-rto: a synchronous standby that dies without a connection reset holds the commits that wait
// for it until the leader gives up on it. The figures are the engine's (test/engine/silent-standby.test.ts).
import { silentStandbyExceedsRto } from "../../src/lint/rules/silent-standby-exceeds-rto.js";
import { at, ruleTester, topology } from "./helpers.js";

const withSync = (standbys: string, rest: string, extra: { preset?: string; failover?: string; classes?: string } = {}) =>
  topology({
    replication: `replication:\n  mode: leader-follower\n  synchronous: { standbys: "${standbys}", ${rest} }`,
    ...(extra.failover ? { failover: extra.failover } : {}),
    ...(extra.classes ? { classes: extra.classes } : {}),
    extra: extra.preset ? `preset: ${extra.preset}` : "",
  });
const patroniLease = (ttl: string, loop: string) =>
  `failover:\n  mode: automatic\n  detection: { ttl: ${ttl}, loop_wait: ${loop}, retry_timeout: 3s }\n  fencing: lease\n  promotion: 1s\n  endpoint: { kind: proxy, check_interval: 1s }`;

// PostgreSQL alone: FIRST 1 moves on to pg-c only when pg-b's WAL sender times out, 60 s after it went silent.
const staticFirst = withSync("FIRST 1 (n2, n3)", "commit: on, strict: true, managed: false", { preset: "postgres-manual" });
// Patroni's defaults (ttl 30 s, loop_wait 10 s): a crashed standby's key lives up to 30 s, the leader's next loop 10 s more.
const patroniDefaults = withSync("FIRST 1 (n2)", "commit: on, strict: true, managed: true", { preset: "patroni", failover: patroniLease("30s", "10s") });
// The same with a 10 s lease: 12 s at most, within a 30 s RTO.
const patroniShort = withSync("FIRST 1 (n2)", "commit: on, strict: true, managed: true", { preset: "patroni", failover: patroniLease("10s", "2s") });
const localCommits = withSync("FIRST 1 (n2, n3)", "commit: local, strict: true, managed: false", {
  preset: "postgres-manual",
  classes: "data_classes:\n  logs: { rpo: 1m, rto: 30s, commit: local }",
});
// Patroni's quorum mode with both standbys in the quorum (dr is nosync): it lowers ANY 2 to ANY 1 only once the crashed
// one's key expires, and every commit waits meanwhile (engine: 34.5 s on one seed; strict-single-sync stays quiet).
const patroniQuorumNoSpare = topology({
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: east/c }\n  dr: { zone: west/a, nofailover: true, nosync: true }",
  replication: 'replication:\n  mode: leader-follower\n  synchronous: { standbys: "ANY 2 (n2, n3)", commit: on, strict: true, managed: true }',
  failover: patroniLease("30s", "10s"),
  extra: "preset: patroni",
});
// The same with a 1 m RTO: the commits held for the 60 s come through only once another standby has acknowledged them
// (engine, topologies/sync-cross-region.yaml with pg-w crashed: writes back 60,000 ms after, p99 client 60,000.4 ms).
const staticFirstRtoMinute = withSync("FIRST 1 (n2, n3)", "commit: on, strict: true, managed: false", {
  preset: "postgres-manual",
  classes: "data_classes:\n  ledger: { rpo: 0, rto: 1m, consistency: strong }",
});
const nonStrict = withSync("FIRST 1 (n2)", "commit: on, strict: false, managed: false", { preset: "postgres-manual" });

ruleTester(silentStandbyExceedsRto, "warning", {
  valid: [
    { name: "ANY 1 of two standbys: a silent one holds nothing", yaml: topology() },
    { name: "Patroni with a 10 s lease: a crashed standby is dropped within 12 s", yaml: patroniShort },
    { name: "classes that never wait for a standby", yaml: localCommits },
    // Strict with no spare halts for as long as the standby is down: strict-single-sync's finding.
    { name: "a single strict standby", yaml: withSync("FIRST 1 (n2)", "commit: on, strict: true, managed: false", { preset: "postgres-manual" }) },
    // ANY 2 of two with nobody lowering the count halts while either is down: strict-single-sync's finding again.
    { name: "a static strict ANY with no spare", yaml: withSync("ANY 2 (n2, n3)", "commit: on, strict: true, managed: false", { preset: "postgres-manual" }) },
    { name: "asynchronous", yaml: topology({ replication: "replication:\n  mode: leader-follower" }) },
    // The WAL sender gives up after 20 s: within the 30 s RTO.
    { name: "a static FIRST list with a 20 s wal_sender_timeout", yaml: staticFirst.replace("managed: false }", "managed: false }\n  wal_sender_timeout: 20s") },
  ],
  invalid: [
    {
      name: "a static FIRST list: the WAL sender's timeout",
      yaml: staticFirst,
      findings: [{ ...at(staticFirst, '"FIRST 1 (n2, n3)"'), includes: ["FIRST 1 (n2, n3)", "wal_sender_timeout 1m", "up to 1m", "ledger (30s)"] }],
    },
    {
      name: "a hold exactly as long as the RTO",
      yaml: staticFirstRtoMinute,
      findings: [{ ...at(staticFirstRtoMinute, '"FIRST 1 (n2, n3)"'), includes: ["up to 1m", "ledger (1m)"] }],
    },
    {
      name: "Patroni's defaults: the member key",
      yaml: patroniDefaults,
      findings: [{ ...at(patroniDefaults, '"FIRST 1 (n2)"'), includes: ["member key expires (ttl 30s", "within 10s", "up to 40s", "up to 1m10s", "ledger (30s)"] }],
    },
    {
      name: "Patroni's quorum mode with no spare: the count is lowered only when the member key expires",
      yaml: patroniQuorumNoSpare,
      findings: [{ ...at(patroniQuorumNoSpare, '"ANY 2 (n2, n3)"'), includes: ["ANY 2 (n2, n3)", "member key expires (ttl 30s", "up to 40s", "ledger (30s)"] }],
    },
    // Not strict: still listed, the silent standby holds commits until it is dropped; only then does the leader go asynchronous.
    { name: "one standby, not strict", yaml: nonStrict, findings: [{ ...at(nonStrict, '"FIRST 1 (n2)"'), includes: ["up to 1m"] }] },
  ],
});
