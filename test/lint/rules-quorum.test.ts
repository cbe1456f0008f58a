// Leaderless quorum rules: overlap, feasibility, and write availability.
import { quorumExceedsN } from "../../src/lint/rules/quorum-exceeds-n.js";
import { quorumNotStrong } from "../../src/lint/rules/quorum-not-strong.js";
import { quorumWriteAll } from "../../src/lint/rules/quorum-write-all.js";
import { quorumLostWithZone } from "../../src/lint/rules/quorum-lost-with-zone.js";
import { leaderlessLwwRpoZero } from "../../src/lint/rules/leaderless-lww-rpo-zero.js";
import { lwwClockSkew } from "../../src/lint/rules/lww-clock-skew.js";
import { sloppyQuorumCassandra } from "../../src/lint/rules/sloppy-quorum-cassandra.js";
import { at, ruleTester, topology } from "./helpers.js";

const quorum = (replication: string, classes = "data_classes:\n  carts: { rpo: 1m, rto: 1m, consistency: strong }") =>
  topology({
    nodes: "nodes:\n  n1: { zone: east/a }\n  n2: { zone: east/b }\n  n3: { zone: east/c }\n  n4: { zone: west/a }\n  n5: { zone: west/a }",
    replication: `replication: { mode: leaderless, ${replication} }`,
    failover: "",
    classes,
  });

const weak = quorum("n: 5, w: 2, r: 3");
const weakClass = quorum("n: 5, w: 3, r: 3", "data_classes:\n  carts: { rpo: 1m, rto: 1m, consistency: strong, r: 1 }");
const ryw = quorum("n: 3, w: 1, r: 1", "data_classes:\n  profiles: { rpo: 1m, rto: 1m, consistency: read-your-writes }");

const sloppyStrong = quorum("n: 5, w: 3, r: 3, sloppy_quorum: true");

ruleTester(quorumNotStrong, "error", {
  valid: [
    { name: "N=5, W=3, R=3", yaml: quorum("n: 5, w: 3, r: 3") },
    { name: "eventual reads may skip the overlap", yaml: quorum("n: 5, w: 1, r: 1", "data_classes:\n  views: { rpo: 1h, rto: 1m }") },
    { name: "a class raises r to overlap", yaml: quorum("n: 5, w: 3, r: 1", "data_classes:\n  carts: { rpo: 1m, rto: 1m, consistency: strong, r: 3 }") },
  ],
  invalid: [
    { name: "R + W = N", yaml: weak, findings: [{ ...at(weak, "consistency: strong", "strong"), includes: ["R + W = 3 + 2 = 5", "N = 5"], hintIncludes: ["R = 3, W = 3"] }] },
    { name: "a class lowers r", yaml: weakClass, findings: [{ ...at(weakClass, "r: 1 }", "1"), includes: ["1 + 3 = 4"] }] },
    { name: "read-your-writes needs the overlap too", yaml: ryw, findings: [{ ...at(ryw, "consistency: read-your-writes", "read-your-writes"), includes: ["read-your-writes reads"] }] },
    // Stand-ins answer reads while replicas are down (a review measured 54 stale reads on such a design that validated clean).
    { name: "a sloppy quorum breaks R + W > N", yaml: sloppyStrong, findings: [{ ...at(sloppyStrong, "consistency: strong", "strong"), includes: ["the quorum is sloppy", "R + W = 6 > N = 5"], hintIncludes: ["sloppy_quorum: false"] }] },
  ],
});

const wTooBig = quorum("n: 3, w: 4, r: 2");
const rTooBig = quorum("n: 3, w: 3, r: 5", "data_classes:\n  views: { rpo: 1h, rto: 1m }");

ruleTester(quorumExceedsN, "error", {
  valid: [
    { name: "W = N", yaml: quorum("n: 3, w: 3, r: 1") },
    { name: "a class overrides an impossible w", yaml: quorum("n: 3, w: 4, r: 2", "data_classes:\n  carts: { rpo: 1m, rto: 1m, consistency: strong, w: 2 }") },
  ],
  invalid: [
    { name: "W > N", yaml: wTooBig, findings: [{ ...at(wTooBig, "w: 4", "4"), includes: ["W = 4 but N = 3", "every write fails"] }] },
    { name: "R > N", yaml: rTooBig, findings: [{ ...at(rTooBig, "r: 5", "5"), includes: ["R = 5 but N = 3"] }] },
  ],
});

