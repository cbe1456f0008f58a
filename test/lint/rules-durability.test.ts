// RPO rules: who must hold a write before the client hears "ok".
import { multiLeaderLwwRpoZero } from "../../src/lint/rules/multi-leader-lww-rpo-zero.js";
import { rpoZeroDegradesToAsync } from "../../src/lint/rules/rpo-zero-degrades-to-async.js";
import { rpoZeroPromotesLagging } from "../../src/lint/rules/rpo-zero-promotes-lagging.js";
import { rpoZeroWithoutSync } from "../../src/lint/rules/rpo-zero-without-sync.js";
import { at, ruleTester, topology } from "./helpers.js";

const async = topology({ replication: "replication:\n  mode: leader-follower" });
const localCommit = topology({
  classes: "data_classes:\n  ledger: { rpo: 0, rto: 30s, consistency: strong, commit: local }\n  analytics: { rpo: 4h, rto: 1h, commit: off, reads: any }",
});
const syncOff = topology({ replication: 'replication:\n  mode: leader-follower\n  synchronous: { standbys: "ANY 1 (n2, n3)", commit: off, strict: true }' });
const leaderlessNodes = "nodes:\n  n1: { zone: east/a }\n  n2: { zone: east/b }\n  n3: { zone: east/c }";
const leaderless = (replication: string, classes = "data_classes:\n  ledger: { rpo: 0, rto: 30s }") =>
  topology({ nodes: leaderlessNodes, replication, classes, failover: "" });

ruleTester(rpoZeroWithoutSync, "error", {
  valid: [
    { name: "a sync standby with commit on", yaml: topology() },
    { name: "async replication for classes that may lose data", yaml: topology({ replication: "replication:\n  mode: leader-follower", classes: "data_classes:\n  logs: { rpo: 1m, rto: 5m }" }) },
    { name: "leaderless with W = 2", yaml: leaderless("replication: { mode: leaderless, n: 3, w: 2, r: 2 }") },
    { name: "leaderless W = 1 but a class overrides w: 2", yaml: leaderless("replication: { mode: leaderless, n: 3, w: 1, r: 3 }", "data_classes:\n  ledger: { rpo: 0, rto: 30s, w: 2 }") },
    { name: "consensus commits on a majority", yaml: topology({ replication: "replication: { mode: consensus, members: [east, west] }" }) },
  ],
  invalid: [
    { name: "no synchronous standby", yaml: async, findings: [{ ...at(async, "ledger: { rpo: 0", "0"), includes: ["ledger needs RPO 0", "asynchronous"], hintIncludes: ["ANY 1 (n2, n3)"] }] },
    { name: "class commit local", yaml: localCommit, findings: [{ ...at(localCommit, "ledger: { rpo: 0", "0"), includes: ['"local"'] }] },
    { name: "synchronous commit off for every class", yaml: syncOff, findings: [{ ...at(syncOff, "ledger: { rpo: 0", "0"), includes: ['"off"', "before even its own disk"] }] },
    (() => {
      const yaml = leaderless("replication: { mode: leaderless, n: 3, w: 1, r: 3 }");
      return { name: "leaderless W = 1", yaml, findings: [{ ...at(yaml, "ledger: { rpo: 0", "0"), includes: ["W = 1", "N = 3"] }] };
    })(),
  ],
});

const degrading = topology({ replication: 'replication:\n  mode: leader-follower\n  synchronous: { standbys: "ANY 1 (n2, n3)", commit: on, strict: false, degrade_after: 10s }' });
const presetDefault = topology({ replication: 'replication:\n  mode: leader-follower\n  synchronous:\n    standbys: "ANY 1 (n2, n3)"' });

ruleTester(rpoZeroDegradesToAsync, "warning", {
  valid: [
    { name: "strict: true", yaml: topology() },
    {
      name: "strict: false without RPO-0 classes",
      yaml: topology({ replication: 'replication:\n  mode: leader-follower\n  synchronous: { standbys: "ANY 1 (n2, n3)", strict: false }', classes: "data_classes:\n  logs: { rpo: 1m, rto: 5m }" }),
    },
    { name: "asynchronous (reported by rpo-zero-without-sync instead)", yaml: async },
  ],
  invalid: [
    { name: "strict: false", yaml: degrading, findings: [{ ...at(degrading, "strict: false", "false"), includes: ["ledger needs RPO 0", "after 10s"] }] },
    // The patroni preset leaves synchronous_mode_strict off: the finding points at the synchronous block.
    { name: "strict left to the preset", yaml: presetDefault, findings: [{ ...at(presetDefault, 'standbys: "ANY', "standbys"), includes: ["strict is false", "once no standby is left"] }] },
  ],
});

/** The base design (n1 leads; n2, n3; dr is nofailover) failed over with lagging_candidates: promote. */
const promoting = (blocks: Parameters<typeof topology>[0] = {}) =>
  topology({
    failover: "failover:\n  mode: automatic\n  detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }\n  fencing: lease\n  lagging_candidates: promote\n  endpoint: { kind: proxy, check_interval: 1s }",
    ...blocks,
  });
