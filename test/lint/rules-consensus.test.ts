// Consensus across regions needs a majority that no single region holds, and
// Raft timers that neither depose a healthy leader nor stop etcd from starting.
import { consensusFailoverIgnored } from "../../src/lint/rules/consensus-failover-ignored.js";
import { consensusTooFewRegions } from "../../src/lint/rules/consensus-too-few-regions.js";
import { electionTimeoutFewHeartbeats } from "../../src/lint/rules/election-timeout-few-heartbeats.js";
import { electionTimeoutTooShort } from "../../src/lint/rules/election-timeout-too-short.js";
import { at, ruleTester, topology } from "./helpers.js";

const regions = `regions:
  east: { zones: [a, b, c] }
  west: { zones: [a] }
  eu: { zones: [a] }`;
const three = topology({
  regions,
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: west/a }\n  n3: { zone: eu/a }",
  replication: "replication: { mode: consensus, members: [east, west, eu] }",
});
const two = topology({
  regions,
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: west/a }",
  replication: "replication: { mode: consensus, members: [east, west] }",
});

// Five members over three regions: 3 + 1 + 1 spans three regions, yet losing the first leaves 2 of the 3 votes needed.
const fiveRegions = `regions:
  east: { zones: [a, b, c] }
  west: { zones: [a, b] }
  eu: { zones: [a] }`;
const five = (nodes: string) =>
  topology({ regions: fiveRegions, nodes: `nodes:\n${nodes}`, replication: "replication: { mode: consensus, members: [east, west, eu] }" });
const threeOneOne = five("  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: east/c }\n  n4: { zone: west/a }\n  n5: { zone: eu/a }");
const twoTwoOne = five("  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: west/a }\n  n4: { zone: west/b }\n  n5: { zone: eu/a }");
const oneRegion = topology({ regions, nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: east/c }", replication: "replication: { mode: consensus, members: [east] }" });
const evenSplit = topology({
  regions,
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/b }\n  n3: { zone: west/a }\n  n4: { zone: west/a }",
  replication: "replication: { mode: consensus, members: [east, west] }",
});

ruleTester(consensusTooFewRegions, "error", {
  valid: [
    { name: "one member in each of three regions", yaml: three },
    { name: "five members, 2 + 2 + 1 over three regions: any one region is a minority", yaml: twoTwoOne },
    { name: "a group in one region makes no claim to survive losing it", yaml: oneRegion },
    { name: "leader/follower is not a consensus group", yaml: topology() },
  ],
  invalid: [
    { name: "two regions: one holds the majority", yaml: two, findings: [{ ...at(two, "members: [east, west]", "[east, west]"), includes: ["losing east stops every write", "2 of the 3 members", "east: 2, west: 1", "the 1 left is short of the 2 votes"] }] },
    {
      name: "five members, 3 + 1 + 1 over three regions: losing the first leaves no majority (found by a review: validated clean, yet lose: east stops writes)",
      yaml: threeOneOne,
      findings: [{ ...at(threeOneOne, "members: [east, west, eu]", "[east, west, eu]"), includes: ["losing east stops every write", "3 of the 5 members", "east: 3, west: 1, eu: 1", "the 2 left are short of the 3 votes a majority of 5 needs"] }],
    },
    { name: "two regions split evenly: losing either stops writes", yaml: evenSplit, findings: [{ ...at(evenSplit, "members: [east, west]", "[east, west]"), includes: ["losing east stops every write (so does losing west)", "2 of the 4 members"] }] },
  ],
});

// The election timeout against the round trip between the farthest members (etcd: at least ten).
const network = (crossRegionMedian: number) => `network:\n  same-zone: { median: 0.2, p99: 1 }\n  cross-zone: { median: 0.5, p99: 2 }\n  cross-region: { median: ${crossRegionMedian}, p99: ${crossRegionMedian * 2} }`;
const consensusWith = (crossRegionMedian: number, timing: string) =>
  topology({
    regions,
    nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: west/a }\n  n3: { zone: eu/a }",
    replication: `replication: { mode: consensus, members: [east, west, eu]${timing} }`,
    extra: network(crossRegionMedian),
  });
const slowLinks = consensusWith(80, ", election_timeout: 1s, heartbeat: 100ms");
const slowLinksDefaults = consensusWith(80, "");
const oneZone = topology({
  regions,
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: east/a }\n  n3: { zone: east/a }",
  replication: "replication: { mode: consensus, members: [east], election_timeout: 500ms, heartbeat: 100ms }",
});