const writeAll = quorum("n: 3, w: 3, r: 1");
const classWriteAll = quorum("n: 5, w: 3, r: 3", "data_classes:\n  carts: { rpo: 1m, rto: 1m, consistency: strong, w: 5 }");

ruleTester(quorumWriteAll, "warning", {
  valid: [
    { name: "majority writes", yaml: quorum("n: 3, w: 2, r: 2") },
    { name: "a single copy is not a quorum question", yaml: quorum("n: 1, w: 1, r: 1", "data_classes:\n  views: { rpo: 1h, rto: 1m }") },
  ],
  invalid: [
    { name: "W = N", yaml: writeAll, findings: [{ ...at(writeAll, "w: 3", "3"), includes: ["W = N = 3", "one replica down"] }] },
    { name: "a class writes to all", yaml: classWriteAll, findings: [{ ...at(classWriteAll, "w: 5", "5"), includes: ["to carts"] }] },
  ],
});

const skewed = (conflict: string, classes: string) => quorum(`n: 3, w: 2, r: 2, conflict: ${conflict}, clock_skew: { n1: 500ms, n2: 100ms }`, classes);
const ledger = "data_classes:\n  ledger: { rpo: 0, rto: 1m, consistency: eventual }";
const carts = "data_classes:\n  carts: { rpo: 1m, rto: 1m, consistency: strong }\n  views: { rpo: 1h, rto: 1m }";
const skewedLedger = skewed("lww", ledger);
const skewedCarts = skewed("lww", carts);
/** The same design as a scenario: 100 writes/s over 10 keys, 10 writes/s per key. */
const skewedScenario = `kind: scenario
name: busy
duration: 1m
workload: { writes: 100, keys: 10 }
topology:
${skewedLedger.trimEnd().split("\n").map((line) => `  ${line}`).join("\n")}
`;

/** topologies/dynamo-n5.yaml (five nodes in three zones, N = 5) with n1 2 s ahead, 500 writes/s over 100 keys from 100 clients. */
const dynamoSkew = `kind: scenario
name: skew-2s
duration: 3m
workload: { writes: 500, reads: 100, clients: 100, keys: 100 }
topology:
  kind: topology
  name: dynamo-n5-skewed
  preset: cassandra
  regions:
    us-east: { zones: [a, b, c] }
  nodes:
    n1: { zone: us-east/a }
    n2: { zone: us-east/b }
    n3: { zone: us-east/c }
    n4: { zone: us-east/a }
    n5: { zone: us-east/b }
  replication: { mode: leaderless, n: 5, w: 3, r: 3, conflict: lww, clock_skew: { n1: 2s } }
  data_classes:
    sessions: { rpo: 0, rto: 1m, consistency: strong }
`;

