// A consensus group (Raft, etcd-style) elects its leader by its own protocol:
// a follower that hears no heartbeat for its election timeout campaigns, and a
// majority of the members' votes elects it. It has no external store to place
// (Patroni's etcd, `failover.coordinator`) and no leader lease or heartbeat
// count of its own (`failover.detection`); it pages nobody (`mode`), fences by
// its quorum (`fencing`, `fencing_time`), elects by votes on the logs, not by a
// rule, a race or a lag limit (`election`, `election_time`,
// `maximum_lag_on_failover`, `lagging_candidates`) and has no promotion step
// (`promotion`). The loader accepts these keys, so that a design written from a
// Patroni one still runs, and the simulation ignores them; this rule says so on
// each key given, with what the group does instead. `operator_delay` is used
// (a person promoting by hand after a region loss no election recovers), as
// are `endpoint`, `reconnect` and `accept_rate`.
import type { ConsensusUnusedKey, ResolvedTopology } from "../../model/types.js";
import { formatMs } from "../design.js";
import type { Rule } from "../types.js";

export const consensusFailoverIgnored: Rule = {
  id: "consensus-failover-ignored",
  severity: "warning",
  description:
    "A consensus group gives a failover key that it ignores (coordinator, detection, mode, fencing, fencing_time, election, election_time, maximum_lag_on_failover, lagging_candidates, promotion): its members elect the leader by their own election timeout, heartbeat and votes.",
  hint: "Remove it: replication.election_timeout and heartbeat time a consensus group's failover.",
  docs: {
    why:
      "In `mode: consensus` the members elect their leader themselves, as Raft and etcd do: a follower that has heard no heartbeat from the leader " +
      "for its election timeout campaigns, and the votes of a majority of the members elect it. There is no external store that elects the leader, " +
      "so `failover.coordinator` (where Patroni's etcd members live) places nothing, and there is no leader lease, so `failover.detection` " +
      "(a `ttl` lease, or `heartbeat` × `misses`) times nothing. Nor does it page an operator (`mode`), fence by STONITH or a lease " +
      "(`fencing`, `fencing_time`: a leader that no majority answers can commit nothing), pick among candidates by a rule, a race or a lag limit " +
      "(`election`, `election_time`, `maximum_lag_on_failover`, `lagging_candidates`: a member votes only for a log at least as up to date as " +
      "its own, and the election takes two round trips to a majority: PreVote, then the vote) or time a promotion (`promotion`). The file still loads, so that a design " +
      "written from a Patroni one runs, and the simulation ignores these keys: a reader who tuned them to meet an RTO would be misled, since the failover is timed by " +
      "`replication.election_timeout` and `replication.heartbeat` (etcd's defaults: 1s and 100ms, each voter's timer firing between the timeout and twice it).",
    fix:
      "Remove the keys (of `failover`, a consensus group uses `endpoint`, `reconnect`, `accept_rate` and, for a person acting after a region loss, " +
      "`operator_delay`). To change how fast the group detects a dead leader, set `replication.election_timeout` " +
      "(at least 5 heartbeats for etcd) and `replication.heartbeat`; the voting members are `replication.members`.",
    example: {
      bad: ["replication: { mode: consensus }", "failover:", "  detection: { ttl: 10s, loop_wait: 2s, retry_timeout: 3s }", "  coordinator: [east/a, east/b, east/c]", "  fencing: stonith"],
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
  return `failover.${key} is ignored: ${WHY_IGNORED[key](votes)}; the group runs on ${timers}`;
}

/** Why a consensus group has no use for each key, and what does that work in it instead. */
const WHY_IGNORED: Record<ConsensusUnusedKey, (votes: string) => string> = {
  mode: (votes) => `a consensus group always fails over by itself, paging nobody: a follower that has heard no heartbeat for its election timeout campaigns, and wins by ${votes}`,
  detection: (votes) =>
    `a consensus group holds no leader lease and counts no missed heartbeats of its own; a follower campaigns when it has heard no heartbeat for its election timeout, and wins by ${votes}`,
  coordinator: (votes) => `a consensus group has no external store (etcd) electing its leader; its members elect one among themselves by ${votes} when a follower has heard no heartbeat for its election timeout`,
  fencing: () => "a consensus group fences by its quorum: a leader that no majority answers can commit nothing, and steps down at its first quorum check (one every election timeout) that finds no majority answered since the one before (CheckQuorum); nothing is powered off and no lease is revoked",
  fencing_time: () => "a consensus group has no fencing step to time: its quorum fences, at once (a leader that no majority answers can commit nothing)",
  election: (votes) => `a consensus group elects by ${votes}, each member voting only for a candidate whose log is at least as up to date as its own; no priority or race picks among the candidates`,
  election_time: () => "a consensus group's election takes two of the candidate's round trips (PreVote, then the vote) to the members that make up its majority, on the network the run simulates",
  maximum_lag_on_failover: () => "a consensus group has no lag limit: a member votes only for a candidate whose log is at least as up to date as its own, so a candidate behind the majority's log cannot win",
  lagging_candidates: () => "a consensus group never promotes a lagging member: a member votes only for a candidate whose log is at least as up to date as its own, so the winner holds every committed entry",
  promotion: () => "a consensus candidate leads as soon as a majority has voted for it; there is no promotion step to time",
};