ruleTester(electionTimeoutTooShort, "warning", {
  valid: [
    // 10 × 2 × 35 ms = 700 ms: etcd's default 1 s is enough.
    { name: "1s against a 70ms round trip", yaml: consensusWith(35, ", election_timeout: 1s, heartbeat: 100ms") },
    // 10 × 2 × 80 ms = 1.6 s.
    { name: "2s against a 160ms round trip", yaml: consensusWith(80, ", election_timeout: 2s, heartbeat: 200ms") },
    { name: "members in one zone: a sub-millisecond round trip", yaml: oneZone },
    { name: "leader/follower is not a consensus group", yaml: topology() },
  ],
  invalid: [
    { name: "1s against a 160ms round trip", yaml: slowLinks, findings: [{ ...at(slowLinks, "election_timeout: 1s", "1s"), includes: ["1s", "10 × 160ms", "80ms cross-region", "1.6s"] }] },
    // Not set: the preset's 1 s applies, and the finding points at the replication block.
    { name: "the preset's 1s against a 160ms round trip", yaml: slowLinksDefaults, findings: [{ ...at(slowLinksDefaults, "{ mode: consensus", "{"), includes: ["1s"] }] },
  ],
});

// Heartbeats per election timeout: etcd refuses to start under five; CockroachDB runs at two. A warning, not an error.
const timers = (timing: string) => consensusWith(35, timing);
const cockroach = timers(", election_timeout: 2s, heartbeat: 1s");
const justUnder = timers(", election_timeout: 1s, heartbeat: 201ms");
const heartbeatOnly = timers(", heartbeat: 300ms");

ruleTester(electionTimeoutFewHeartbeats, "warning", {
  valid: [
    { name: "etcd's defaults: 1s / 100ms, ten heartbeats", yaml: timers(", election_timeout: 1s, heartbeat: 100ms") },
    { name: "exactly five heartbeats, what etcd accepts", yaml: timers(", election_timeout: 1s, heartbeat: 200ms") },
    { name: "the preset's timings", yaml: timers("") },
    { name: "leader/follower is not a consensus group", yaml: topology() },
  ],
  invalid: [
    {
      name: "CockroachDB's 2s / 1s: two heartbeats",
      yaml: cockroach,
      findings: [{ ...at(cockroach, "election_timeout: 2s", "2s"), includes: ["(2s) is 2 heartbeats of 1s", "etcd refuses to start with fewer than 5", "CockroachDB-style Raft runs at 2", "a single lost heartbeat can start an election"] }],
    },
    { name: "a millisecond under five heartbeats", yaml: justUnder, findings: [{ ...at(justUnder, "election_timeout: 1s", "1s"), includes: ["4.9 heartbeats of 201ms", "4 lost heartbeats"] }] },
    // Only the heartbeat set: the preset's 1 s timeout spans 3.3 of them; the finding points at the replication block.
    { name: "the preset's 1s timeout against a 300ms heartbeat", yaml: heartbeatOnly, findings: [{ ...at(heartbeatOnly, "{ mode: consensus", "{"), includes: ["(1s) is 3.3 heartbeats of 300ms", "3 lost heartbeats"] }] },
  ],
});

// A consensus group elects its leader by its own timers and votes: Patroni's coordinator and lease (the base design's
// failover block carries a ttl lease), and a manager's mode, fencing, election rule and times, lag rules and
// promotion time, load, and are named as ignored on their own keys.
const noFailover = topology({ regions, nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: west/a }\n  n3: { zone: eu/a }", replication: "replication: { mode: consensus, members: [east, west, eu] }", failover: "failover:\n  endpoint: { kind: proxy, check_interval: 1s }" });
const withCoordinator = three.replace("  detection: { ttl: 10s", "  coordinator: [east/a, west/a, eu/a]\n  detection: { ttl: 10s").replace("  mode: automatic\n", "").replace("  fencing: lease\n", "").replace("  promotion: 1s\n", "");
const usedKeys = topology({
  regions,
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: west/a }\n  n3: { zone: eu/a }",
  replication: "replication: { mode: consensus, members: [east, west, eu] }",
  failover: "failover:\n  operator_delay: 5m\n  endpoint: { kind: proxy, check_interval: 1s }\n  reconnect: { backoff: 100ms, max: 2s }\n  accept_rate: 300",
});
const managerKeys = topology({
  regions,
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: west/a }\n  n3: { zone: eu/a }",
  replication: "replication: { mode: consensus, members: [east, west, eu] }",
  failover:
    "failover:\n  mode: manual\n  operator_delay: 5m\n  fencing: stonith\n  fencing_time: 3s\n  election: priority\n  election_time: 1s\n  maximum_lag_on_failover: 10MB\n  lagging_candidates: promote\n  promotion: 2s\n  accept_rate: 300",
});
const heartbeatsGiven = topology({
  regions,
  nodes: "nodes:\n  n1: { zone: east/a, role: leader }\n  n2: { zone: west/a }\n  n3: { zone: eu/a }",
  replication: "replication: { mode: consensus, members: [east, west, eu], election_timeout: 2s, heartbeat: 200ms }",
  failover: "failover:\n  detection: { heartbeat: 1s, misses: 3 }",
});

