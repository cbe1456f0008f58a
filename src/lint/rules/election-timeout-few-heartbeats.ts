// How many heartbeats fit in a Raft election timeout is a margin, not a law.
// etcd refuses to start with --election-timeout under 5 × --heartbeat-interval;
// CockroachDB ticks Raft every 500 ms, heartbeats every 2 ticks (1 s) and times
// elections out after 4 ticks (2 s, randomized up to 4 s): 2 heartbeats, and it
// runs. With fewer heartbeats per timeout, fewer of them need to be late or
// lost before a follower campaigns against a healthy leader. The loader refuses
// only a timeout of at most one heartbeat, which no Raft survives.
import { formatMs } from "../design.js";
import type { Rule } from "../types.js";

/** The fewest heartbeats etcd accepts in an election timeout (its start-up check). */
export const ETCD_MIN_ELECTION_HEARTBEATS = 5;

export const electionTimeoutFewHeartbeats: Rule = {
  id: "election-timeout-few-heartbeats",
  severity: "warning",
  description: "A consensus group's election timeout spans fewer than five heartbeats, which etcd refuses at start-up.",
  hint: "Keep election_timeout at least 5 × heartbeat for etcd; CockroachDB-style Raft runs at 2.",
  docs: {
    why:
      "A Raft follower campaigns when it hears no heartbeat for its election timeout. The fewer heartbeats fit in that timeout, the fewer " +
      "need to be late or lost (a latency spike, a pause on the leader) before a follower deposes a healthy leader. " +
      "etcd makes this a rule: it refuses to start when --election-timeout is under 5 × --heartbeat-interval. " +
      "It is a margin, not a law of Raft: CockroachDB heartbeats every second with a 2 s election timeout (randomized up to 4 s), " +
      "2 heartbeats, and runs so. A timeout of one heartbeat or less is refused at load: followers would time out between the heartbeats of a healthy leader.",
    fix:
      "For etcd, raise `election_timeout` to at least five heartbeats, or shorten `heartbeat`. If the design models a system that runs " +
      "with fewer (CockroachDB's 1 s heartbeat and 2 s timeout), keep it and ignore the rule for the file, knowing that one lost heartbeat can then start an election.",
    example: {
      bad: ["replication: { mode: consensus, election_timeout: 1s, heartbeat: 300ms }"],
      good: ["replication: { mode: consensus, election_timeout: 1s, heartbeat: 200ms }"],
    },
  },
  appliesTo: (t) => t.replication.mode === "consensus",
  check({ topology }) {
    const r = topology.replication;
    if (r.mode !== "consensus" || r.electionTimeoutMs >= ETCD_MIN_ELECTION_HEARTBEATS * r.heartbeatMs) return [];
    // Rounded down, so that a ratio just under five never reads "5".
    const heartbeats = Math.floor((r.electionTimeoutMs / r.heartbeatMs) * 10) / 10;
    // The heartbeats a follower hears before its timer can first run out, all lost, let it campaign.
    const lost = Math.max(1, Math.ceil(r.electionTimeoutMs / r.heartbeatMs) - 1);
    return [
      {
        path: ["replication", "election_timeout"],
        message:
          `the election timeout (${formatMs(r.electionTimeoutMs)}) is ${heartbeats} heartbeats of ${formatMs(r.heartbeatMs)}: ` +
          `etcd refuses to start with fewer than ${ETCD_MIN_ELECTION_HEARTBEATS} (--election-timeout ≥ ${ETCD_MIN_ELECTION_HEARTBEATS} × --heartbeat-interval), ` +
          `while CockroachDB-style Raft runs at 2 (heartbeat 1s, election timeout 2s); ` +
          `with so few, ${lost === 1 ? "a single lost heartbeat" : `${lost} lost heartbeats in a row`} can start an election against a healthy leader`,
      },
    ];
  },
};