ruleTester(lwwClockSkew, "warning", {
  valid: [
    { name: "clocks in step", yaml: quorum("n: 3, w: 2, r: 2, conflict: lww", ledger) },
    { name: "every clock off by the same amount: timestamps still agree", yaml: quorum("n: 3, w: 2, r: 2, conflict: lww, clock_skew: { n1: 1s, n2: 1s, n3: 1s, n4: 1s, n5: 1s }", ledger) },
    { name: "vector clocks do not order by timestamp", yaml: skewed("vector-clock", ledger) },
    { name: "eventual reads that may lose writes", yaml: skewed("lww", "data_classes:\n  views: { rpo: 1h, rto: 1m }") },
  ],
  invalid: [
    // The spread is n1's 500 ms against the nodes without skew (n3..n5), not n1 against n2.
    { name: "RPO 0", yaml: skewedLedger, findings: [{ ...at(skewedLedger, "n1: 500ms", "500ms"), includes: ["ledger needs RPO 0,", "500ms apart (n1 ahead)", "500ms × the writes per second to one key"], hintIncludes: ["vector-clock"] }] },
    { name: "strong reads, one finding for that class only", yaml: skewedCarts, findings: [{ ...at(skewedCarts, "n1: 500ms", "500ms"), includes: ["carts needs strong reads"] }] },
    // Clients in east/a, east/b and east/c in turn (the default zones), 34 of 100 beside n1: 0.66 × (1 − e^(−0.34 × 10 × 0.5)) ≈ 54%.
    { name: "a scenario's write rate gives the expected loss", yaml: skewedScenario, findings: [{ ...at(skewedScenario, "n1: 500ms", "500ms"), includes: ["10 writes/s per key, 34% of them through n1, expect about 54% of the writes to ledger lost"] }] },
    // topologies/dynamo-n5.yaml with n1 2 s ahead, 5 writes/s per key: simulate loses 60,074 of 90,339 writes (66.5%);
    // the old figure, skew × rate, said "about 10 lost after each write through it", which no share of the writes can be.
    { name: "the loss is a share of the writes, not skew × rate per write", yaml: dynamoSkew, findings: [{ ...at(dynamoSkew, "n1: 2s", "2s"), includes: ["5 writes/s per key, 17% of them through n1, expect about 68% of the writes to sessions lost"] }] },
  ],
});

// Concurrent writes to one key, each acknowledged by its own W replicas: last-write-wins keeps one, with no skew and no
// fault (found by a review: quorum-read-one-write-all validated clean, yet its RPO-0 class lost 33 acknowledged writes).
const lwwLedger = quorum("n: 3, w: 2, r: 2, conflict: lww", ledger);
const lwwByDefault = quorum("n: 3, w: 2, r: 2", "data_classes:\n  ledger: { rpo: 0, rto: 1m, consistency: strong, w: 3, r: 1 }\n  views: { rpo: 1h, rto: 1m }");
/** The same design as a scenario: 500 writes/s over 10 keys, 50 writes/s per key. */
const lwwScenario = `kind: scenario
name: hot-keys
duration: 1m
workload: { writes: 500, keys: 10 }
topology:
${lwwLedger.trimEnd().split("\n").map((line) => `  ${line}`).join("\n")}
`;

ruleTester(leaderlessLwwRpoZero, "error", {
  valid: [
    { name: "vector clocks keep concurrent writes as siblings", yaml: quorum("n: 3, w: 2, r: 2, conflict: vector-clock", ledger) },
    { name: "lww without RPO-0 classes", yaml: quorum("n: 3, w: 2, r: 2, conflict: lww", carts) },
    { name: "leader/follower orders writes through one leader", yaml: topology() },
  ],
  invalid: [
    { name: "lww and RPO 0, clocks in step", yaml: lwwLedger, findings: [{ ...at(lwwLedger, "ledger: { rpo: 0", "0"), includes: ["ledger needs RPO 0", "last-write-wins", "each acknowledged by 2 replicas", "silently discarded", "the hotter the key"], hintIncludes: ["vector-clock"] }] },
    // The preset's conflict (lww); W = N still acknowledges both writes. One finding, for the RPO-0 class only.
    { name: "lww by default, W = N", yaml: lwwByDefault, findings: [{ ...at(lwwByDefault, "ledger: { rpo: 0", "0"), includes: ["each acknowledged by 3 replicas"] }] },
    { name: "a scenario's write rate says how often two writes to a key meet", yaml: lwwScenario, findings: [{ ...at(lwwScenario, "ledger: { rpo: 0", "0"), includes: ["at scenario hot-keys's 50 writes/s per key (one every 20ms on average)", "within a write's round trip to 2 replicas"] }] },
  ],
});

/** The quorum fixture on a preset (appended: a top-level key). */
const onPreset = (preset: string, replication: string) => `${quorum(replication, "data_classes:\n  views: { rpo: 1h, rto: 1m }")}preset: ${preset}\n`;
const cassandraSloppy = onPreset("cassandra", "n: 3, w: 2, r: 2, sloppy_quorum: true");