ruleTester(consensusFailoverIgnored, "warning", {
  valid: [
    { name: "a consensus group with no key it ignores", yaml: noFailover },
    { name: "the keys a consensus group uses: endpoint, reconnect, accept_rate, operator_delay", yaml: usedKeys },
    { name: "leader/follower uses its lease", yaml: topology() },
  ],
  invalid: [
    {
      // The base design's failover block: mode, a ttl lease, lease fencing and a promotion time, none of them used.
      name: "Patroni's failover block in a consensus group: each ignored key named",
      yaml: three,
      findings: [
        { ...at(three, "  mode: automatic", "mode"), includes: ["failover.mode is ignored", "fails over by itself, paging nobody"] },
        { ...at(three, "  detection: { ttl", "detection"), includes: ["failover.detection is ignored", "election timeout (replication.election_timeout: 1s, each voter's timer firing between 1s and 2s) and its heartbeat (replication.heartbeat: 100ms)", "a majority of its 3 members' votes (2)"] },
        { ...at(three, "  fencing: lease", "fencing"), includes: ["failover.fencing is ignored", "fences by its quorum"] },
        { ...at(three, "  promotion: 1s", "promotion"), includes: ["failover.promotion is ignored", "no promotion step"] },
      ],
    },
    {
      name: "a coordinator and a lease: each named on its own key",
      yaml: withCoordinator,
      findings: [
        { ...at(withCoordinator, "  coordinator: [", "coordinator"), includes: ["failover.coordinator is ignored", "no external store (etcd)", "election timeout (replication.election_timeout: 1s", "heartbeat (replication.heartbeat: 100ms)"] },
        { ...at(withCoordinator, "  detection: { ttl", "detection"), includes: ["failover.detection is ignored"] },
      ],
    },
    {
      name: "heartbeats given as failover.detection: the group's own 2s / 200ms are said instead",
      yaml: heartbeatsGiven,
      findings: [{ ...at(heartbeatsGiven, "  detection: { heartbeat", "detection"), includes: ["election timeout (replication.election_timeout: 2s, each voter's timer firing between 2s and 4s) and its heartbeat (replication.heartbeat: 200ms)"] }],
    },
    {
      name: "every other key a manager's failover has, each at its own place",
      yaml: managerKeys,
      findings: [
        { ...at(managerKeys, "  mode: manual", "mode"), includes: ["failover.mode is ignored"] },
        { ...at(managerKeys, "  fencing: stonith", "fencing"), includes: ["failover.fencing is ignored", "nothing is powered off"] },
        { ...at(managerKeys, "  fencing_time: 3s", "fencing_time"), includes: ["failover.fencing_time is ignored"] },
        { ...at(managerKeys, "  election: priority", "election"), includes: ["failover.election is ignored", "at least as up to date as its own"] },
        { ...at(managerKeys, "  election_time: 1s", "election_time"), includes: ["failover.election_time is ignored", "round trip"] },
        { ...at(managerKeys, "  maximum_lag_on_failover: 10MB", "maximum_lag_on_failover"), includes: ["failover.maximum_lag_on_failover is ignored", "no lag limit"] },
        { ...at(managerKeys, "  lagging_candidates: promote", "lagging_candidates"), includes: ["failover.lagging_candidates is ignored", "never promotes a lagging member"] },
        { ...at(managerKeys, "  promotion: 2s", "promotion"), includes: ["failover.promotion is ignored"] },
      ],
    },
  ],
});
