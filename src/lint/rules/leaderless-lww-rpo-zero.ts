// Without a leader, two clients can write one key at once through two
// coordinators, and each write is acknowledged once its own W replicas have
// it. Last-write-wins then keeps the one with the later timestamp on every
// replica and silently throws the other away: an acknowledged write lost
// without any failure, and without any clock skew (lww-clock-skew is the case
// where a clock running ahead widens the window).
import { formatMs, modeIs, rounded, writesPerKey } from "../design.js";
import type { ResolvedScenario, ResolvedTopology } from "../../model/types.js";
import type { Rule } from "../types.js";

export const leaderlessLwwRpoZero: Rule = {
  id: "leaderless-lww-rpo-zero",
  severity: "error",
  description: "A leaderless design that resolves concurrent writes by last-write-wins cannot hold a class to RPO 0.",
  hint: "Resolve concurrent writes with conflict: vector-clock, or give the class an RPO above 0.",
  docs: {
    why:
      "Without a leader, two clients can write one key at once through two coordinators; each write is acknowledged as soon as its own W replicas have it, " +
      "however large W is. Last-write-wins then keeps the version with the later timestamp on every replica and silently discards the other: " +
      "an acknowledged write is lost without any failure and with the clocks in step, which a class with RPO 0 cannot allow. " +
      "The hotter the key, the more often two writes to it are in flight together.",
    fix:
      "Resolve concurrent writes without dropping one: `conflict: vector-clock` keeps both as siblings for the reader (or the application) to merge. " +
      "Or give the class an RPO above 0 and accept that one of two concurrent writes to a key is lost; " +
      "for money, a single leader (or a consensus group) orders the writes to each key.",
    example: {
      bad: [
        "replication: { mode: leaderless, n: 3, w: 2, r: 2, conflict: lww }",
        "data_classes:",
        "  balances: { rpo: 0, rto: 1m, consistency: strong }",
      ],
      good: [
        "replication: { mode: leaderless, n: 3, w: 2, r: 2, conflict: vector-clock }",
        "data_classes:",
        "  balances: { rpo: 0, rto: 1m, consistency: strong }",
      ],
    },
  },
  appliesTo: (t) => modeIs(t, "leaderless"),
  check({ topology, scenario }) {
    const r = topology.replication;
    if (r.mode !== "leaderless" || r.conflict !== "lww") return [];
    return topology.dataClasses
      .map((c, index) => ({ c, index }))
      .filter(({ c }) => c.rpoMs === 0)
      .map(({ c, index }) => {
        const w = c.w ?? r.w;
        return {
          path: ["data_classes", c.name, "rpo"],
          message:
            `${c.name} needs RPO 0, but its replicas resolve concurrent writes by last-write-wins: of two writes to one key through different coordinators, ` +
            `each acknowledged by ${w === 1 ? "a replica" : `${w} replicas`}, only the later-stamped is kept and the other is silently discarded; ` +
            howOften(topology, scenario, index, w),
        };
      });
  },
};

/** How often two writes to one key are in flight together: the scenario's write rate per key, or the rule of thumb without one. */
function howOften(topology: ResolvedTopology, scenario: ResolvedScenario | null, cls: number, w: number): string {
  const window = `within a write's round trip to ${w === 1 ? "its replica" : `${w} replicas`}`;
  if (scenario === null) return `any two writes to one key ${window} of each other collide, so the hotter the key the more are lost`;
  const perKey = writesPerKey(topology, scenario, cls);
  if (perKey <= 0) return `scenario ${scenario.name} writes nothing, so it shows no loss, but any two writes to one key ${window} of each other collide`;
  return `at scenario ${scenario.name}'s ${rounded(perKey)} writes/s per key (one every ${formatMs(1000 / perKey)} on average), expect a loss whenever two land ${window} of each other`;
}
