// A consensus group (Raft, etcd-style) elects its leader by its own protocol:
// a follower that hears no heartbeat for its election timeout campaigns, and a
// majority of the members' votes elects it. It has no external store to place
// (Patroni's etcd, `failover.coordinator`) and no leader lease or heartbeat
// count of its own (`failover.detection`). The loader accepts both keys, so
// that a design written from a Patroni one still runs, and the simulation
// ignores them; this rule says so on each key, with the timers used instead.
import type { ConsensusUnusedKey, ResolvedTopology } from "../../model/types.js";
import { formatMs } from "../design.js";
import type { Rule } from "../types.js";

export const consensusFailoverIgnored: Rule = {
  id: "consensus-failover-ignored",
  severity: "warning",
  description: "A consensus group gives failover.coordinator or failover.detection, which it ignores: its members elect the leader by their own election timeout and heartbeat.",
  hint: "Remove it: replication.election_timeout and heartbeat time a consensus group's failover.",
  docs: {
    why:
      "In `mode: consensus` the members elect their leader themselves, as Raft and etcd do: a follower that has heard no heartbeat from the leader " +
      "for its election timeout campaigns, and the votes of a majority of the members elect it. There is no external store that elects the leader, " +
      "so `failover.coordinator` (where Patroni's etcd members live) places nothing, and there is no leader lease, so `failover.detection` " +
      "(a `ttl` lease, or `heartbeat` × `misses`) times nothing. The file still loads, so that a design written from a Patroni one runs, " +
      "and the simulation ignores both keys: a reader who tuned them to meet an RTO would be misled, since the failover is timed by " +
      "`replication.election_timeout` and `replication.heartbeat` (etcd's defaults: 1s and 100ms, each voter's timer firing between the timeout and twice it).",
    fix:
      "Remove `failover.coordinator` and `failover.detection`. To change how fast the group detects a dead leader, set `replication.election_timeout` " +
      "(at least 5 heartbeats for etcd) and `replication.heartbeat`; the voting members are `replication.members`.",
    example: {
      bad: ["replication: { mode: consensus }", "failover:", "  detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }", "  coordinator: [east/a, east/b, east/c]"],
      good: ["replication: { mode: consensus, election_timeout: 1s, heartbeat: 100ms }"],
    },
  },
  appliesTo: (t) => t.replication.mode === "consensus",
  check({ topology }) {
    const unused = topology.failover.unused ?? [];
    return unused.map((key) => ({ path: ["failover", key], key: true, message: unusedMessage(key, topology) }));
  },
};

/** What the group uses instead of `key`: its timers, with their values, and its voting members. */
function unusedMessage(key: ConsensusUnusedKey, t: ResolvedTopology): string {
  const r = t.replication;
  if (r.mode !== "consensus") return "";
  const d = t.failover.detection;
  const extraMs = d.kind === "heartbeat" ? (d.randomizedMs ?? 0) : 0;
  const timer = extraMs > 0 ? `, each voter's timer firing between ${formatMs(r.electionTimeoutMs)} and ${formatMs(r.electionTimeoutMs + extraMs)}` : "";
  const timers = `its election timeout (replication.election_timeout: ${formatMs(r.electionTimeoutMs)}${timer}) and its heartbeat (replication.heartbeat: ${formatMs(r.heartbeatMs)})`;
  const members = t.nodes.length + t.arbiters.length;
  const votes = `a majority of its ${members} members' votes (${t.derived.majority})`;
  if (key === "coordinator") {
    return `failover.coordinator is ignored: a consensus group has no external store (etcd) electing its leader; its members elect one among themselves by ${votes} when a follower has heard no heartbeat for its election timeout; the group runs on ${timers}`;
  }
  return `failover.detection is ignored: a consensus group holds no leader lease and counts no missed heartbeats of its own; a follower campaigns when it has heard no heartbeat for its election timeout, and wins by ${votes}; the group runs on ${timers}`;
}