const syncBlock = (standbys: string, rest = "commit: on, strict: true") => `replication:\n  mode: leader-follower\n  synchronous: { standbys: "${standbys}", ${rest} }`;
// The reviewer's design: the sync standby n2 is cut off with the leader, and the nosync n3 is promoted.
const nosyncPromoted = promoting({
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: east/c, nosync: true }",
  replication: syncBlock("FIRST 1 (n2)"),
});
const anyOfTwo = promoting();
const nonStrict = promoting({ replication: syncBlock("ANY 1 (n2, n3)", "commit: on, strict: false") });
const unlisted = promoting({ replication: syncBlock("FIRST 1 (n2)", "commit: on, strict: true, managed: false") });
const wildcard = promoting({
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: east/c, nosync: true, nofailover: true }",
  replication: syncBlock("FIRST 1 (n2)", "commit: on, strict: true, when_none: any-standby"),
});

ruleTester(rpoZeroPromotesLagging, "error", {
  valid: [
    { name: "lagging_candidates: wait (the default)", yaml: topology() },
    { name: "promote, but no class needs RPO 0", yaml: promoting({ classes: "data_classes:\n  logs: { rpo: 1m, rto: 5m }" }) },
    // Strict mode that needs every replica that may be promoted: each one holds every acknowledged write.
    { name: "promote, strict ANY 2 of the two replicas that may be promoted", yaml: promoting({ replication: syncBlock("ANY 2 (n2, n3)", "commit: on, strict: true, managed: false") }) },
    { name: "promote, a nosync replica that may not be promoted", yaml: promoting({ nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: east/c, nosync: true, nofailover: true }", replication: syncBlock("FIRST 1 (n2)") }) },
    { name: "promote on asynchronous replication (reported by rpo-zero-without-sync instead)", yaml: promoting({ replication: "replication:\n  mode: leader-follower" }) },
  ],
  invalid: [
    {
      name: "a nosync replica promoted when the leader and its sync standby are cut off",
      yaml: nosyncPromoted,
      findings: [{ ...at(nosyncPromoted, "lagging_candidates: promote", "promote"), includes: ["ledger needs RPO 0", "n3 (tagged nosync: never a synchronous standby)", "acknowledged writes it never received are lost"], hintIncludes: ["lagging_candidates: wait"] }],
    },
    { name: "ANY 1 of two candidates: either may miss a write", yaml: anyOfTwo, findings: [{ ...at(anyOfTwo, "lagging_candidates: promote", "promote"), includes: ["n2 (ANY 1 of the 3 that may be synchronous: commits need not wait for it) or n3 (ANY 1 of the 3"] }] },
    { name: "strict: false", yaml: nonStrict, findings: [{ ...at(nonStrict, "lagging_candidates: promote", "promote"), includes: ["n2 (strict: false lets the leader commit without it)"] }] },
    { name: "a replica missing from a static standby list", yaml: unlisted, findings: [{ ...at(unlisted, "lagging_candidates: promote", "promote"), includes: ["n3 (not in synchronous.standbys)"] }] },
    { name: "'*' lets another standby acknowledge", yaml: wildcard, findings: [{ ...at(wildcard, "lagging_candidates: promote", "promote"), includes: ["n2 (when_none: any-standby lets another standby acknowledge while it is down)"] }] },
  ],
});

const multiLeader = (conflict: string) =>
  topology({
    nodes: "nodes:\n  n1: { zone: east/a }\n  w1: { zone: west/a }",
    replication: `replication: { mode: multi-leader, leaders: [east, west]${conflict} }`,
    failover: "",
  });
const lww = multiLeader(", conflict: lww");
const lwwDefault = multiLeader("");

ruleTester(multiLeaderLwwRpoZero, "error", {
  valid: [
    { name: "crdt merges instead of dropping", yaml: multiLeader(", conflict: crdt") },
    { name: "home-region routing: no two writes to a key are concurrent", yaml: multiLeader(", conflict: lww, routing: home-region") },
    { name: "lww without RPO-0 classes", yaml: topology({ nodes: "nodes:\n  n1: { zone: east/a }\n  w1: { zone: west/a }", replication: "replication: { mode: multi-leader, leaders: [east, west] }", failover: "", classes: "data_classes:\n  carts: { rpo: 1m, rto: 1m }" }) },
    { name: "single leader", yaml: topology() },
  ],
  invalid: [
    { name: "conflict: lww", yaml: lww, findings: [{ ...at(lww, "ledger: { rpo: 0", "0"), includes: ["east and west", "last-write-wins"] }] },
    { name: "lww by default", yaml: lwwDefault, findings: [{ ...at(lwwDefault, "ledger: { rpo: 0", "0") }] },
  ],
});

// Multi-leader replication is asynchronous between leaders whatever resolves conflicts (found by a review: crdt with RPO 0 passed, and lost writes with a region).
const crdt = multiLeader(", conflict: crdt");
const homeRegion = multiLeader(", conflict: lww, routing: home-region");
ruleTester(rpoZeroWithoutSync, "error", {
  valid: [{ name: "multi-leader without RPO-0 classes", yaml: topology({ nodes: "nodes:\n  n1: { zone: east/a }\n  w1: { zone: west/a }", replication: "replication: { mode: multi-leader, leaders: [east, west], conflict: crdt }", failover: "", classes: "data_classes:\n  carts: { rpo: 1m, rto: 1m }" }) }],
  invalid: [
    { name: "multi-leader crdt, RPO 0", yaml: crdt, findings: [{ ...at(crdt, "ledger: { rpo: 0", "0"), includes: ["east, west replicate to each other asynchronously"] }] },
    { name: "multi-leader home-region, RPO 0", yaml: homeRegion, findings: [{ ...at(homeRegion, "ledger: { rpo: 0", "0"), includes: ["asynchronously"] }] },
  ],
});