// Cassandra never counts a hint toward ONE/QUORUM/ALL nor reads one; a review found a cassandra-preset design with
// sloppy_quorum: true validated clean and was simulated staying writable and readable with its replicas down.
ruleTester(sloppyQuorumCassandra, "warning", {
  valid: [
    { name: "cassandra with a strict quorum", yaml: onPreset("cassandra", "n: 3, w: 2, r: 2, sloppy_quorum: false") },
    { name: "cassandra's default", yaml: onPreset("cassandra", "n: 3, w: 2, r: 2") },
    { name: "dynamo's sloppy quorum", yaml: onPreset("dynamo", "n: 3, w: 2, r: 2, sloppy_quorum: true") },
  ],
  invalid: [
    { name: "cassandra with a sloppy quorum", yaml: cassandraSloppy, findings: [{ ...at(cassandraSloppy, "sloppy_quorum: true", "true"), includes: ["counts a hint toward the consistency level only at CL=ANY and never reads one"], hintIncludes: ["preset: dynamo"] }] },
  ],
});

/** Five nodes over three zones, two of them in east/a and two in east/b (a leaderless design on a preset). */
const zoned = (replication: string, preset = "cassandra", classes = "data_classes:\n  carts: { rpo: 1m, rto: 1m, consistency: strong }") =>
  `${topology({
    nodes: "nodes:\n  n1: { zone: east/a }\n  n2: { zone: east/b }\n  n3: { zone: east/c }\n  n4: { zone: east/a }\n  n5: { zone: east/b }",
    replication: `replication: { mode: leaderless, ${replication} }`,
    failover: "",
    classes,
  })}preset: ${preset}\n`;
const w4 = zoned("n: 5, w: 4, r: 2");
const r4 = zoned("n: 5, w: 2, r: 4");
const ringN3 = zoned("n: 3, w: 2, r: 2, sloppy_quorum: false", "dynamo");
const classW = zoned("n: 5, w: 3, r: 3", "cassandra", "data_classes:\n  carts: { rpo: 1m, rto: 1m, consistency: strong, w: 4, r: 2 }");

// A review simulated a zone loss on dynamo-n5.yaml with w: 4: every write failed for the whole loss (N=5 puts two
// of every key's replicas in us-east/a), and validate said nothing.
ruleTester(quorumLostWithZone, "error", {
  valid: [
    { name: "N=5, W=R=3: the three outside a zone answer", yaml: zoned("n: 5, w: 3, r: 3") },
    { name: "rack-aware N=3 over three zones: one replica per zone", yaml: zoned("n: 3, w: 2, r: 2") },
    { name: "W = N is quorum-write-all's", yaml: zoned("n: 5, w: 5, r: 1") },
    { name: "one zone makes no claim to survive it", yaml: zoned("n: 3, w: 3, r: 3").replace(/east\/[bc]/g, "east/a") },
    { name: "a sloppy quorum's stand-ins count", yaml: zoned("n: 3, w: 2, r: 2, sloppy_quorum: true", "dynamo") },
  ],
  invalid: [
    { name: "two of every key's five replicas in a zone, W = 4", yaml: w4, findings: [{ ...at(w4, "w: 4", "4"), includes: ["losing zone east/a (n1 and n4) takes 2 of every key's 5 replicas", "only 3 are left, fewer than W = 4", "writes of carts fail until the zone returns", "(so does losing east/b)"] }] },
    { name: "reads need R = 4", yaml: r4, findings: [{ ...at(r4, "r: 4", "4"), includes: ["fewer than R = 4", "reads of carts fail"] }] },
    { name: "ring order puts some keys on both nodes of a zone", yaml: ringN3, findings: [
      { ...at(ringN3, "w: 2", "2"), includes: ["takes up to 2 of a key's 3 replicas", "only 1 is left, fewer than W = 2"] },
      { ...at(ringN3, "r: 2", "2"), includes: ["fewer than R = 2"] },
    ] },
    { name: "a class's own w", yaml: classW, findings: [{ ...at(classW, "w: 4", "4"), includes: ["writes of carts"] }] },
  ],
});
